// tracebeam/edge: web-standard APIs only (no DOM, no node: modules), for Cloudflare Workers, Vercel
// Edge, Next.js middleware, Deno and Bun. Re-exports only: nothing runs at import time.
export { withTelemetry } from './with-telemetry';
export type { RequestTelemetry } from './with-telemetry';
export { createEdgeClient } from './client';
export type { EdgeClient } from './client';
export { nextMiddleware } from './next';
export type { NextMiddleware, NextResponseLike } from './next';
export type { AsyncStore, EdgeOptions } from './options';
export { continueTrace, formatTraceparent, formatTracestate, parseTraceparent, parseTracestate } from '../core/trace-context';
export type { HeaderValue, Hop, TraceStateEntry } from '../core/trace-context';
export type { Attributes, Level, TelemetryEvent } from '../core/types';
