import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCoreClient, type Platform } from '../../../src/core/client';
import type { ClientOptions, Integration, TelemetryEvent } from '../../../src/core/types';
import { recordingFetch } from './recording-fetch';

const SINK = 'https://logs.test/api/log';

function setup(options: Partial<ClientOptions> = {}, platform: Partial<Platform> = {}) {
  const fake = recordingFetch(202);
  const client = createCoreClient({ sink: SINK, service: 'web', ...options } as ClientOptions, { fetch: fake.fetch, ...platform });
  return { client, fake };
}

afterEach(() => vi.restoreAllMocks());

describe('client', () => {
  it('logs structured events with the options, trace, user and context', async () => {
    const { client, fake } = setup({ release: '1.4.2', environment: 'production' }, { pageUrl: () => 'https://shop.test/cart', sessionId: () => 's-1' });
    client.setUser({ id: '42' });
    client.setContext({ tenant_id: 't1' });
    client.log('info', 'checkout_started', { cart_items: 3 });
    await client.flush();
    expect(fake.calls[0].url).toBe(SINK);
    expect(fake.events()).toEqual([
      expect.objectContaining({
        level: 'info',
        event: 'checkout_started',
        service: 'web',
        release: '1.4.2',
        environment: 'production',
        trace_id: client.traceId(),
        session_id: 's-1',
        url: 'https://shop.test/cart',
        user_id: '42',
        tenant_id: 't1',
        cart_items: 3,
      }),
    ]);
  });

  it('keeps what the attributes held at the call, not later changes to the object', async () => {
    const { client, fake } = setup();
    const attributes = { step: 1 };
    client.log('info', 'x', attributes);
    attributes.step = 2;
    await client.flush();
    expect(fake.events()[0].step).toBe(1);
  });

  it('captures errors as client_error with handled: true', async () => {
    const { client, fake } = setup();
    client.captureError(new TypeError('nope'), { component: 'Cart' });
    client.captureError('a string');
    await client.flush();
    const [first, second] = fake.events();
    expect(first).toMatchObject({ level: 'error', event: 'client_error', component: 'Cart', error: { type: 'TypeError', message: 'nope', handled: true } });
    expect(first.error?.stack).toContain('TypeError: nope');
    expect(second.error).toEqual({ type: 'string', message: 'a string', handled: true });
  });

  it('logs an unknown level as info instead of failing', async () => {
    const { client, fake } = setup();
    client.log('verbose' as 'info', 'x');
    await client.flush();
    expect(fake.events()[0].level).toBe('info');
  });

  it('takes only ids from setUser', async () => {
    const { client, fake } = setup();
    client.setUser({ id: 7, email: 'jane@example.com' } as unknown as { id: string });
    client.log('info', 'a');
    client.setUser(null);
    client.log('info', 'b');
    await client.flush();
    expect(fake.events().map((e) => e.user_id)).toEqual(['7', undefined]);
    expect(JSON.stringify(fake.calls[0].events)).not.toContain('jane@');
  });

  it('stamps events with the current trace, which trace sources may answer', async () => {
    const { client, fake } = setup();
    const first = client.traceId();
    client.log('info', 'a');
    client.addTraceSource(() => ({ traceId: 'f'.repeat(32), flags: 1 }));
    client.log('info', 'b');
    client.capture({ level: 'info', event: 'http_request', trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) });
    await client.flush();
    expect(fake.events().map((e) => [e.trace_id, e.span_id])).toEqual([
      [first, undefined],
      ['f'.repeat(32), undefined],
      ['a'.repeat(32), 'b'.repeat(16)],
    ]);
  });

  it('asks the newest trace source first; undefined or a throw leaves it to older ones, then to its own', () => {
    const { client } = setup();
    const own = client.currentTrace();
    const trace = (digit: string) => ({ traceId: digit.repeat(32), flags: 1 });
    let answer: ReturnType<typeof trace> | undefined = trace('a');
    const removeOlder = client.addTraceSource(() => trace('b'));
    const newer = () => answer;
    const removeNewer = client.addTraceSource(newer);
    client.addTraceSource(() => {
      throw new Error('a broken source');
    });
    expect(client.currentTrace()).toEqual(trace('a'));
    // What a source that wraps the others asks.
    expect(client.currentTrace(newer)).toEqual(trace('b'));
    answer = undefined;
    expect(client.traceId()).toBe('b'.repeat(32));
    removeOlder();
    removeOlder();
    expect(client.currentTrace()).toBe(own);
    answer = trace('c');
    expect(client.traceId()).toBe('c'.repeat(32));
    removeNewer();
    expect(client.currentTrace()).toBe(own);
  });

  it('scrubs personal data and secrets by default, before beforeSend sees the event', async () => {
    let seen = '';
    const { client, fake } = setup(
      {
        beforeSend: (event) => {
          seen = JSON.stringify(event);
          return event;
        },
        environment: 'staging jane.doe@example.com',
      },
      { pageUrl: () => 'https://shop.test/reset?token=abc123&step=2' },
    );
    client.setUser({ id: 'jane.doe@example.com' });
    client.setContext({ tenant: 'acme', session_token: 's3cr3t' });
    client.log('info', 'signup', { note: 'mail jane.doe@example.com', card: '4111 1111 1111 1111', password: 'hunter2' });
    client.captureError(new Error('declined for jane.doe@example.com'));
    client.capture({
      level: 'warn',
      event: 'http_request',
      http: { method: 'GET', url: 'https://shop.test/me?access_token=t0k', status_code: 401, duration_ms: 3 },
    });
    await client.flush();
    const [logged, error, request] = fake.events();
    expect(logged).toMatchObject({ note: 'mail [email]', card: '[card]', password: '[redacted]', tenant: 'acme', session_token: '[redacted]' });
    expect(logged).toMatchObject({ user_id: '[email]', environment: 'staging [email]', service: 'web' });
    expect(logged.url).toBe('https://shop.test/reset?token=[redacted]&step=2');
    expect(error.error!.message).toBe('declined for [email]');
    expect(request.http!.url).toBe('https://shop.test/me?access_token=[redacted]');
    // What the SDK makes itself is left as it is.
    expect(logged.id).toMatch(/^[\da-f]{32}$/);
    expect(logged.trace_id).toMatch(/^[\da-f]{32}$/);
    expect(seen).not.toContain('jane.doe@example.com');
    expect(seen).not.toContain('hunter2');
  });

  it('reports events dropped from a full queue with the session and page, past beforeSend', async () => {
    const { client, fake } = setup(
      { maxQueue: 3, beforeSend: (event) => (event.event === 'noise' ? event : null) },
      { pageUrl: () => 'https://shop.test/cart?token=abc', sessionId: () => 's-1' },
    );
    for (let i = 0; i < 5; i++) client.log('info', 'noise', { i });
    await client.flush();
    // The notice takes a place in the queue too: 2 of the 5 stay beside it.
    const [a, b, notice] = fake.events();
    expect([a.i, b.i]).toEqual([3, 4]);
    expect(notice).toMatchObject({
      event: 'events_dropped',
      level: 'warn',
      count: 3,
      session_id: 's-1',
      url: 'https://shop.test/cart?token=[redacted]',
      service: 'web',
    });
  });

  it('keeps the errors of a synchronous burst far beyond maxQueue, and counts every event it let go', async () => {
    const { client, fake } = setup({ maxQueue: 5 });
    for (let i = 0; i < 300; i++) {
      client.log('info', 'noise', { i });
      if (i % 100 === 50) client.captureError(new Error(`boom ${i}`));
    }
    await client.flush();
    const events = fake.events();
    const notice = events.find((event) => event.event === 'events_dropped');
    expect(events.filter((event) => event.event === 'client_error').map((event) => event.error!.message)).toEqual(['boom 50', 'boom 150', 'boom 250']);
    // 303 recorded; what was sent and what the notice counts add up to all of them.
    expect(events.length - 1 + Number(notice?.count)).toBe(303);
    expect(events.length).toBeLessThanOrEqual(5);
  });

  it('sends what the app logged unchanged with redact: false', async () => {
    const { client, fake } = setup({ redact: false });
    client.log('info', 'signup', { email: 'jane.doe@example.com' });
    await client.flush();
    expect(fake.events()[0].email).toBe('jane.doe@example.com');
  });

  it('lets beforeSend change or drop events', async () => {
    const { client, fake } = setup({
      beforeSend: (event) => (event.event === 'noise' ? null : { ...event, reviewed: true }),
    });
    client.log('info', 'noise');
    client.log('info', 'signal');
    await client.flush();
    expect(fake.events()).toEqual([expect.objectContaining({ event: 'signal', reviewed: true })]);
  });

  it('drops the event and says so when beforeSend throws', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { client, fake } = setup({
      beforeSend: () => {
        throw new Error('bug in beforeSend');
      },
    });
    client.log('info', 'x');
    await client.flush();
    expect(fake.calls).toHaveLength(0);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('beforeSend threw'), expect.any(Error));
  });

  it('drops the event and says so when beforeSend returns no event, and reads the objects it returns into plain data', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const trap = () => {
      throw new Error('trap');
    };
    const results: Array<(event: TelemetryEvent) => unknown> = [
      () => 'event',
      () => 42,
      () => [],
      () => new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap }),
      (event) => Object.assign(event, { self: event }),
      (event) => new Proxy(event, {}),
      (event) => ({
        ...event,
        huge: 'x'.repeat(1_000_000),
        get bad() {
          return trap();
        },
      }),
    ];
    const sent: TelemetryEvent[] = [];
    for (const result of results) {
      const { client, fake } = setup({ beforeSend: result as ClientOptions['beforeSend'] });
      client.log('info', 'checked');
      await client.flush();
      sent.push(...fake.events());
    }
    expect(error.mock.calls.filter(([message]) => String(message).includes('beforeSend threw or returned no event'))).toHaveLength(4);
    expect(sent.map((e) => e.event)).toEqual(['checked', 'checked', 'checked']);
    expect(sent[0].self).toBe('[Circular]');
    expect(sent[2].bad).toBe('[Unreadable]');
    expect(String(sent[2].huge).length).toBeLessThan(17_000);
  });

  it('puts back the wire fields beforeSend broke, reads its level and name as log does, and clips or leaves out the optional strings', async () => {
    const { client, fake } = setup({
      beforeSend: (event) =>
        ({
          ...event,
          id: 5,
          level: 'fatal',
          event: 'Not A Name',
          trace_id: null,
          timestamp: 'now',
          sdk: undefined,
          service: '',
          url: 'u'.repeat(20_000),
          session_id: 7,
        }) as never,
    });
    client.log('warn', 'checked');
    await client.flush();
    const [event] = fake.events();
    expect(event).toMatchObject({ level: 'info', event: 'not_a_name', trace_id: client.traceId(), service: 'web', sdk: { name: 'tracebeam' } });
    expect(event.id).toMatch(/^[0-9a-f]{32}$/);
    expect(event.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(event.url).toHaveLength(8_192);
    expect(event).not.toHaveProperty('session_id');
  });

  it('keeps only errors in a session sampled out', async () => {
    const { client, fake } = setup(
      { sampleRate: 0.5 },
      {
        isSampled: (rate) => {
          expect(rate).toBe(0.5);
          return false;
        },
      },
    );
    client.log('info', 'kept_out');
    client.captureError(new Error('always kept'));
    await client.flush();
    expect(fake.events().map((e) => e.event)).toEqual(['client_error']);
  });

  it('shrinks an event too large for one beacon, and marks it truncated', async () => {
    const { client, fake } = setup();
    const huge = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'.repeat(5_000)]));
    client.log('info', 'huge', huge);
    await client.flush();
    const [event] = fake.events();
    expect(event).toMatchObject({ event: 'huge', truncated: true, trace_id: client.traceId() });
    expect(JSON.stringify(event).length).toBeLessThan(60_000);
  });

  it('sets integrations up with the client and undoes them at shutdown, in reverse order', async () => {
    const order: string[] = [];
    const integration = (name: string): Integration => ({
      name,
      setup: (c) => {
        expect(c.options.service).toBe('web');
        order.push(`setup ${name}`);
        return () => order.push(`teardown ${name}`);
      },
    });
    const { client } = setup({ integrations: [integration('a'), integration('b')] });
    await client.shutdown();
    await client.shutdown();
    expect(order).toEqual(['setup a', 'setup b', 'teardown b', 'teardown a']);
  });

  it('sends what an integration captures while it stops', async () => {
    const { client, fake } = setup({
      integrations: [{ name: 'summary', setup: (c) => () => c.log('warn', 'last_word') }],
    });
    await client.shutdown();
    expect(fake.events().map((e) => e.event)).toEqual(['last_word']);
  });

  it('survives integrations that throw while starting or stopping', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { client, fake } = setup({
      integrations: [
        {
          name: 'bad-start',
          setup: () => {
            throw new Error('x');
          },
        },
        {
          name: 'bad-stop',
          setup: () => () => {
            throw new Error('y');
          },
        },
      ],
    });
    client.log('info', 'still_works');
    await expect(client.shutdown()).resolves.toBeUndefined();
    expect(fake.events().map((e) => e.event)).toEqual(['still_works']);
  });

  it('sends what waits at shutdown, then nothing more', async () => {
    const { client, fake } = setup();
    client.log('info', 'last');
    await client.shutdown();
    client.log('info', 'after');
    await client.flush();
    expect(fake.events().map((e) => e.event)).toEqual(['last']);
  });

  it('beacons the queue when the platform says the page is hidden', async () => {
    let hide!: (hidden: boolean) => void;
    const beacons: string[] = [];
    const { client } = setup(
      {},
      {
        onVisibility: (cb) => {
          hide = cb;
          return () => undefined;
        },
        sendBeacon: (_, body) => beacons.push(body) > 0,
      },
    );
    client.log('info', 'bye');
    await Promise.resolve();
    hide(true);
    expect(JSON.parse(beacons[0]).events[0].event).toBe('bye');
  });

  it('never throws from the public API, whatever it is handed', async () => {
    const { client, fake } = setup();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => {
      client.log(undefined as never, undefined as never, cyclic);
      client.log('info', 'x', 'not an object' as never);
      client.captureError(undefined);
      client.setUser(undefined as never);
      client.setContext(null as never);
      client.setContext('x' as never);
    }).not.toThrow();
    await client.flush();
    expect(fake.events()).toHaveLength(3);
  });

  it('never throws on objects that throw when read: revoked proxies, throwing getters', async () => {
    const { client, fake } = setup();
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const getter = Object.defineProperty({}, 'id', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    expect(() => {
      client.log('info', 'x', proxy);
      client.captureError(proxy, proxy);
      client.setUser(getter as never);
      client.setContext(proxy);
      client.setContext(getter);
    }).not.toThrow();
    client.log('info', 'still_works');
    await client.flush();
    expect(fake.events().map((e) => e.event)).toContain('still_works');
  });
});

describe('client with wrong options', () => {
  it.each([
    [{ sink: undefined }, 'option `sink`'],
    [{ sink: 'http://[' }, 'option `sink`'],
    [{ sampleRate: 'all' }, 'option `sampleRate`'],
    [{ service: '' }, 'option `service`'],
  ])('reports %j once by name and does nothing', async (bad, message) => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const setupSpy = vi.fn();
    const { client, fake } = setup({ ...bad, integrations: [{ name: 'x', setup: setupSpy }] } as Partial<ClientOptions>);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0][0]).toContain(message);
    client.log('info', 'x');
    client.captureError(new Error('x'));
    await client.flush();
    await client.shutdown();
    expect(fake.calls).toHaveLength(0);
    expect(setupSpy).not.toHaveBeenCalled();
    expect(client.traceId()).toMatch(/^[0-9a-f]{32}$/);
  });
});
