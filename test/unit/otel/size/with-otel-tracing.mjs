// Size: the same set as bare.mjs, plus `otelTracing` from the built `tracebeam/otel` entry.
export { start } from './bare.mjs';
export { otelTracing } from '../../../../dist/otel.mjs';
