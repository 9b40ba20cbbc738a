import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { postBatch, REQUEST_TIMEOUT_MS } from '../../../../src/core/transport/http';
import { backoff, retryAfter } from '../../../../src/core/transport/retry';

const SINK = 'https://logs.test/api/log';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const answer = (status: number, headers: Record<string, string> = {}) => server.use(http.post(SINK, () => new HttpResponse(null, { status, headers })));

describe('postBatch', () => {
  it('POSTs the body as application/json and reports it sent', async () => {
    let seen: { type: string | null; body: string } | undefined;
    server.use(
      http.post(SINK, async ({ request }) => {
        seen = { type: request.headers.get('content-type'), body: await request.text() };
        return HttpResponse.json({ accepted: 1 }, { status: 202 });
      }),
    );
    expect(await postBatch(fetch, SINK, '{"events":[]}')).toBe('sent');
    expect(seen).toEqual({ type: 'application/json', body: '{"events":[]}' });
  });

  it('sends text/plain with keepalive at page exit, which needs no CORS preflight', async () => {
    let type: string | null = null;
    server.use(
      http.post(SINK, ({ request }) => {
        type = request.headers.get('content-type');
        return new HttpResponse(null, { status: 202 });
      }),
    );
    expect(await postBatch(fetch, SINK, '{}', true)).toBe('sent');
    expect(type).toBe('text/plain;charset=UTF-8');
  });

  it.each([400, 401, 403, 404, 413, 415, 422])('gives up on %i: retrying cannot help', async (status) => {
    answer(status);
    expect(await postBatch(fetch, SINK, '{}')).toBe('refused');
  });

  it.each([408, 429, 500, 502, 503, 504])('retries %i, leaving the delay to the back-off', async (status) => {
    answer(status);
    expect(await postBatch(fetch, SINK, '{}')).toBeNaN();
  });

  it('honours Retry-After in seconds on a 429', async () => {
    answer(429, { 'Retry-After': '7' });
    expect(await postBatch(fetch, SINK, '{}')).toBe(7000);
  });

  it('honours Retry-After as an HTTP date on a 503', async () => {
    answer(503, { 'Retry-After': new Date(Date.now() + 30_000).toUTCString() });
    const wait = await postBatch(fetch, SINK, '{}');
    expect(wait).toBeGreaterThan(28_000);
    expect(wait).toBeLessThanOrEqual(30_000);
  });

  it('retries a network error', async () => {
    server.use(http.post(SINK, () => HttpResponse.error()));
    expect(await postBatch(fetch, SINK, '{}')).toBeNaN();
  });

  it('gives up waiting on a sink that never answers, and retries later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    server.use(
      http.post(SINK, async () => {
        await delay('infinite');
        return new HttpResponse(null, { status: 202 });
      }),
    );
    const pending = postBatch(fetch, SINK, '{}');
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS);
    expect(await pending).toBeNaN();
    vi.useRealTimers();
  });

  it('never throws, even when fetch itself throws synchronously', async () => {
    const broken = (() => {
      throw new TypeError('not allowed');
    }) as unknown as typeof fetch;
    expect(await postBatch(broken, SINK, '{}')).toBeNaN();
  });
});

describe('retryAfter', () => {
  it.each([
    ['0', 0],
    ['120', 120_000],
    [' 3 ', 3000],
    ['99999', 600_000],
  ])('reads %j as %i ms (capped at ten minutes)', (value, ms) => {
    expect(retryAfter(value)).toBe(ms);
  });

  it('reads an HTTP date relative to now, and a past date as now', () => {
    const now = Date.parse('Sat, 21 Nov 2026 12:00:00 GMT');
    expect(retryAfter('Sat, 21 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(retryAfter('Sat, 21 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it.each([null, '', 'soon', '-5', '1.5'])('gives NaN for %j, so the back-off decides', (value) => {
    expect(retryAfter(value)).toBeNaN();
  });
});

describe('backoff', () => {
  it('doubles from 1 s to at most 60 s, with jitter within each step', () => {
    expect(backoff(0, () => 0)).toBe(1000);
    expect(backoff(0, () => 1)).toBe(1000);
    expect(backoff(1, () => 0)).toBe(1000);
    expect(backoff(1, () => 1)).toBe(2000);
    expect(backoff(3, () => 0.5)).toBe(6000);
    expect(backoff(20, () => 1)).toBe(60_000);
    expect(backoff(20, () => 0)).toBe(30_000);
  });
});
