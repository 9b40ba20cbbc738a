// The browser entry: re-exports only. Nothing runs on import.
export { createClient } from './browser/client';
export { init } from './browser/init';
export { errors } from './browser/errors';
export { fetchTracing } from './browser/fetch';
export { xhrTracing } from './browser/xhr';
export { webVitals, type WebVitalsOptions } from './browser/vitals';
export type {
  Attributes,
  BatchOptions,
  CaptureInput,
  Client,
  ClientOptions,
  ErrorInfo,
  HttpInfo,
  Integration,
  Level,
  ResolvedOptions,
  StackFrame,
  TelemetryEvent,
  TraceContext,
  TraceSource,
  VitalInfo,
} from './core/types';
