import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDelivery, type DeliveryOptions, type Outbox } from '../../../../src/core/transport/delivery';
import { BEACON_MAX_BYTES, EXIT_BUDGET_BYTES, utf8Length } from '../../../../src/core/transport/envelope';
import { type Entry, toEntry } from '../../../../src/core/transport/queue';
import { recordingFetch, settle } from '../recording-fetch';

const SINK = 'https://logs.test/api/log';

type Fake = ReturnType<typeof recordingFetch>;

function delivery(fake: Pick<Fake, 'fetch'>, options: Partial<DeliveryOptions> = {}) {
  return createDelivery({
    sink: SINK,
    fetch: fake.fetch,
    maxEvents: 50,
    maxBytes: 60_000,
    flushIntervalMs: 5_000,
    maxQueue: 1_000,
    random: () => 0,
    ...options,
  });
}

let ids = 0;
const event = (name: string, isError = false): Entry => toEntry(JSON.stringify({ event: name, id: ++ids }), isError);
const add = (d: ReturnType<typeof delivery>, ...names: string[]) => d.add(names.map((name) => event(name)));
const names = (fake: Fake) => fake.events().map((e) => e.event);
const beaconEvents = (beacons: string[]) => beacons.flatMap((b) => JSON.parse(b).events.map((e: { event: string }) => e.event));

/** An outbox that remembers what it was last asked to keep. */
function memoryOutbox() {
  const saves: string[][] = [];
  const outbox: Outbox = {
    save: (entries) => saves.push(entries.map((e) => JSON.parse(e.json).event)) > 0,
    restore: async () => ({ entries: [], dropped: 0, settle: () => undefined }),
  };
  return { outbox, saves, kept: () => saves.at(-1) ?? [] };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('delivery: when to flush', () => {
  it('sends at maxEvents, in one request', async () => {
    const fake = recordingFetch(202);
    const d = delivery(fake, { maxEvents: 3 });
    add(d, 'a', 'b');
    expect(fake.calls).toHaveLength(0);
    add(d, 'c');
    await settle();
    expect(fake.calls).toHaveLength(1);
    expect(names(fake)).toEqual(['a', 'b', 'c']);
    expect(fake.calls[0].init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
  });

  it('sends at maxBytes, and no request body exceeds it', async () => {
    const fake = recordingFetch(202);
    const d = delivery(fake, { maxBytes: 1_000 });
    for (let i = 0; i < 30; i++) add(d, 'x'.repeat(90) + i);
    await d.flush();
    expect(fake.calls.length).toBeGreaterThan(1);
    for (const call of fake.calls) expect(utf8Length(String(call.init.body))).toBeLessThanOrEqual(1_000);
    expect(fake.events()).toHaveLength(30);
  });

  it('sends what waits every flushIntervalMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = recordingFetch(202);
    const d = delivery(fake, { flushIntervalMs: 5_000 });
    add(d, 'a');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fake.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(names(fake)).toEqual(['a']);
  });

  it('flushes on request, and sends nothing when nothing waits', async () => {
    const fake = recordingFetch(202);
    const d = delivery(fake);
    await d.flush();
    expect(fake.calls).toHaveLength(0);
    add(d, 'a');
    await d.flush();
    expect(names(fake)).toEqual(['a']);
  });

  it('names the reason of every send', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const d = delivery(recordingFetch(503, 202), { maxEvents: 2, maxBytes: 200, debug: true });
    add(d, 'a', 'b'); // count: fails, so a retry follows
    await vi.advanceTimersByTimeAsync(1_000); // retry
    add(d, 'x'.repeat(250)); // bytes
    await vi.advanceTimersByTimeAsync(0);
    add(d, 'c');
    await vi.advanceTimersByTimeAsync(5_000); // timer
    add(d, 'd');
    await d.flush(); // manual
    const reasons = (spy: typeof info) => spy.mock.calls.map(([message]) => /\((\w+)\)/.exec(String(message))?.[1]);
    expect(reasons(warn)).toEqual(['count']);
    expect(reasons(info)).toEqual(['retry', 'bytes', 'timer', 'manual']);
  });
});

