// Size reference: the OpenTelemetry set that `tracebeam/otel` wraps, as an app would set it up
// without tracebeam (see .size-limit.cjs). zone.js comes with @opentelemetry/context-zone.
import { ZoneContextManager } from '@opentelemetry/context-zone';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { WebTracerProvider } from '@opentelemetry/sdk-trace-web';

export function start() {
  const provider = new WebTracerProvider();
  provider.register({ contextManager: new ZoneContextManager() });
  registerInstrumentations({ tracerProvider: provider, instrumentations: [new FetchInstrumentation()] });
  return provider;
}
