/**
 * The runtime-agnostic client: the public API, the current trace, integrations, and each event
 * built and serialized once for delivery. What the runtime offers (a fetch, a beacon, the page's
 * URL, page-exit signals, an outbox) comes in as a `Platform`, so the browser, the edge and the
 * tests each pass their own.
 */
import { toErrorInfo } from './error-info';
import { describeStart, PRODUCTION_NOTE } from './debug';
import { buildEvent, copyAttributes, type EventRecord, toEventName, toLevel } from './event';
import { newTraceId } from './ids';
import { report, say } from './logger';
import { resolveOptions } from './options';
import { redactValue, takeRedacted } from './redact';
import { clip, MAX_STACK, MAX_STRING, normalize } from './serialize';
import { createDelivery, type Outbox } from './transport/delivery';
import { BEACON_MAX_BYTES, utf8Length } from './transport/envelope';
import { shed, toEntry, type Entry } from './transport/queue';
import type { Attributes, CaptureInput, Client, ClientOptions, TelemetryEvent, TraceContext, TraceSource } from './types';

export interface Platform {
  /** The fetch to send with, captured before any integration patches the global one. */
  fetch: typeof fetch;
  sendBeacon?: (url: string, body: string) => boolean;
  /** Resolves a relative `sink`. */
  baseUrl?: string;
  pageUrl?: () => string | undefined;
  sessionId?: () => string | undefined;
  /** Whether this session keeps its non-error events, given `sampleRate`; a fresh draw by default. */
  isSampled?: (sampleRate: number) => boolean;
  /** Calls back with true when the page is hidden or leaving, false when it is back; returns an unsubscribe. */
  onVisibility?: (callback: (hidden: boolean) => void) => () => void;
  /** Where unconfirmed events wait for a later page (unless `persist: false`), given the absolute sink. */
  outbox?: (sink: string) => Outbox;
  /** Runs once the client is ready, before the integrations; returns what undoes it at shutdown. */
  start?: (client: Client) => () => void;
  random?: () => number;
}

/** The largest event, with room for the envelope: one event always fits one beacon. */
const MAX_EVENT_BYTES = BEACON_MAX_BYTES - 100;

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    // A `beforeSend` may hand back something JSON can't take (a cycle, a BigInt).
    return JSON.stringify(normalize(value));
  }
}

/** The optional strings of the wire format, and their longest (see event.schema.json). */
const TEXT: Array<[keyof TelemetryEvent, number]> = [
  ['service', 256],
  ['release', 256],
  ['environment', 256],
  ['session_id', 128],
  ['url', MAX_STRING],
  ['user_id', 256],
];

/** The wire format's own fields: what an event that is still too big is cut down to, in this order. */
const WIRE_FIELDS = [
  'id',
  'timestamp',
  'level',
  'event',
  'service',
  'release',
  'environment',
  'trace_id',
  'span_id',
  'parent_span_id',
  'session_id',
  'url',
  'user_id',
  'error',
  'vital',
  'http',
  'sdk',
] as const;

/**
 * A `beforeSend` may change what it likes, but an event the sink's schema refuses would be lost:
 * the fields the SDK makes are put back, unless a valid trace id replaced its own; the level and
 * name are read as `log` reads them; strings are cut to length, what is no string left out.
 */
function keepWireFields(event: TelemetryEvent, built: TelemetryEvent): void {
  const { id, timestamp, sdk, trace_id, service } = built;
  Object.assign(event, { id, timestamp, sdk, level: toLevel(event.level), event: toEventName(event.event) });
  if (!/^(?!0{32}$)[\da-f]{32}$/.test(event.trace_id as string)) event.trace_id = trace_id;
  if (typeof event.service !== 'string' || !event.service) event.service = service;
  for (const [field, max] of TEXT) {
    const value = event[field];
    if (typeof value === 'string') event[field] = clip(value, max);
    else if (value !== undefined) delete event[field];
  }
}

