import { describe, expect, it } from 'vitest';
import { createDelivery } from '../../../../src/core/transport/delivery';
import { toEntry } from '../../../../src/core/transport/queue';
import type { TransportContext } from '../../../../src/core/types';
import { recordingFetch, settle } from '../recording-fetch';

function setup(answers: Array<'sent' | 'refused' | number | Error>, sendBeacon?: () => boolean) {
  const calls: Array<{ events: string[]; context: TransportContext }> = [];
  const fake = recordingFetch(202);
  const delivery = createDelivery({
    sink: 'https://logs.test/api/log',
    fetch: fake.fetch,
    sendBeacon,
    maxEvents: 50,
    maxBytes: 60_000,
    flushIntervalMs: 5_000,
    maxQueue: 100,
    transport: {
      send: async (events, context) => {
        calls.push({ events, context });
        const answer = answers.length > 1 ? answers.shift()! : answers[0];
        if (answer instanceof Error) throw answer;
        return answer;
      },
    },
  });
  const add = (name: string, isError = false) => delivery.add([toEntry(JSON.stringify({ event: name }), isError)]);
  return { delivery, add, calls, fake };
}

describe('delivery with a custom transport', () => {
  it('hands each batch, serialized, to the transport instead of posting to the sink', async () => {
    const { delivery, add, calls, fake } = setup(['sent']);
    add('a');
    add('b');
    await delivery.flush();
    expect(calls).toEqual([{ events: ['{"event":"a"}', '{"event":"b"}'], context: { sink: 'https://logs.test/api/log', exit: false, fetch: fake.fetch } }]);
    expect(fake.calls).toHaveLength(0);
  });

  it('retries what the transport could not send, and what it threw on', async () => {
    const { delivery, add, calls } = setup([new Error('broken'), NaN, 'sent']);
    add('a');
    await delivery.flush();
    await delivery.flush();
    await delivery.flush();
    expect(calls.map((c) => c.events)).toEqual([['{"event":"a"}'], ['{"event":"a"}'], ['{"event":"a"}']]);
  });

  it('gives the transport the queue at page exit, errors first, and no beacon is used', async () => {
    let beacons = 0;
    const { delivery, add, calls } = setup(['sent'], () => {
      beacons++;
      return true;
    });
    add('b');
    add('a', true);
    delivery.setHidden(true);
    await settle();
    expect(calls).toHaveLength(1);
    expect(calls[0].context.exit).toBe(true);
    expect(calls[0].events).toEqual(['{"event":"a"}', '{"event":"b"}']);
    expect(beacons).toBe(0);
  });

  it('takes what the transport confirmed at exit as delivered: nothing goes again when the page is back', async () => {
    const { delivery, add, calls } = setup(['sent']);
    add('a');
    delivery.setHidden(true);
    await settle();
    delivery.setHidden(false);
    await delivery.flush();
    expect(calls).toHaveLength(1);
  });
});
