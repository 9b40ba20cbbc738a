import { describe, expect, it } from 'vitest';
import { createPipeline } from '../../../../src/core/transport/pipeline';
import type { TransportContext } from '../../../../src/core/types';
import { recordingFetch, settle } from '../recording-fetch';

function setup(answers: Array<'sent' | 'refused' | number | Error>, sendBeacon?: () => boolean) {
  const calls: Array<{ events: string[]; context: TransportContext }> = [];
  const fake = recordingFetch(202);
  const pipeline = createPipeline<string>({
    sink: 'https://logs.test/api/log',
    fetch: fake.fetch,
    sendBeacon,
    maxEvents: 50,
    maxBytes: 60_000,
    flushIntervalMs: 5_000,
    maxQueue: 100,
    serialize: (name) => JSON.stringify({ event: name }),
    droppedNotice: (count) => JSON.stringify({ event: 'events_dropped', count }),
    debug: () => undefined,
    transport: {
      send: async (events, context) => {
        calls.push({ events, context });
        const answer = answers.length > 1 ? answers.shift()! : answers[0];
        if (answer instanceof Error) throw answer;
        return answer;
      },
    },
  });
  return { pipeline, calls, fake };
}

describe('pipeline with a custom transport', () => {
  it('hands each batch, serialized, to the transport instead of posting to the sink', async () => {
    const { pipeline, calls, fake } = setup(['sent']);
    pipeline.add('a', false);
    pipeline.add('b', false);
    await pipeline.flush('manual');
    expect(calls).toEqual([{ events: ['{"event":"a"}', '{"event":"b"}'], context: { sink: 'https://logs.test/api/log', exit: false, fetch: fake.fetch } }]);
    expect(fake.calls).toHaveLength(0);
  });

  it('retries what the transport could not send, and what it threw on', async () => {
    const { pipeline, calls } = setup([new Error('broken'), NaN, 'sent']);
    pipeline.add('a', false);
    await pipeline.flush('manual');
    await pipeline.flush('manual');
    await pipeline.flush('manual');
    expect(calls.map((c) => c.events)).toEqual([['{"event":"a"}'], ['{"event":"a"}'], ['{"event":"a"}']]);
  });

  it('gives the transport the whole queue at page exit, and no beacon is used', async () => {
    let beacons = 0;
    const { pipeline, calls } = setup(['sent'], () => (beacons++, true));
    pipeline.add('a', true);
    pipeline.add('b', false);
    pipeline.setHidden(true);
    await settle();
    expect(calls).toHaveLength(1);
    expect(calls[0].context.exit).toBe(true);
    expect(calls[0].events).toEqual(['{"event":"a"}', '{"event":"b"}']);
    expect(beacons).toBe(0);
  });
});
