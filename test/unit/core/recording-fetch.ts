import type { TelemetryEvent } from '../../../src/core/types';

export interface Recorded {
  url: string;
  init: RequestInit;
  events: TelemetryEvent[];
}

/**
 * A fetch that records what the client sent and answers from a script: each call takes the next
 * answer (a status, a Response, or 'network-error'); the last one repeats.
 */
export function recordingFetch(...answers: Array<number | Response | 'network-error'>) {
  const calls: Recorded[] = [];
  const fetch = async (url: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    calls.push({ url: String(url), init, events: JSON.parse(String(init.body)).events });
    const answer = answers.length > 1 ? answers.shift()! : (answers[0] ?? 202);
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    return typeof answer === 'number' ? new Response(null, { status: answer }) : answer;
  };
  return { fetch: fetch as typeof globalThis.fetch, calls, events: () => calls.flatMap((c) => c.events) };
}

/** Lets queued microtasks (where the pipeline serializes) and resolved promises run. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
