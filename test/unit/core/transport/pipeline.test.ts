import { afterEach, describe, expect, it, vi } from 'vitest';
import { BEACON_MAX_BYTES, createPipeline, type PipelineOptions, utf8Length } from '../../../../src/core/transport/pipeline';
import { recordingFetch, settle } from '../recording-fetch';

const SINK = 'https://logs.test/api/log';

type Fake = ReturnType<typeof recordingFetch>;

function pipeline(fake: Fake, options: Partial<PipelineOptions<string>> = {}) {
  return createPipeline<string>({
    sink: SINK,
    fetch: fake.fetch,
    maxEvents: 50,
    maxBytes: 60_000,
    flushIntervalMs: 5_000,
    maxQueue: 1_000,
    serialize: (name) => JSON.stringify({ event: name }),
    droppedNotice: (count) => JSON.stringify({ event: 'events_dropped', count }),
    debug: () => undefined,
    random: () => 0,
    ...options,
  });
}

const names = (fake: Fake) => fake.events().map((e) => e.event);

afterEach(() => {
  vi.useRealTimers();
});

describe('pipeline: when to flush', () => {
  it('sends at maxEvents, in one request', async () => {
    const fake = recordingFetch(202);
    const p = pipeline(fake, { maxEvents: 3 });
    ['a', 'b', 'c'].forEach((n) => p.add(n, false));
    expect(fake.calls).toHaveLength(0); // the caller never waits on serialization or network
    await settle();
    expect(fake.calls).toHaveLength(1);
    expect(names(fake)).toEqual(['a', 'b', 'c']);
    expect(fake.calls[0].init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
  });

  it('sends at maxBytes, and no request body exceeds it', async () => {
    const fake = recordingFetch(202);
    const p = pipeline(fake, { maxBytes: 1_000 });
    for (let i = 0; i < 30; i++) p.add('x'.repeat(90) + i, false);
    await settle();
    expect(fake.calls.length).toBeGreaterThan(1);
    for (const call of fake.calls) expect(utf8Length(String(call.init.body))).toBeLessThanOrEqual(1_000);
    expect(fake.events()).toHaveLength(30);
  });

  it('sends what waits every flushIntervalMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = recordingFetch(202);
    const p = pipeline(fake, { flushIntervalMs: 5_000 });
    p.add('a', false);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fake.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(names(fake)).toEqual(['a']);
  });

  it('flushes on request, and sends nothing when nothing waits', async () => {
    const fake = recordingFetch(202);
    const p = pipeline(fake);
    await p.flush('manual');
    expect(fake.calls).toHaveLength(0);
    p.add('a', false);
    await p.flush('manual');
    expect(names(fake)).toEqual(['a']);
  });

  it('drops what serialize refuses (beforeSend returned null)', async () => {
    const fake = recordingFetch(202);
    const p = pipeline(fake, { serialize: (n) => (n === 'secret' ? null : JSON.stringify({ event: n })) });
    ['a', 'secret', 'b'].forEach((n) => p.add(n, false));
    await p.flush('manual');
    expect(names(fake)).toEqual(['a', 'b']);
  });
});

