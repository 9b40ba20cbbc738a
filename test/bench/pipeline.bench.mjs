// The pipeline's own cost in Chromium: one `log()` call, and one flush of 1,000 events (event
// building, serialization and request bodies, over a fetch that answers at once so the network
// is not measured).
import { runInChromium } from './browser.mjs';

// The first rounds run while V8 is still compiling the hot paths; they are left out, as in any
// benchmark harness, and the median of the rounds after them is reported.
const WARMUP = 20;
const ROUNDS = 50;
const EVENTS = 1_000;

export async function benchPipeline() {
  return runInChromium(`
    window.fetch = () => Promise.resolve(new Response(null, { status: 202 }));
    const { createClient } = await import('tracebeam');
    const client = createClient({ sink: '/sink', service: 'bench', maxQueue: 1e6, batch: { maxEvents: 1e6, flushIntervalMs: 3600000 } });
    const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
    const attrs = { cart_items: 3, sku: 'ABC-123', price: 19.99 };
    const logUs = [], flushMs = [];
    for (let round = 0; round < ${WARMUP + ROUNDS}; round++) {
      let t = performance.now();
      for (let i = 0; i < ${EVENTS}; i++) client.log('info', 'checkout_step', attrs);
      const logged = ((performance.now() - t) * 1000) / ${EVENTS};
      t = performance.now();
      await client.flush();
      if (round < ${WARMUP}) continue;
      logUs.push(logged);
      flushMs.push(performance.now() - t);
    }
    window.result = { logUs: median(logUs), flushMs: median(flushMs) };
  `);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { logUs, flushMs } = await benchPipeline();
  console.log(
    JSON.stringify({
      bench: 'pipeline',
      warmup_rounds: WARMUP,
      rounds: ROUNDS,
      events: EVENTS,
      log_us_per_call: +logUs.toFixed(3),
      flush_ms_per_1000_events: +flushMs.toFixed(2),
    }),
  );
}
