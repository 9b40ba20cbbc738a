/**
 * Events at the edge: built when they are recorded, held in memory, and sent as one request by
 * `flush()`. An edge function lives for one request, so there is no timer and no page exit to
 * wait for: whoever owns the request's lifetime hands `flush()` to `waitUntil`.
 */
import { newTraceId } from '../core/ids';
import { report } from '../core/logger';
import { redactValue } from '../core/redact';
import type { Attributes, CaptureInput, Level, TelemetryEvent } from '../core/types';
import { edgeEvent, errorInfo } from './event';
import { resolveEdgeOptions, type EdgeOptions, type EdgeResolved } from './options';
import { sendEvents } from './send';

export interface EdgeClient {
  log(level: Level, event: string, attributes?: Attributes): void;
  captureError(error: unknown, attributes?: Attributes): void;
  /** The trace id every event of this client carries. */
  traceId(): string;
  /**
   * Sends what was recorded since the last flush, as one request. It never rejects: hand it to
   * `ctx.waitUntil()` / `event.waitUntil()`, or await it.
   */
  flush(): Promise<void>;
}

/** The client with what the request wrapper needs besides (its trace id is the wrapper's). */
export interface Recorder extends Omit<EdgeClient, 'traceId'> {
  capture(input: CaptureInput): void;
  captureError(error: unknown, attributes?: Attributes, handled?: boolean): void;
  /** Flushes now, and from then on sends every later event at once through `waitUntil`. */
  close(waitUntil: (promise: Promise<void>) => void): void;
}

/** `off` gives the same shape doing nothing, for when the options were wrong. */
export function createRecorder(options: EdgeResolved, trace: { traceId: string; spanId?: string }, fetchFn: typeof fetch, off?: boolean): Recorder {
  let events: TelemetryEvent[] = [];
  let late: ((promise: Promise<void>) => void) | undefined;
  const given = { service: options.service, release: options.release, environment: options.environment };
  const base = { ...(options.redact ? redactValue(given) : given), trace_id: trace.traceId, span_id: trace.spanId };

  // Telemetry never throws into the handler: a failure (even in describing a strange thrown value)
  // costs at most the event.
  const record = (make: () => CaptureInput): void => {
    if (off) return;
    try {
      const event = options.beforeSend(edgeEvent(make(), base, options.redact));
      if (event) events.push(event);
      late?.(flush());
    } catch (error) {
      report('an event was dropped:', error);
    }
  };
  const flush = (): Promise<void> => {
    const batch = events;
    events = [];
    return batch.length ? sendEvents(fetchFn, options.sink, batch) : Promise.resolve();
  };
  return {
    capture: (input) => record(() => input),
    flush,
    log: (level, event, attributes) => record(() => ({ level, event, attributes })),
    // `handled` is false only for what a handler threw at the request wrapper.
    captureError: (error, attributes, handled = true) =>
      record(() => ({ level: 'error', event: 'client_error', error: errorInfo(error, handled), attributes })),
    close(waitUntil) {
      late = waitUntil;
      waitUntil(flush());
    },
  };
}

/**
 * A client for code outside a request (a scheduled handler, a queue consumer). Its events share
 * one new trace id; make one per invocation and hand `flush()` to `waitUntil`.
 * Wrong options give one console error naming the option, and a client that does nothing.
 */
export function createEdgeClient(options: EdgeOptions): EdgeClient {
  const [resolved, problem] = resolveEdgeOptions(options);
  const trace = { traceId: newTraceId() };
  const { capture, close, ...client } = createRecorder(resolved, trace, globalThis.fetch, !!problem);
  return { ...client, traceId: () => trace.traceId };
}
