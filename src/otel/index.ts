export { otelTracing, type OtelTracing, type OtelTracingOptions } from './tracing';
export { spanExporter } from './span-event';
export type { SpanInfo } from './span-info';
export { otlpTransport, type OtlpTransportOptions, type Transport, type TransportContext } from './otlp/transport';
