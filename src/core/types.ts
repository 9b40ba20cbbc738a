/** Public types of the event pipeline, shared by every entry point. */

export type Level = 'debug' | 'info' | 'warn' | 'error';

export type Attributes = Record<string, unknown>;

export interface StackFrame {
  function?: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface ErrorInfo {
  type: string;
  message: string;
  stack?: string;
  frames?: StackFrame[];
  handled?: boolean;
  fingerprint?: string;
}

export interface VitalInfo {
  name: 'CLS' | 'FCP' | 'INP' | 'LCP' | 'TTFB';
  value: number;
  rating?: 'good' | 'needs-improvement' | 'poor';
  delta?: number;
  id?: string;
  navigation_type?: string;
  attribution?: Attributes;
}

export interface HttpInfo {
  method: string;
  url: string;
  status_code?: number;
  duration_ms?: number;
  error?: string;
}

/** One event of the wire format, version 1 (see `event.schema.json`). */
export interface TelemetryEvent {
  id: string;
  timestamp: string;
  level: Level;
  event: string;
  service: string;
  release?: string;
  environment?: string;
  trace_id: string;
  span_id?: string;
  parent_span_id?: string;
  session_id?: string;
  url?: string;
  user_id?: string;
  error?: ErrorInfo;
  vital?: VitalInfo;
  http?: HttpInfo;
  sdk: { name: string; version: string };
  [attribute: string]: unknown;
}

/**
 * What an integration (or the client itself) hands to `capture`: the fields it knows. The objects
 * handed over become the client's: they are scrubbed in place when the event is built.
 */
export interface CaptureInput {
  level: Level;
  event: string;
  attributes?: Attributes;
  error?: ErrorInfo;
  vital?: VitalInfo;
  http?: HttpInfo;
  /** Overrides the current trace, e.g. the span of one outgoing request. */
  trace_id?: string;
  span_id?: string;
  parent_span_id?: string;
  url?: string;
  /** Epoch milliseconds; defaults to now. */
  time?: number;
}

/** What a trace source answers when asked for the current trace: undefined leaves it to older sources. */
export type TraceSource = () => TraceContext | undefined;

/** The trace that events are stamped with and requests are parented to. */
export interface TraceContext {
  traceId: string;
  /** The span that is current, when there is one (e.g. the server's span adopted at page load). */
  spanId?: string;
  /** W3C trace-flags as a number; bit 0 is "sampled". */
  flags: number;
  /** W3C `tracestate`, passed on unchanged. */
  traceState?: string;
}

export interface BatchOptions {
  /** Send when this many events wait. */
  maxEvents?: number;
  /** Send when the waiting events' JSON reaches this many bytes; also the largest request body. */
  maxBytes?: number;
  /** Send what waits at least this often. */
  flushIntervalMs?: number;
}

export interface ClientOptions {
  /** The backend log endpoint, a relative or absolute URL. */
  sink: string;
  service: string;
  release?: string;
  environment?: string;
  integrations?: Integration[];
  /** Cross-origin URLs that get trace headers: a string is an exact origin, a RegExp is tested on the whole URL. */
  propagateTo?: Array<string | RegExp>;
  /** Name of the plain correlation header whose value is the trace id. */
  correlationHeader?: string;
  /** Share of sessions whose non-error events are kept, 0 to 1. Errors are always kept. */
  sampleRate?: number;
  /** Last look at every event; return null to drop it. */
  beforeSend?: (event: TelemetryEvent) => TelemetryEvent | null;
  /** Scrub emails, tokens, card numbers and secret query values before anything leaves the page. */
  redact?: boolean;
  batch?: BatchOptions;
  /** Keep events the sink has not confirmed in the page's storage, and send them from the next page of the origin (browser only). */
  persist?: boolean;
  /** Most events held while waiting to be sent; beyond it the oldest non-error events go first. */
  maxQueue?: number;
  debug?: boolean;
  /** How batches travel, in place of the POST of `{"events": [...]}` to `sink`: e.g. `otlpTransport()` from `tracebeam/otel`. */
  transport?: Transport;
}

/** What a transport is told with each batch. */
export interface TransportContext {
  /** The client's `sink`, absolute. */
  sink: string;
  /** Page exit: the requests must start before `send` returns (a beacon, or a fetch with `keepalive`). */
  exit: boolean;
  /** The fetch captured before any integration patched the global one. */
  fetch: typeof fetch;
}

/**
 * Sends one batch, the events as the client serialized them (after `beforeSend`). Resolves as the
 * built-in sender does: 'sent', 'refused' (dropped for good), or a number to retry after that many
 * ms (NaN: the client's back-off). When, and what to retry, stay the client's business.
 */
export interface Transport {
  send(events: string[], context: TransportContext): Promise<'sent' | 'refused' | number>;
}

/**
 * A plain object with a setup function; the returned function, if any, undoes the setup
 * (removes listeners, restores patched globals) at `shutdown()`.
 */
export interface Integration {
  name: string;
  setup(client: Client): void | (() => void);
}

export interface Client {
  log(level: Level, event: string, attributes?: Attributes): void;
  captureError(error: unknown, attributes?: Attributes): void;
  /** Ids only: other fields are ignored unless they are plain strings under `id`. */
  setUser(user: { id: string } | null): void;
  /** Merged into every later event. */
  setContext(context: Attributes): void;
  /** The current trace id. */
  traceId(): string;
  flush(): Promise<void>;
  /** Stops sending and restores every patched global. Events still waiting are sent first. */
  shutdown(): Promise<void>;

  /** For integrations: records an event with the fields they know. */
  capture(input: CaptureInput): void;
  /**
   * For integrations: the trace events are stamped with and requests are parented to, the answer of
   * the newest trace source that has one (the page's interaction trace; OpenTelemetry's active span),
   * else the client's own. `skip` is left out of the asking: a source that wraps the others asks so.
   */
  currentTrace(skip?: TraceSource): TraceContext;
  /** For integrations: asks `source` first from now on; returns what removes it. */
  addTraceSource(source: TraceSource): () => void;
  /** For integrations: the options with defaults filled in. */
  readonly options: Readonly<ResolvedOptions>;
  /** For integrations: whether this session keeps its non-error events (`sampleRate`, decided once per session). */
  sampled?(): boolean;
}

/** The options after defaults were filled in and `batch` was flattened. */
export interface ResolvedOptions extends Omit<ClientOptions, 'batch'> {
  integrations: Integration[];
  propagateTo: Array<string | RegExp>;
  correlationHeader: string;
  sampleRate: number;
  redact: boolean;
  persist: boolean;
  debug: boolean;
  maxEvents: number;
  maxBytes: number;
  flushIntervalMs: number;
  maxQueue: number;
  beforeSend: (event: TelemetryEvent) => TelemetryEvent | null;
}
