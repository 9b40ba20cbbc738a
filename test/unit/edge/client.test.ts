import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEdgeClient } from '../../../src/edge/index';
import { HEX32, closeServers, startSink, type Sink } from './helpers';

let sink: Sink;

beforeAll(async () => {
  sink = await startSink();
});

afterEach(() => sink.reset());

afterAll(closeServers);

describe('createEdgeClient', () => {
  it('holds events until flush(), then sends them in one request, all with one trace id', async () => {
    const client = createEdgeClient({ sink: sink.url, service: 'cron', release: '7' });
    client.log('info', 'jobStarted', { job: 'cleanup' });
    client.captureError(new Error('row locked'), { table: 'carts' });
    expect(sink.requests).toHaveLength(0);

    await client.flush();
    expect(sink.requests).toHaveLength(1);
    expect(sink.requests[0]['content-type']).toBe('application/json');
    expect(sink.answers).toEqual([{ accepted: 2, rejected: 0, duplicates: 0 }]);
    expect(sink.events).toMatchObject([
      { event: 'job_started', level: 'info', service: 'cron', release: '7', job: 'cleanup' },
      { event: 'client_error', level: 'error', table: 'carts', error: { type: 'Error', message: 'row locked', handled: true } },
    ]);
    expect(client.traceId()).toMatch(HEX32);
    expect(sink.events.map((event) => event.trace_id)).toEqual([client.traceId(), client.traceId()]);
    // The edge sends the stack; the sink reads its frames and fingerprints it, as it does the browser's.
    expect(sink.events[1]!.error).toMatchObject({
      stack: expect.stringContaining('row locked'),
      frames: expect.arrayContaining([expect.objectContaining({ file: expect.stringContaining('client.test.ts') })]),
      fingerprint: expect.stringMatching(/^[\da-f]{8}$/),
    });
  });

  it('flush() with nothing recorded sends nothing', async () => {
    await createEdgeClient({ sink: sink.url, service: 'cron' }).flush();
    await sink.settled();
    expect(sink.requests).toHaveLength(0);
  });

  it('each client is its own trace', () => {
    const options = { sink: sink.url, service: 'cron' };
    expect(createEdgeClient(options).traceId()).not.toBe(createEdgeClient(options).traceId());
  });

  it('flush() sends only what came since the last flush', async () => {
    const client = createEdgeClient({ sink: sink.url, service: 'cron' });
    client.log('info', 'first');
    const first = client.flush();
    client.log('info', 'second');
    await Promise.all([first, client.flush()]);
    expect(sink.requests).toHaveLength(2);
    expect(sink.events.map((event) => event.event).sort()).toEqual(['first', 'second']);
  });

  it('wrong options: one console error and a client that does nothing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = createEdgeClient({ sink: sink.url, service: 42 as unknown as string });
    client.log('info', 'ignored');
    client.captureError(new Error('ignored'));
    await expect(client.flush()).resolves.toBeUndefined();
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0][0]).toBe('[tracebeam] option `service` must be a non-empty string; telemetry is off.');
    await sink.settled();
    expect(sink.requests).toHaveLength(0);
  });

  it('an option given as undefined takes its default', async () => {
    const client = createEdgeClient({ sink: sink.url, service: 'cron', correlationHeader: undefined, redact: undefined, beforeSend: undefined });
    client.log('info', 'signup', { email: 'jane@example.com' });
    await client.flush();
    expect(sink.events).toMatchObject([{ event: 'signup', email: '[email]' }]);
  });

  it('options that throw when read: one console error and a client that does nothing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no keys');
        },
      },
    );
    const client = createEdgeClient(hostile as never);
    client.log('info', 'ignored');
    await expect(client.flush()).resolves.toBeUndefined();
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0][0]).toBe('[tracebeam] option `service` must be a non-empty string; telemetry is off.');
    await sink.settled();
    expect(sink.requests).toHaveLength(0);
  });

  it('a beforeSend that throws costs the event, not the caller', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = createEdgeClient({
      sink: sink.url,
      service: 'cron',
      beforeSend: () => {
        throw new Error('bug in beforeSend');
      },
    });
    expect(() => client.log('info', 'x')).not.toThrow();
    await client.flush();
    expect(sink.requests).toHaveLength(0);
    expect(String(errors.mock.calls[0][0])).toContain('an event was dropped');
  });

  it('describing a strange thrown value never throws', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = createEdgeClient({ sink: sink.url, service: 'cron' });
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(() => client.captureError(hostile)).not.toThrow();
    client.captureError(null);
    client.captureError({ code: 42 });
    await client.flush();
    expect(sink.events.map((event) => event.error)).toEqual([
      { type: 'null', message: 'null', handled: true, fingerprint: expect.stringMatching(/^[\da-f]{8}$/) },
      { type: 'object', message: '{"code":42}', handled: true, fingerprint: expect.stringMatching(/^[\da-f]{8}$/) },
    ]);
  });
});