describe('pipeline: retries', () => {
  it('retries a 503 after the back-off and sends each event once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = recordingFetch(503, 202);
    const p = pipeline(fake);
    p.add('a', false);
    await p.flush('manual');
    expect(fake.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(fake.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1].events.map((e) => e.event)).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fake.calls).toHaveLength(2);
  });

  it('keeps the same event ids across retries, so the sink can drop repeats', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = recordingFetch('network-error', 202);
    let n = 0;
    const p = pipeline(fake, { serialize: (name) => JSON.stringify({ event: name, id: ++n }) });
    p.add('a', false);
    await p.flush('manual');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.calls.map((c) => c.events[0].id)).toEqual([1, 1]);
  });

  it('backs off exponentially while the sink keeps failing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = recordingFetch(500);
    const p = pipeline(fake, { random: () => 1 });
    p.add('a', false);
    await p.flush('manual');
    const times: number[] = [];
    for (let t = 0; t < 40_000; t += 250) {
      const before = fake.calls.length;
      await vi.advanceTimersByTimeAsync(250);
      if (fake.calls.length > before) times.push(t + 250);
    }
    // Waits of 1 s, 2 s, 4 s, 8 s, 16 s after each failure (random() = 1 takes the top of each step).
    expect(times).toEqual([1_000, 3_000, 7_000, 15_000, 31_000]);
  });

  it('honours Retry-After on a 429', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = recordingFetch(new Response(null, { status: 429, headers: { 'Retry-After': '7' } }), 202);
    const p = pipeline(fake);
    p.add('a', false);
    await p.flush('manual');
    await vi.advanceTimersByTimeAsync(6_999);
    expect(fake.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.calls).toHaveLength(2);
  });

  it('holds count and timer flushes while backing off, but not an explicit flush', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = recordingFetch(new Response(null, { status: 503, headers: { 'Retry-After': '60' } }), 202);
    const p = pipeline(fake, { maxEvents: 2 });
    p.add('a', false);
    p.add('b', false);
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.calls).toHaveLength(1);
    p.add('c', false);
    p.add('d', false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.calls).toHaveLength(1);
    await p.flush('manual');
    expect(names(fake)).toEqual(['a', 'b', 'a', 'b', 'c', 'd']);
  });

  it('drops a batch the sink refuses with a 400 and goes on with the next', async () => {
    const fake = recordingFetch(400, 202);
    const debug = vi.fn();
    const p = pipeline(fake, { maxEvents: 1, debug });
    p.add('bad', false);
    await p.flush('manual');
    p.add('good', false);
    await p.flush('manual');
    expect(names(fake)).toEqual(['bad', 'good']);
    expect(debug).toHaveBeenCalledWith(expect.stringContaining('refused 1 events'));
  });
});

describe('pipeline: the bounded queue', () => {
  it('evicts the oldest non-error events and reports the count in one events_dropped', async () => {
    const fake = recordingFetch(202);
    const p = pipeline(fake, { maxQueue: 5, maxEvents: 100 });
    p.add('error-1', true);
    for (let i = 0; i < 10; i++) p.add(`log-${i}`, false);
    await p.flush('manual');
    const sent = fake.events();
    expect(sent.map((e) => e.event)).toEqual(['error-1', 'log-7', 'log-8', 'log-9', 'events_dropped']);
    expect(sent.at(-1)).toMatchObject({ count: 7 });
  });

  it('raises the count of a waiting notice rather than adding more notices', async () => {
    const fake = recordingFetch(202);
    const p = pipeline(fake, { maxQueue: 3, maxEvents: 100 });
    for (let i = 0; i < 5; i++) p.add(`a${i}`, false);
    await settle();
    for (let i = 0; i < 5; i++) p.add(`b${i}`, false);
    await p.flush('manual');
    const notices = fake.events().filter((e) => e.event === 'events_dropped');
    expect(notices).toHaveLength(1);
    expect(fake.events()).toHaveLength(3);
    expect(notices[0].count).toBe(8);
  });
});

