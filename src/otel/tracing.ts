/**
 * `otelTracing()`: OpenTelemetry's WebTracerProvider with the fetch and XMLHttpRequest
 * instrumentations, wired to the client: the client's propagation rules and correlation header,
 * its sampling, its interaction trace as the trace of root spans, and its own queue and sender for
 * finished spans. See "Trace model" in the design, OTel mode.
 */
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
// zone.js comes with this import: it must patch Promise, timers and event listeners before the
// app's code runs, which is why @opentelemetry/context-zone loads it at import (its package
// declares `sideEffects: true`). It is the one import-time effect of this entry, and the reason
// the entry is separate from the core.
import { ZoneContextManager } from '@opentelemetry/context-zone';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { XMLHttpRequestInstrumentation } from '@opentelemetry/instrumentation-xml-http-request';
import { StackContextManager, WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import type { Client, Integration } from '../core/types';
import { followActiveSpan } from './active-trace';
import { interactionIds } from './ids';
import { pipelineProcessor } from './processor';
import { correlationPropagator } from './propagator';
import { sessionSampler } from './sampler';
import { spanExporter } from './span-event';
import { corsUrls, exactPath } from './urls';
import { bridgeZoneRejections } from './zone-rejections';

export interface OtelTracingOptions {
  /**
   * `'zone'` (the default): zone.js keeps the active span across callbacks, timers, event
   * listeners and `.then`, so an event logged in a fetch's `.then` carries its span. `'stack'`:
   * OpenTelemetry's StackContextManager, cheaper at run time, where only synchronous code inside
   * `startActiveSpan` / `context.with` sees the span.
   */
  contextManager?: 'zone' | 'stack';
}

export interface OtelTracing extends Integration {
  /** A tracer for the app's own spans; they go through the client's pipeline like every span. */
  readonly tracer: Tracer;
}

/** The instrumentation scope of spans the app starts with `tracer`. */
const APP_SCOPE = 'app';

export function otelTracing(options: OtelTracingOptions = {}): OtelTracing {
  let provider: WebTracerProvider | undefined;
  return {
    name: 'otelTracing',
    get tracer() {
      // Before setup, the API's proxy tracer: it starts delegating once the provider is registered.
      return (provider ?? trace).getTracer(APP_SCOPE);
    },
    setup(client: Client) {
      const { sink, propagateTo, correlationHeader } = client.options;
      const active = followActiveSpan(client);
      const ours = (provider = new WebTracerProvider({
        idGenerator: interactionIds(() => active.interaction().traceId),
        // Without the client's own answer every root span is sampled here, and the client still
        // drops the non-error events of a session that is not.
        sampler: sessionSampler(() => !!(active.interaction().flags & 1) && client.sampled?.() !== false),
        spanProcessors: [pipelineProcessor(spanExporter(client))],
      }));
      const zone = options.contextManager !== 'stack';
      const manager = (zone ? new ZoneContextManager() : new StackContextManager()).enable();
      const unbridge = zone ? bridgeZoneRejections() : () => {};
      // Each global is ours only if nobody registered one before (the API then logs why to its `diag`
      // logger): those we did not set, we leave alone at teardown.
      const globals = [
        trace.setGlobalTracerProvider(ours) && trace,
        context.setGlobalContextManager(manager) && context,
        propagation.setGlobalPropagator(correlationPropagator(correlationHeader)) && propagation,
      ];
      const config = {
        propagateTraceHeaderCorsUrls: corsUrls(propagateTo),
        // The SDK sends with the fetch it captured before any patching; this keeps the app's own
        // calls to the sink untraced too, as in the light model.
        ignoreUrls: [exactPath(sink)],
        // Resource-timing events would add ten timestamps to every request span; its duration stays.
        ignoreNetworkEvents: true,
      };
      const unload = registerInstrumentations({
        tracerProvider: ours,
        instrumentations: [new FetchInstrumentation(config), new XMLHttpRequestInstrumentation(config)],
      });
      return () => {
        unload();
        for (const api of globals) if (api) api.disable();
        manager.disable();
        unbridge();
        void ours.shutdown();
        provider = undefined;
        active.remove();
      };
    },
  };
}