describe('delivery: under pressure', () => {
  it('batches events that arrive one by one while a request is in flight', async () => {
    const fake = recordingFetch(202);
    const d = delivery(fake, { maxEvents: 50 });
    // An app awaiting one fetch after another: each answer brings one event.
    for (let i = 0; i < 200; i++) {
      add(d, `e${i}`);
      await settle();
    }
    await d.flush();
    expect(fake.events()).toHaveLength(200);
    expect(fake.calls.length).toBeLessThanOrEqual(Math.ceil(200 / 50) + 2);
  });

  it('sends a burst larger than maxQueue sooner instead of evicting it, a slow sink notwithstanding', async () => {
    let inFlight = 0;
    let most = 0;
    const calls: string[] = [];
    const slow = (async (_: unknown, init: RequestInit) => {
      most = Math.max(most, ++inFlight);
      calls.push(String(init.body));
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      return new Response(null, { status: 202 });
    }) as typeof fetch;
    const d = delivery({ fetch: slow }, { maxQueue: 1_000 });
    for (let i = 0; i < 2_000; i++) {
      add(d, `e${i}`);
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await d.flush();
    expect(d.takeDropped()).toBe(0);
    const sent = calls.flatMap((body) => JSON.parse(body).events.map((e: { event: string }) => e.event));
    expect(new Set(sent).size).toBe(2_000);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });
});

describe('delivery: retries', () => {
  it('retries a 503 after the back-off and sends each event once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = recordingFetch(503, 202);
    const d = delivery(fake);
    add(d, 'a');
    await d.flush();
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
    const d = delivery(fake);
    add(d, 'a');
    await d.flush();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.calls.map((c) => c.events[0].id)).toEqual([ids, ids]);
  });

  it('backs off exponentially while the sink keeps failing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = recordingFetch(500);
    const d = delivery(fake, { random: () => 1 });
    add(d, 'a');
    await d.flush();
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
    const d = delivery(fake);
    add(d, 'a');
    await d.flush();
    await vi.advanceTimersByTimeAsync(6_999);
    expect(fake.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.calls).toHaveLength(2);
  });

  it('holds count and timer flushes while backing off, but not an explicit flush', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = recordingFetch(new Response(null, { status: 503, headers: { 'Retry-After': '60' } }), 202);
    const d = delivery(fake, { maxEvents: 2 });
    add(d, 'a', 'b');
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.calls).toHaveLength(1);
    add(d, 'c', 'd');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.calls).toHaveLength(1);
    await d.flush();
    expect(names(fake)).toEqual(['a', 'b', 'a', 'b', 'c', 'd']);
  });

  it('drops a batch the sink refuses with a 400 and goes on with the next', async () => {
    const fake = recordingFetch(400, 202);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const d = delivery(fake, { maxEvents: 1, debug: true });
    add(d, 'bad');
    await d.flush();
    add(d, 'good');
    await d.flush();
    expect(names(fake)).toEqual(['bad', 'good']);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('the sink refused 1 events (count)'), '');
  });

  it('runs a retry that fell due while the page was hidden as soon as it is visible again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fake = recordingFetch(503, 'network-error', 202);
    // The beacon is refused and so is its keepalive fallback: the events wait for the page's return.
    const d = delivery(fake, { sendBeacon: () => false });
    add(d, 'a');
    await d.flush();
    d.setHidden(true);
    await vi.advanceTimersByTimeAsync(0);
    // A hidden tab's timers are throttled: the retry is due, but nothing has run it.
    vi.setSystemTime(Date.now() + 5_000);
    const before = fake.calls.length;
    d.setHidden(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.calls.length).toBe(before + 1);
    expect(fake.calls.at(-1)!.events.map((e) => e.event)).toEqual(['a']);
    expect(fake.calls.at(-1)!.init.keepalive).toBeFalsy();
  });
});

