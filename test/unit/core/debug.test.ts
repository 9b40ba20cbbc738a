// What `debug: true` prints in the development build (the unit tests compile the source with the
// development flag on): routine lines at debug and info level, problems at warn and error.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errors } from '../../../src/browser/errors';
import { createCoreClient, type Platform } from '../../../src/core/client';
import type { Outbox } from '../../../src/core/transport/delivery';
import type { ClientOptions } from '../../../src/core/types';
import { recordingFetch, settle } from './recording-fetch';

const SINK = 'https://logs.test/api/log';
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Every line the SDK writes to the console, as `level: text`. */
function consoleLines(): () => string[] {
  const lines: string[] = [];
  for (const level of LEVELS) {
    vi.spyOn(console, level).mockImplementation((message: unknown) => void lines.push(`${level}: ${String(message)}`));
  }
  return () => lines.filter((line) => line.includes('[tracebeam]'));
}

function setup(options: Partial<ClientOptions> = {}, platform: Partial<Platform> = {}, answers: Array<number | 'network-error'> = [202]) {
  const lines = consoleLines();
  const fake = recordingFetch(...answers);
  const client = createCoreClient({ sink: SINK, service: 'web', debug: true, ...options } as ClientOptions, { fetch: fake.fetch, ...platform });
  return { client, fake, lines };
}

const memoryOutbox = (save: Outbox['save'] = () => true): Outbox => ({
  save,
  restore: () => Promise.resolve({ entries: [], dropped: 0, settle: () => undefined }),
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('debug: true, development build', () => {
  it('says at start what is on: sink, integrations, sampling, persist, redact', () => {
    const { lines } = setup(
      {
        sampleRate: 0.5,
        integrations: [
          { name: 'errors', setup: () => undefined },
          { name: 'fetchTracing', setup: () => undefined },
        ],
      },
      { isSampled: () => true, outbox: () => memoryOutbox() },
    );
    expect(lines()).toEqual([
      `info: [tracebeam] debug on: service web, sink ${SINK}, integrations errors, fetchTracing; sampleRate 0.5: this session is sampled in; ` +
        'persist on: unconfirmed events wait in localStorage for the next page; redact on. Each event is followed at console.debug level (Chrome: "Verbose").',
    ]);
  });

  it('says when the session is sampled out, and without persist or integrations', () => {
    const { lines } = setup({ sampleRate: 0, persist: false, redact: false });
    expect(lines()[0]).toContain('integrations none; sampleRate 0: this session is sampled out: only errors are kept; persist off; redact off.');
  });

  it('follows each event: queued with its redactions, dropped by sampling or by beforeSend, sent with the reason', async () => {
    const { client, lines } = setup({ sampleRate: 0, beforeSend: (event) => (event.event === 'secret_step' ? null : event) });
    client.log('info', 'page_viewed'); // sampled out: not an error
    client.captureError(new Error('mail me at ann@example.com'), { token: 'abc', note: 'plain' });
    client.log('error', 'secret_step');
    await client.flush();
    expect(lines().slice(1)).toEqual([
      'debug: [tracebeam] dropped page_viewed: this session is sampled out (sampleRate 0)',
      // The message and the stack's first line hold the address; `token` goes whole.
      'debug: [tracebeam] queued error client_error (3 values redacted)',
      'debug: [tracebeam] dropped secret_step: beforeSend returned null',
      'info: [tracebeam] sent 1 events (manual): client_error',
    ]);
  });

  it('names the events of a batch, repeats counted, and says when one was truncated', async () => {
    const { client, lines } = setup();
    client.log('info', 'http_request');
    client.log('info', 'http_request');
    client.log('info', 'huge', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'.repeat(5_000)])));
    await client.flush();
    expect(lines()).toContain('debug: [tracebeam] queued info huge (truncated to fit one beacon)');
    expect(lines().at(-1)).toBe('info: [tracebeam] sent 3 events (manual): http_request ×2, huge');
  });

  it('warns of a retry and of events dropped from a full queue; errors when the sink refuses a batch', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { client, lines } = setup({ maxQueue: 2 }, { random: () => 0 }, [503, 400]);
    for (const name of ['a', 'b', 'c']) client.log('info', name);
    await client.flush();
    await vi.advanceTimersByTimeAsync(1_000);
    const problems = lines().filter((line) => /^(warn|error)/.test(line));
    expect(problems).toEqual([
      'warn: [tracebeam] 1 events dropped: the queue was full (maxQueue 2) or the outbox let old ones go; an events_dropped event counts them',
      // The events_dropped notice took the place of one more event in the full queue.
      'warn: [tracebeam] 1 events dropped: the queue was full (maxQueue 2) or the outbox let old ones go; an events_dropped event counts them',
      'warn: [tracebeam] 2 events not delivered (manual): no answer, or 408, 429 or 5xx from the sink; retry in 1000 ms',
      "error: [tracebeam] the sink refused 2 events (retry) and they are dropped: is the sink's URL right, and does it allow this origin?",
    ]);
  });

  it('says what left at page exit and what waits in the outbox, and warns when storage fails', async () => {
    let hide: (hidden: boolean) => void = () => undefined;
    const { client, lines } = setup(
      {},
      {
        sendBeacon: () => true,
        onVisibility: (callback) => {
          hide = callback;
          return () => undefined;
        },
        outbox: () => memoryOutbox(() => false),
      },
    );
    client.log('info', 'checkout_started');
    await settle();
    hide(true);
    expect(lines().slice(1)).toEqual([
      'debug: [tracebeam] queued info checkout_started',
      'info: [tracebeam] sent 1 events (page_hidden) by beacon: checkout_started',
      'warn: [tracebeam] the outbox could not write to localStorage (disabled or full): 1 unconfirmed events live in this page only',
    ]);
  });

  it('says how many events an earlier page left in the outbox', async () => {
    const restored = { entries: [], dropped: 3, settle: () => undefined };
    const { lines } = setup({}, { outbox: () => ({ save: () => true, restore: () => Promise.resolve(restored) }) });
    await settle();
    expect(lines()).toContain('info: [tracebeam] restored 0 events an earlier page left in the outbox; 3 were too old or beyond its room');
  });

  it('says when the storm limit holds an error back', async () => {
    const listeners: Array<(event: Event) => void> = [];
    vi.stubGlobal('addEventListener', (_type: string, listener: (event: Event) => void) => listeners.push(listener));
    vi.stubGlobal('removeEventListener', () => undefined);
    const { client, lines } = setup({ integrations: [errors()] });
    const thrown = new Error('again');
    for (let i = 0; i < 6; i++) {
      const event = Object.assign(new Event('error'), { error: thrown, message: 'again' });
      listeners.forEach((listener) => listener(event));
    }
    await client.shutdown();
    vi.unstubAllGlobals();
    expect(lines()).toContain(
      'debug: [tracebeam] held back client_error Error by the storm limit (5 of one error at once, then one per 10 s); an errors_suppressed event will count them',
    );
  });

  it('says nothing without debug: true', async () => {
    const { client, lines } = setup({ debug: false });
    client.log('info', 'quiet');
    await client.flush();
    expect(lines()).toEqual([]);
  });
});
