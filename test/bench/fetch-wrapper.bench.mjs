// What one fetch call costs the page with `fetchTracing()`, and with OpenTelemetry's
// FetchInstrumentation, each against the unpatched fetch in the same page, rounds interleaved.
// The underlying fetch answers at once, so the network is not measured. The cost is the CPU time of
// the page's main thread as Chromium counts it (DevTools' Performance.getMetrics `TaskDuration` in
// thread ticks): work that a wrapper defers to a later task counts too (tracebeam sends its batches
// later, OpenTelemetry ends each span 300 ms after its response), idle waiting does not, and the
// other processes of a busy machine barely do.
//   tracebeam, events dropped: a session sampled out, so headers, span and URL work only.
//   tracebeam, events kept: the `http_request` events are built, queued, serialized and sent too.
//   OpenTelemetry: WebTracerProvider, FetchInstrumentation, BatchSpanProcessor; its exporter drops
//   the spans unserialized, so this is a floor for what an OpenTelemetry app pays.
import { build } from 'esbuild';
import { median, openInChromium } from './browser.mjs';

const CALLS = 20_000;
const BATCH = 100;
const ROUNDS = 9;
// Longer than OpenTelemetry's 300 ms wait for a span's resource timing, so every span has ended.
const SETTLE_MS = 400;
// The whole run stops by itself, whatever happens in the browser.
const DEADLINE_MS = 180_000;

const OTEL_SETUP = `
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { WebTracerProvider } from '@opentelemetry/sdk-trace-web';
export function start() {
  const exporter = { export: (spans, done) => done({ code: 0 }), shutdown: () => Promise.resolve() };
  // Room for a whole round: no span is dropped for a full queue.
  const processor = new BatchSpanProcessor(exporter, { maxQueueSize: ${CALLS * 2} });
  const provider = new WebTracerProvider({ spanProcessors: [processor] });
  provider.register();
  registerInstrumentations({ tracerProvider: provider, instrumentations: [new FetchInstrumentation()] });
  return () => provider.forceFlush();
}`;

/** The page: `bench.round('bare' | 'patched')` runs the loop over one fetch, then lets deferred work finish. */
const page = (setup) => `
  // Replaced before anything patches it, so that the patch wraps it (and tracebeam sends by it).
  const bare = () => Promise.resolve(new Response(null));
  window.fetch = bare;
  ${setup}
  const patched = window.fetch;
  if (patched === bare) throw new Error('fetch was not patched');
  window.bench = {
    async round(which) {
      const fn = which === 'bare' ? bare : patched;
      for (let done = 0; done < ${CALLS}; done += ${BATCH}) {
        const calls = [];
        for (let i = 0; i < ${BATCH}; i++) calls.push(fn('/api/items?page=' + i, { headers: { accept: 'application/json' } }));
        await Promise.all(calls);
      }
      await new Promise((resolve) => setTimeout(resolve, ${SETTLE_MS}));
      await flush();
    },
  };
`;

const tracebeam = (sampleRate) =>
  page(`
  const { createClient, fetchTracing } = await import('tracebeam');
  const client = createClient({ sink: '/sink', service: 'bench', sampleRate: ${sampleRate}, integrations: [fetchTracing()] });
  const flush = () => client.flush();`);

const otel = page(`
  const { start } = await import('/otel-setup.mjs');
  const flush = start();`);

/** Median main-thread µs per call: bare, and added by the patch (each round's difference). */
async function measure(source, files) {
  const { tab, close } = await openInChromium(source, { files });
  try {
    const cdp = await tab.context().newCDPSession(tab);
    // Thread ticks: the main thread's CPU time, so other processes of a busy machine count far less.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await tab.waitForFunction(() => window.bench, null, { timeout: 30_000 });
    const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'TaskDuration').value;
    const round = async (which) => {
      const before = await taskSeconds();
      await tab.evaluate((kind) => window.bench.round(kind), which);
      return (((await taskSeconds()) - before) * 1e6) / CALLS;
    };
    await round('bare');
    await round('patched');
    const bare = [];
    const added = [];
    for (let i = 0; i < ROUNDS; i++) {
      const plain = await round('bare');
      bare.push(plain);
      added.push((await round('patched')) - plain);
    }
    return { bare: median(bare), added: median(added) };
  } finally {
    await close();
  }
}

const timer = setTimeout(() => {
  console.log(JSON.stringify({ bench: 'fetch-wrapper', error: `no result within ${DEADLINE_MS / 1000} s` }));
  process.exit(1);
}, DEADLINE_MS);

const bundle = await build({ stdin: { contents: OTEL_SETUP, resolveDir: process.cwd() }, bundle: true, format: 'esm', minify: true, write: false });
const otelFiles = { '/otel-setup.mjs': bundle.outputFiles[0].text };
const dropped = await measure(tracebeam(0));
const kept = await measure(tracebeam(1));
const openTelemetry = await measure(otel, otelFiles);
clearTimeout(timer);
const us = (value) => +value.toFixed(2);
console.log(
  JSON.stringify({
    bench: 'fetch-wrapper',
    calls: CALLS,
    rounds: ROUNDS,
    metric: 'main-thread CPU µs per call, added over the unpatched fetch',
    bare_us_per_call: us(kept.bare),
    tracebeam_events_dropped_us: us(dropped.added),
    tracebeam_events_kept_us: us(kept.added),
    opentelemetry_fetch_instrumentation_us: us(openTelemetry.added),
  }),
);
