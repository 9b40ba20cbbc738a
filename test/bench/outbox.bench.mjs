// What the page pays on the main thread when it is hidden with 1,000 events waiting: the exit
// beacons plus the outbox write to localStorage, against the same exit with `persist: false`,
// measured in the same page, rounds interleaved, medians.
import { runInChromium } from './browser.mjs';

const EVENTS = 1_000;
const ROUNDS = 21;

const page = `
  window.fetch = () => Promise.resolve(new Response(null, { status: 202 }));
  const { createClient } = await import('tracebeam');
  const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const setVisibility = (state) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    document.dispatchEvent(new Event('visibilitychange'));
  };
  async function hideWith(persist) {
    const client = createClient({ sink: '/sink', service: 'bench', persist, maxQueue: 10_000, batch: { maxEvents: 1e6, flushIntervalMs: 3_600_000 } });
    for (let i = 0; i < ${EVENTS}; i++) client.log('info', 'checkout_step', { i, sku: 'ABC-123', note: 'x'.repeat(100) });
    await Promise.resolve();
    const start = performance.now();
    setVisibility('hidden');
    const ms = performance.now() - start;
    setVisibility('visible');
    await client.shutdown();
    localStorage.clear();
    return ms;
  }
  const withOutbox = [], without = [];
  for (let round = 0; round < ${ROUNDS}; round++) {
    withOutbox.push(await hideWith(true));
    without.push(await hideWith(false));
  }
  // The first rounds run while V8 is still compiling: left out.
  const keep = (v) => v.slice(5);
  window.result = { withOutbox: median(keep(withOutbox)), without: median(keep(without)) };
`;

const { withOutbox, without } = await runInChromium(page);
const ms = (value) => +value.toFixed(2);
console.log(
  JSON.stringify({
    bench: 'outbox',
    events: EVENTS,
    rounds: ROUNDS - 5,
    hide_ms_with_outbox: ms(withOutbox),
    hide_ms_without_outbox: ms(without),
    outbox_write_ms: ms(withOutbox - without),
  }),
);
