// What `fetchTracing()` adds to one fetch call in Chromium: the patched fetch over an underlying
// fetch that answers at once (so the network is not measured), against that fetch unpatched.
// "wrapper" drops the events (a session sampled out: headers, span and URL work only); "with
// events" keeps them, so building, queueing and serializing the `http_request` events counts too.
import { runInChromium } from './browser.mjs';

const CALLS = 20_000;
const BATCH = 100;
const ROUNDS = 9;
// The whole run stops by itself, whatever happens in the browser.
const DEADLINE_MS = 55_000;

/** The page: the same loop over the bare fetch and over the patched one, rounds interleaved. */
const page = (sampleRate) => `
  // Replaced before the client exists, so that the patch wraps it (and the transport sends by it).
  const bare = () => Promise.resolve(new Response(null));
  window.fetch = bare;
  const { createClient, fetchTracing } = await import('tracebeam');
  const client = createClient({ sink: '/sink', service: 'bench', sampleRate: ${sampleRate}, integrations: [fetchTracing()] });
  const patched = window.fetch;
  if (patched === bare) throw new Error('fetch was not patched');
  const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  async function time(fn) {
    const start = performance.now();
    for (let done = 0; done < ${CALLS}; done += ${BATCH}) {
      const calls = [];
      for (let i = 0; i < ${BATCH}; i++) calls.push(fn('/api/items?page=' + i, { headers: { accept: 'application/json' } }));
      await Promise.all(calls);
    }
    return ((performance.now() - start) * 1000) / ${CALLS};
  }
  await time(bare);
  await time(patched);
  const bareUs = [], patchedUs = [], addedUs = [];
  for (let round = 0; round < ${ROUNDS}; round++) {
    const b = await time(bare);
    const p = await time(patched);
    bareUs.push(b);
    patchedUs.push(p);
    addedUs.push(p - b);
  }
  await client.shutdown();
  window.result = { bareUs: median(bareUs), patchedUs: median(patchedUs), addedUs: median(addedUs) };
`;

const timer = setTimeout(() => {
  console.log(JSON.stringify({ bench: 'fetch-wrapper', error: `no result within ${DEADLINE_MS / 1000} s` }));
  process.exit(1);
}, DEADLINE_MS);

const wrapper = await runInChromium(page(0), { timeoutMs: DEADLINE_MS / 2 });
const withEvents = await runInChromium(page(1), { timeoutMs: DEADLINE_MS / 2 });
clearTimeout(timer);
const us = (value) => +value.toFixed(2);
console.log(
  JSON.stringify({
    bench: 'fetch-wrapper',
    calls: CALLS,
    rounds: ROUNDS,
    bare_us_per_call: us(wrapper.bareUs),
    added_us_per_call: us(wrapper.addedUs),
    added_us_per_call_with_events: us(withEvents.addedUs),
  }),
);
