// The demo page: tracebeam set up as an app would, and a button for each story.
import { init } from 'tracebeam';
import * as stories from './stories.js';
import { createUi } from './ui.js';

/** Written into the page by the demo server: the sink, the viewer and the other origin. */
const config = JSON.parse(document.getElementById('demo-config').textContent);

// init: errors, fetch and XHR tracing and web vitals, all on.
const client = init({
  sink: config.sink,
  service: 'demo-web',
  release: 'demo-1.0.0',
  environment: 'local',
  // The inventory API is another origin: only origins named here get the trace headers.
  propagateTo: [config.inventory],
  // Sooner than the 5 s default, so that the viewer shows a story while you look at it.
  batch: { flushIntervalMs: 1_000 },
});
client.setUser({ id: 'demo-user-7' });
const ui = createUi(client, config);

/** Runs a story, writes its line under its trace, and sends its events now. */
async function run(name, story) {
  const traceId = client.traceId();
  let result;
  try {
    result = await story(traceId);
  } catch (error) {
    client.captureError(error, { story: name });
    result = { ok: false, text: `failed: ${error}` };
  }
  ui.story(name, { traceId, ...result });
  void client.flush();
}

const onClick = (id, listener) => document.getElementById(id).addEventListener('click', listener);
onClick('story-checkout', () => run('checkout', (traceId) => stories.checkout(client, ui, traceId)));
onClick('story-coupon', stories.onApplyCoupon);
onClick('story-recommendations', stories.onLoadRecommendations);
onClick('story-search', () => run('slow-search', stories.search));
onClick('story-stock', () => run('cross-origin', () => stories.checkStock(config.inventory)));
onClick('story-order', () => navigate('/orders/42'));

// What nobody handled: the SDK has reported it already (its listeners come first); the page says so.
addEventListener('error', (event) => uncaught('uncaught-error', event.error));
addEventListener('unhandledrejection', (event) => uncaught('unhandled-rejection', event.reason));

function uncaught(name, error) {
  ui.story(name, { ok: false, traceId: client.traceId(), text: `${error?.name}: ${error?.message}, reported by errors()` });
  setTimeout(() => void client.flush());
}

// A single-page app's routing, by hand: pushState and popstate each start a new trace.
let path = location.pathname;

function navigate(to) {
  if (to !== location.pathname) history.pushState(null, '', to);
  showRoute();
}

function showRoute() {
  const from = path;
  path = location.pathname;
  client.log('info', 'route_changed', { from, to: path });
  const orderId = ui.route(path);
  if (orderId !== undefined) void run('route-change', () => stories.loadOrder(ui, orderId));
}

document.addEventListener('click', (event) => {
  const link = event.target.closest?.('a[data-route]');
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(new URL(link.href).pathname);
});
addEventListener('popstate', showRoute);

const firstOrder = ui.route(path);
if (firstOrder !== undefined) void run('route-change', () => stories.loadOrder(ui, firstOrder));
