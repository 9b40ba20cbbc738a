// `debug: true`: what the console says, and at which level. Routine lines are never console.error.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCoreClient } from '../../../src/core/client';
import type { ClientOptions, Integration } from '../../../src/core/types';
import { recordingFetch, settle } from './recording-fetch';

const SINK = 'https://logs.test/api/log';
const named = (name: string): Integration => ({ name, setup: () => undefined });

function consoleLines() {
  const lines: Array<[string, string]> = [];
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((message: unknown) => void lines.push([level, String(message)]));
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('debug output', () => {
  it('says at init what is on, then what happened to each event, with no console.error', async () => {
    const lines = consoleLines();
    const fake = recordingFetch(202);
    const client = createCoreClient(
      { sink: SINK, service: 'web', debug: true, integrations: [named('errors'), named('fetchTracing')], beforeSend: (e) => (e.event === 'secret' ? null : e) } as ClientOptions,
      { fetch: fake.fetch, isSampled: () => true },
    );
    expect(lines).toEqual([['info', `[tracebeam] on: integrations errors, fetchTracing; sink ${SINK}; sampleRate 1: this session's non-error events are kept, errors always`]]);
    client.log('info', 'checkout_started');
    client.log('info', 'secret');
    await client.flush();
    expect(lines.slice(1)).toEqual([
      ['debug', `[tracebeam] checkout_started: queued (info, trace ${client.traceId()})`],
      ['debug', '[tracebeam] secret: dropped by beforeSend'],
      ['debug', '[tracebeam] sent 1 event (manual)'],
    ]);
  });

  it('names sampled-out events and warns of a batch the sink refused', async () => {
    const lines = consoleLines();
    const fake = recordingFetch(400);
    const client = createCoreClient({ sink: SINK, service: 'web', debug: true, sampleRate: 0.5 } as ClientOptions, { fetch: fake.fetch, isSampled: () => false });
    expect(lines[0]).toEqual(['info', expect.stringContaining("sampleRate 0.5: this session's non-error events are not kept, errors always")]);
    client.log('info', 'page_viewed');
    client.captureError(new Error('boom'));
    await settle();
    await client.flush();
    expect(lines.slice(1).map(([level, text]) => [level, text.replace(/trace \w+/, 'trace …')])).toEqual([
      ['debug', '[tracebeam] page_viewed: not kept, this session is sampled out (sampleRate 0.5)'],
      ['debug', '[tracebeam] client_error: queued (error, trace …)'],
      ['warn', '[tracebeam] the sink refused 1 event (manual) for good: dropped'],
    ]);
  });

  it('says nothing without debug', async () => {
    const lines = consoleLines();
    const client = createCoreClient({ sink: SINK, service: 'web' } as ClientOptions, { fetch: recordingFetch(202).fetch });
    client.log('info', 'quiet');
    await client.flush();
    expect(lines).toEqual([]);
  });
});