export function createCoreClient(input: ClientOptions, platform: Platform): Client {
  const [options, problem] = resolveOptions(input, platform.baseUrl);
  // A wrong option leaves a client of the same shape that does nothing.
  let stopped = !!problem;
  if (problem) report(problem + '; telemetry is off.');
  if (!__DEV__ && options.debug) say('info', PRODUCTION_NOTE);
  // Decided once per session where the platform keeps sessions, else once per client.
  const draw = Math.random();
  const sampled = (): boolean => (platform.isSampled ? platform.isSampled(options.sampleRate) : draw < options.sampleRate);
  // Scrubbed before the app's own look, so that beforeSend sees what would leave the page.
  const scrub = options.redact ? redactValue : undefined;
  // Empty strings are the defaults; they stay out of the events. Scrubbed once, here.
  const given = { service: options.service, release: options.release || undefined, environment: options.environment || undefined };
  const base = scrub ? scrub(given) : given;
  let userId: string | undefined;
  let context: Attributes | undefined;

  const build = (record: EventRecord): TelemetryEvent => buildEvent(record, { ...base, session_id: platform.sessionId?.() }, scrub);

  function serialize(record: EventRecord): string | null {
    if (__DEV__) takeRedacted();
    const built = build(record);
    const redacted = __DEV__ ? takeRedacted() : 0;
    let event: TelemetryEvent | null;
    try {
      event = options.beforeSend!(built);
      // Another object is read into plain data at once: it may be a Proxy, a cycle, or huge. One
      // level more than the attributes had, and stacks kept whole.
      if (event !== built) event = normalize(event, 7, MAX_STACK) as TelemetryEvent | null;
      if (event == null) {
        if (__DEV__ && options.debug) say('debug', `dropped ${toEventName(record.input.event)}: beforeSend returned ${String(event)}`);
        return null;
      }
      if (typeof event !== 'object' || Array.isArray(event)) throw event;
      keepWireFields(event, built);
    } catch (error) {
      report('beforeSend threw or returned no event, so its event was dropped:', error);
      return null;
    }
    let json = stringify(event);
    let truncated = false;
    // A UTF-16 unit is at most 3 UTF-8 bytes: most events are cleared without counting.
    const tooBig = (): boolean => json.length * 3 > MAX_EVENT_BYTES && utf8Length(json) > MAX_EVENT_BYTES;
    // Shorter strings first, every field kept in shape (the schema wants frames as objects), marked truncated; then
    // the wire format's own fields only, still in shape, the app's attributes dropped.
    if (tooBig()) {
      if (__DEV__) truncated = true;
      json = stringify(normalize({ ...event, truncated: true }, 6, 1_024));
    }
    if (tooBig()) {
      const wire: Record<string, unknown> = {};
      for (const field of WIRE_FIELDS) wire[field] = event[field];
      json = stringify(normalize({ ...wire, truncated: true }, 6, 256));
    }
    if (__DEV__ && options.debug) {
      const notes = [redacted && `${redacted} values redacted`, truncated && 'truncated to fit one beacon'].filter(Boolean);
      say('debug', `queued ${event.level} ${event.event}${notes.length ? ` (${notes.join(', ')})` : ''}`);
    }
    return json;
  }

  const outbox = options.persist && !stopped ? platform.outbox?.(options.sink) : undefined;
  const delivery = createDelivery({ ...options, ...platform, outbox });

  // Records wait here for the microtask after the call that made them, so the app's call returns at
  // once; a synchronous burst beyond `maxQueue` loses its oldest non-error records right away.
  let pending: Array<{ record: EventRecord; isError: boolean }> = [];
  let pendingDropped = 0;

  function deliver(): void {
    const entries: Entry[] = [];
    for (const { record, isError } of pending.splice(0)) {
      const json = serialize(record);
      if (json) entries.push(toEntry(json, isError));
    }
    delivery.add(entries);
    noticeDropped(pendingDropped + delivery.takeDropped());
    pendingDropped = 0;
  }

  function keep(record: EventRecord, isError: boolean): void {
    if (!pending.length) queueMicrotask(deliver);
    pending.push({ record, isError });
    // Trimmed in one pass now and then, not spliced per call, by the queue's own rule.
    if (pending.length > options.maxQueue + 100) {
      pendingDropped += pending.length;
      pending = shed(pending, pending.length - options.maxQueue);
      pendingDropped -= pending.length;
    }
  }

  // One waiting `events_dropped` at a time: later losses raise its count rather than add notices.
  let notice: Entry | undefined;
  let noticed = 0;

  /** The SDK's own notice, past beforeSend: an app that drops events there still hears of these. */
  const describeDrops = (count: number): Entry =>
    toEntry(
      stringify(
        build({
          input: { level: 'warn', event: 'events_dropped', attributes: { count } },
          time: Date.now(),
          traceId: client.currentTrace().traceId,
          url: platform.pageUrl?.(),
        }),
      ),
      true,
    );

  function noticeDropped(count: number): void {
    if (!count) return;
    if (__DEV__ && options.debug)
      say(
        'warn',
        `${count} events dropped: the queue was full (maxQueue ${options.maxQueue}) or the outbox let old ones go; an events_dropped event counts them`,
      );
    const waiting = notice;
    notice = describeDrops((noticed = (waiting ? noticed : 0) + count));
    if (waiting && delivery.replace(waiting, notice)) return;
    notice = describeDrops((noticed = count));
    delivery.add([notice]);
    // In a full queue the notice took the place of one more event: counted in the same notice.
    noticeDropped(delivery.takeDropped());
  }

  /** The public methods never throw into the page: a failure is at most a debug message. */
  const guard =
    <A extends unknown[]>(fn: (...args: A) => unknown) =>
    (...args: A): void => {
      try {
        fn(...args);
      } catch (error) {
        if (__DEV__ && options.debug) say('warn', 'a call into the SDK failed and was ignored:', error);
      }
    };

  // Newest first; the client's own trace answers when none of them does.
  const sources: TraceSource[] = [];
  const ownTrace: TraceContext = { traceId: newTraceId(), flags: 1 };

  const client: Client = {
    options,
    currentTrace(skip) {
      for (const source of sources) {
        if (source === skip) continue;
        try {
          const trace = source();
          if (trace) return trace;
        } catch {
          // A source that fails is one that has no answer.
        }
      }
      return ownTrace;
    },
    addTraceSource(source) {
      sources.unshift(source);
      // Not found, -1 becomes an index past the end: a second removal removes nothing.
      return () => void sources.splice(sources.indexOf(source) >>> 0, 1);
    },
    sampled,
    capture: guard((event: CaptureInput) => {
      const trace = client.currentTrace();
      if (stopped || (event.level !== 'error' && !sampled())) {
        if (__DEV__ && options.debug) {
          say(
            'debug',
            `dropped ${toEventName(event.event)}: ${stopped ? 'the client is off' : `this session is sampled out (sampleRate ${options.sampleRate})`}`,
          );
        }
        return;
      }
      keep(
        {
          input: event,
          time: event.time ?? Date.now(),
          traceId: event.trace_id ?? trace.traceId,
          spanId: event.trace_id ? event.span_id : (event.span_id ?? trace.spanId),
          userId,
          context,
          url: event.url ?? platform.pageUrl?.(),
        },
        event.level === 'error',
      );
    }),
    log: guard((level, event, attributes) => client.capture({ level: toLevel(level), event, attributes: copyAttributes(attributes) })),
    captureError: guard((error, attributes) =>
      client.capture({ level: 'error', event: 'client_error', error: toErrorInfo(error, true), attributes: copyAttributes(attributes) }),
    ),
    setUser: guard((user) => {
      const id = (user as { id?: unknown } | null)?.id;
      userId = typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
    }),
    setContext: guard((next) => {
      context = { ...context, ...copyAttributes(next) };
    }),
    traceId: () => client.currentTrace().traceId,
    flush() {
      deliver();
      return delivery.flush();
    },
    async shutdown() {
      if (stopped) return;
      // Integrations stop first: what they still hold (a suppression count, say) goes out too.
      teardowns.reverse().forEach((teardown) => guard(teardown)());
      stopped = true;
      unsubscribe?.();
      deliver();
      await delivery.flush();
      delivery.stop();
    },
  };

  const teardowns: Array<() => void> = [];
  const unsubscribe = stopped
    ? undefined
    : platform.onVisibility?.((hidden) => {
        // What was recorded in this very task leaves with the rest.
        if (hidden) deliver();
        delivery.setHidden(hidden);
      });
  if (!stopped) {
    if (outbox) {
      outbox.restore().then(
        (restored) => {
          if (__DEV__ && options.debug && (restored.entries.length || restored.dropped)) {
            say(
              'info',
              `restored ${restored.entries.length} events an earlier page left in the outbox` +
                (restored.dropped ? `; ${restored.dropped} were too old or beyond its room` : ''),
            );
          }
          delivery.restore(restored);
          noticeDropped(restored.dropped + delivery.takeDropped());
        },
        () => undefined, // restore never rejects; this keeps a broken storage from surfacing in the page
      );
    }
    if (platform.start) teardowns.push(platform.start(client));
    for (const integration of options.integrations) {
      try {
        const teardown = integration.setup(client);
        if (typeof teardown === 'function') teardowns.push(teardown);
      } catch (error) {
        report(`integration ${String(integration?.name)} failed to start:`, error);
      }
    }
    if (__DEV__ && options.debug) say('info', describeStart(options, sampled(), !!outbox));
  }
  return client;
}
