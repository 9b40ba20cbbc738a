import type { TelemetryEvent } from '../../../src/core/types';

let counter = 0;

/** A lowercase hex id of `length` digits, different on every call and never all zero. */
export function hexId(length = 32): string {
  counter += 1;
  // Padded with zeros: padding with a hex digit would make 0xa and 0xaa the same id.
  return counter.toString(16).padStart(length, '0').slice(-length);
}

/** A valid event of the wire format; `overrides` replace or add fields. */
export function validEvent(overrides: Record<string, unknown> = {}): TelemetryEvent {
  return {
    id: hexId(32),
    timestamp: '2024-05-01T12:00:00.000Z',
    level: 'info',
    event: 'checkout_started',
    service: 'web',
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7',
    sdk: { name: 'tracebeam', version: '0.1.0' },
    ...overrides,
  } as TelemetryEvent;
}

/** A valid event without `field`. */
export function eventWithout(field: string): Record<string, unknown> {
  const event: Record<string, unknown> = { ...validEvent() };
  delete event[field];
  return event;
}

export const SINK_URL = 'https://sink.example.com/api/log';

/** A POST to the sink with a JSON body; `init` may replace the headers or the body. */
export function post(body: unknown, init: { headers?: Record<string, string>; url?: string } = {}): Request {
  return new Request(init.url ?? SINK_URL, {
    method: 'POST',
    headers: init.headers ?? { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A writer that records every batch it is given. */
export function recordingWriter(): { write: (events: TelemetryEvent[]) => void; batches: TelemetryEvent[][] } {
  const batches: TelemetryEvent[][] = [];
  return { batches, write: (events) => void batches.push(events) };
}