describe('delivery: the bounded queue', () => {
  it('evicts the oldest non-error events and counts them for the client', async () => {
    const fake = recordingFetch(202);
    const d = delivery(fake, { maxQueue: 5, maxEvents: 100 });
    d.add([event('error-1', true)]);
    for (let i = 0; i < 10; i++) add(d, `log-${i}`);
    expect(d.takeDropped()).toBe(6);
    expect(d.takeDropped()).toBe(0);
    await d.flush();
    expect(names(fake)).toEqual(['error-1', 'log-6', 'log-7', 'log-8', 'log-9']);
  });
});

describe('delivery: page exit', () => {
  it('sends everything by beacon when the page is hidden, as text for a preflight-free request', () => {
    const fake = recordingFetch(202);
    const beacons: string[] = [];
    const d = delivery(fake, {
      sendBeacon: (url, body) => {
        expect(url).toBe(SINK);
        return beacons.push(body) > 0;
      },
    });
    add(d, 'a', 'b');
    d.setHidden(true);
    expect(beacons.map((b) => JSON.parse(b).events.map((e: { event: string }) => e.event))).toEqual([['a', 'b']]);
    expect(fake.calls).toHaveLength(0);
  });

  it('keeps its beacons within its share of the keepalive allowance, errors first, the rest in the outbox', () => {
    const beacons: string[] = [];
    const { outbox, kept } = memoryOutbox();
    const d = delivery(recordingFetch(202), { sendBeacon: (_, body) => beacons.push(body) > 0, outbox });
    for (let i = 0; i < 300; i++) add(d, `event-${i}-${'é'.repeat(100)}`);
    d.add([event('the-error', true)]);
    d.setHidden(true);
    const total = beacons.reduce((sum, body) => sum + utf8Length(body), 0);
    expect(total).toBeLessThanOrEqual(EXIT_BUDGET_BYTES);
    for (const body of beacons) expect(utf8Length(body)).toBeLessThanOrEqual(BEACON_MAX_BYTES);
    const sent = beaconEvents(beacons);
    expect(sent[0]).toBe('the-error');
    expect(sent.length).toBeLessThan(301);
    // The outbox has them all: a beacon's true only means queued.
    expect(kept()).toHaveLength(301);
  });

  it('falls back to a keepalive fetch when a beacon is refused, and counts it against the same share', async () => {
    const fake = recordingFetch(202);
    const d = delivery(fake, { sendBeacon: () => false, maxEvents: 1_000, maxBytes: 1_000_000 });
    for (let i = 0; i < 100; i++) add(d, `event-${i}-${'x'.repeat(1_000)}`);
    d.setHidden(true);
    await settle();
    expect(fake.calls.every((call) => call.init.keepalive)).toBe(true);
    expect(fake.calls[0].init).toMatchObject({ headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    const bytes = fake.calls.reduce((sum, call) => sum + utf8Length(String(call.init.body)), 0);
    expect(bytes).toBeLessThanOrEqual(EXIT_BUDGET_BYTES);
    expect(bytes).toBeGreaterThan(EXIT_BUDGET_BYTES / 2);
  });

  it('falls back to keepalive fetch where sendBeacon throws or is missing', async () => {
    const fake = recordingFetch(202);
    const d = delivery(fake, {
      sendBeacon: () => {
        throw new TypeError('Illegal invocation');
      },
    });
    add(d, 'a');
    d.setHidden(true);
    await settle();
    expect(names(fake)).toEqual(['a']);
  });

  it('sends again by fetch, when the page is back, what left by beacon: a beacon may not have arrived', async () => {
    const fake = recordingFetch(202);
    const beacons: string[] = [];
    const { outbox, kept } = memoryOutbox();
    const d = delivery(fake, { sendBeacon: (_, body) => beacons.push(body) > 0, outbox });
    add(d, 'a', 'b');
    d.setHidden(true);
    expect(kept()).toEqual(['a', 'b']);
    d.setHidden(false);
    await d.flush();
    expect(names(fake)).toEqual(['a', 'b']);
    // Confirmed now: the outbox is cleared.
    expect(kept()).toEqual([]);
  });

  it('queues again what the keepalive fallback failed to send, for when the page comes back', async () => {
    const fake = recordingFetch('network-error', 202);
    const d = delivery(fake, { sendBeacon: () => false });
    add(d, 'a');
    d.setHidden(true);
    await settle();
    d.setHidden(false);
    await d.flush();
    expect(names(fake)).toEqual(['a', 'a']);
  });

  it('sends events that arrive while hidden at once (vitals are reported on hide), within the share left', () => {
    const beacons: string[] = [];
    const d = delivery(recordingFetch(202), { sendBeacon: (_, body) => beacons.push(body) > 0 });
    d.setHidden(true);
    expect(beacons).toHaveLength(0);
    add(d, 'late_vital');
    expect(beaconEvents(beacons)).toEqual(['late_vital']);
    // A second hide signal (pagehide after visibilitychange) sends nothing twice.
    d.setHidden(true);
    expect(beacons).toHaveLength(1);
  });

  it('also beacons the batch in flight, which a closing page would cancel, and sends it once when back', async () => {
    let release!: (r: Response) => void;
    const beacons: string[] = [];
    const calls: string[] = [];
    const hanging = ((_: unknown, init: RequestInit) => {
      calls.push(String(init.body));
      return new Promise<Response>((resolve) => (release = resolve));
    }) as typeof fetch;
    const d = delivery({ fetch: hanging }, { sendBeacon: (_, body) => beacons.push(body) > 0 });
    add(d, 'in_flight');
    void d.flush();
    await settle();
    expect(calls).toHaveLength(1);
    d.setHidden(true);
    expect(beacons[0]).toContain('in_flight');
    // The regular request then fails: the event waits as beaconed, and goes again once the page is back.
    release(new Response(null, { status: 503 }));
    await settle();
    d.setHidden(false);
    void d.flush();
    await settle();
    expect(calls).toHaveLength(2);
    expect(calls[1]).toContain('in_flight');
  });
});

describe('delivery: the outbox', () => {
  it('keeps what a failed send left, and clears it once the sink took it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { outbox, saves, kept } = memoryOutbox();
    const d = delivery(recordingFetch('network-error', 202), { outbox });
    add(d, 'a', 'b');
    await d.flush();
    expect(kept()).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(kept()).toEqual([]);
    expect(saves).toHaveLength(2);
  });

  it('never writes storage while every send goes through', async () => {
    const { outbox, saves } = memoryOutbox();
    const d = delivery(recordingFetch(202), { outbox, maxEvents: 2 });
    for (let i = 0; i < 10; i++) add(d, `e${i}`);
    await d.flush();
    expect(saves).toHaveLength(0);
  });

  it('sends restored events at once, and settles them once the sink confirmed them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = recordingFetch(503, 202);
    const d = delivery(fake);
    const settled = vi.fn();
    d.restore({ entries: [event('from_last_page')], dropped: 0, settle: settled });
    await vi.advanceTimersByTimeAsync(0);
    expect(names(fake)).toEqual(['from_last_page']);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(names(fake)).toEqual(['from_last_page', 'from_last_page']);
    expect(settled).toHaveBeenCalledTimes(1);
  });

  it('settles restored events as soon as this page’s own record holds them', () => {
    const { outbox, kept } = memoryOutbox();
    const d = delivery(recordingFetch(202), { outbox, sendBeacon: () => true });
    const settled = vi.fn();
    d.restore({ entries: [event('from_last_page')], dropped: 0, settle: settled });
    d.setHidden(true);
    expect(kept()).toEqual(['from_last_page']);
    expect(settled).toHaveBeenCalledTimes(1);
  });

  it('keeps what is unconfirmed at stop', async () => {
    const { outbox, kept } = memoryOutbox();
    const d = delivery(recordingFetch(503), { outbox });
    add(d, 'a');
    await d.flush();
    d.stop();
    expect(kept()).toEqual(['a']);
    add(d, 'late');
    expect(kept()).toEqual(['a']);
  });
});
