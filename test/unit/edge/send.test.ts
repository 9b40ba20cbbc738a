import { describe, expect, it, vi } from 'vitest';
import { sendEvents } from '../../../src/edge/send';
import type { TelemetryEvent } from '../../../src/core/types';

const EVENTS = [{ id: 'a', event: 'x' } as unknown as TelemetryEvent];

/** A fetch that answers with the given statuses in turn (a string is a network error). */
function answering(...answers: Array<number | string>) {
  return vi.fn(async () => {
    const answer = answers.shift();
    if (typeof answer === 'string') throw new TypeError(answer);
    return new Response(null, { status: answer });
  });
}

describe('sendEvents', () => {
  it('posts the wire format once when the sink takes it', async () => {
    const fetchFn = answering(202);
    const wait = vi.fn(async () => {});
    await sendEvents(fetchFn as unknown as typeof fetch, 'https://sink.example.com/api/log', EVENTS, wait);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    expect(fetchFn).toHaveBeenCalledWith('https://sink.example.com/api/log', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: EVENTS }),
    });
    expect(wait).not.toHaveBeenCalled();
  });

  it.each([[503], [429], [408], ['connection refused']])('retries after %s, 1 s then 2 s apart', async (first) => {
    const fetchFn = answering(first, first, 202);
    const wait = vi.fn(async () => {});
    await sendEvents(fetchFn as unknown as typeof fetch, 'https://sink.example.com/', EVENTS, wait);
    expect(fetchFn).toHaveBeenCalledTimes(3);
    expect(wait.mock.calls).toEqual([[1_000], [2_000]]);
  });

  it('gives up after three attempts and says so on the console, without rejecting', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const fetchFn = answering(500, 502, 503, 202);
    await expect(sendEvents(fetchFn as unknown as typeof fetch, 'https://sink.example.com/', EVENTS, async () => {})).resolves.toBeUndefined();
    expect(fetchFn).toHaveBeenCalledTimes(3);
    expect(errors.mock.calls[0][0]).toBe('[tracebeam] the sink did not take 1 event(s)');
  });

  it('does not retry what the sink refused (400, 413, 415)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const status of [400, 413, 415]) {
      const fetchFn = answering(status, 202);
      await sendEvents(fetchFn as unknown as typeof fetch, 'https://sink.example.com/', EVENTS, async () => {});
      expect(fetchFn).toHaveBeenCalledTimes(1);
    }
  });
});
