export { createClient } from './browser/client';
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
  VitalInfo,
} from './core/types';