describe('pipeline: page exit', () => {
  it('sends everything by beacon when the page is hidden, as text for a preflight-free request', () => {
    const fake = recordingFetch(202);
    const beacons: string[] = [];
    const p = pipeline(fake, { sendBeacon: (url, body) => (expect(url).toBe(SINK), beacons.push(body) > 0) });
    p.add('a', false);
    p.add('b', false);
    p.setHidden(true);
    expect(beacons.map((b) => JSON.parse(b).events.map((e: { event: string }) => e.event))).toEqual([['a', 'b']]);
    expect(fake.calls).toHaveLength(0);
  });

  it('splits the queue into beacons of at most 60,000 bytes and loses nothing', () => {
    const fake = recordingFetch(202);
    const beacons: string[] = [];
    const p = pipeline(fake, { sendBeacon: (_, body) => beacons.push(body) > 0 });
    for (let i = 0; i < 300; i++) p.add(`event-${i}-${'é'.repeat(500)}`, false);
    p.setHidden(true);
    expect(beacons.length).toBeGreaterThan(4);
    for (const body of beacons) expect(utf8Length(body)).toBeLessThanOrEqual(BEACON_MAX_BYTES);
    const sent = beacons.flatMap((b) => JSON.parse(b).events.map((e: { event: string }) => e.event));
    expect(sent).toHaveLength(300);
    expect(new Set(sent).size).toBe(300);
  });

  it('falls back to a keepalive fetch when a beacon is refused', async () => {
    const fake = recordingFetch(202);
    const p = pipeline(fake, { sendBeacon: () => false });
    p.add('a', false);
    p.setHidden(true);
    await settle();
    expect(names(fake)).toEqual(['a']);
    expect(fake.calls[0].init).toMatchObject({ keepalive: true, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  });

  it('falls back to keepalive fetch where sendBeacon throws or is missing', async () => {
    const fake = recordingFetch(202);
    const p = pipeline(fake, {
      sendBeacon: () => {
        throw new TypeError('Illegal invocation');
      },
    });
    p.add('a', false);
    p.setHidden(true);
    await settle();
    expect(names(fake)).toEqual(['a']);
  });

  it('queues again what the keepalive fallback failed to send, for when the page comes back', async () => {
    const fake = recordingFetch('network-error', 202);
    const p = pipeline(fake, { sendBeacon: () => false });
    p.add('a', false);
    p.setHidden(true);
    await settle();
    p.setHidden(false);
    await p.flush('manual');
    expect(names(fake)).toEqual(['a', 'a']);
  });

  it('sends events that arrive while hidden at once (vitals are reported on hide)', async () => {
    const beacons: string[] = [];
    const p = pipeline(recordingFetch(202), { sendBeacon: (_, body) => beacons.push(body) > 0 });
    p.setHidden(true);
    expect(beacons).toHaveLength(0);
    p.add('late_vital', false);
    await settle();
    expect(beacons).toHaveLength(1);
    expect(beacons[0]).toContain('late_vital');
  });

  it('also beacons the batch in flight, which a closing page would cancel', async () => {
    let release!: (r: Response) => void;
    const beacons: string[] = [];
    const calls: string[] = [];
    const hanging = ((_: unknown, init: RequestInit) => {
      calls.push(String(init.body));
      return new Promise<Response>((resolve) => (release = resolve));
    }) as typeof fetch;
    const p = pipeline({ fetch: hanging } as Fake, { sendBeacon: (_, body) => beacons.push(body) > 0 });
    p.add('in_flight', false);
    void p.flush('manual');
    await settle();
    expect(calls).toHaveLength(1);
    p.setHidden(true);
    expect(beacons[0]).toContain('in_flight');
    // The regular request then fails: what already left by beacon is not queued again.
    release(new Response(null, { status: 503 }));
    await settle();
    p.setHidden(false);
    await p.flush('manual');
    expect(calls).toHaveLength(1);
  });
});

describe('pipeline: stop', () => {
  it('takes no more events after stop', async () => {
    const fake = recordingFetch(202);
    const p = pipeline(fake);
    p.stop();
    p.add('a', false);
    await p.flush('manual');
    expect(fake.calls).toHaveLength(0);
  });
});

describe('utf8Length', () => {
  it.each(['plain', 'é', '€', '💥', 'a€💥é', '', '\ud83d alone'])('counts %j like TextEncoder', (text) => {
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });

  it('counts texts of every length, a short one after a long one too', () => {
    for (const text of ['€'.repeat(4_096), 'a'.repeat(4_097), '💥'.repeat(3_000), '€'.repeat(4_097), 'é'.repeat(10), 'x'.repeat(100_000)]) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});
