// The stories the page tells, one per button. Each resolves to what happened, in a few words;
// the two failures nobody handles are left the way real code leaves them: an uncaught throw in a
// click handler and a promise that nobody waits for.
import { applyCoupon, cart, cartTotal, formatCents } from './cart.js';

class CheckoutError extends Error {
  // Set by hand: the minifier renames the class, and an event's error type is the error's name.
  name = 'CheckoutError';
}

/** The checkout whose payment API fails: the user sees an error, and it is reported. */
export async function checkout(client, ui, traceId) {
  client.log('info', 'checkout_started', { cart_items: cart.items.length, total_cents: cartTotal(cart) });
  const response = await fetch('/api/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items: cart.items.map(({ sku, quantity }) => ({ sku, quantity })), total_cents: cartTotal(cart) }),
  });
  if (response.ok) return { ok: true, text: 'paid' };
  const body = await response.json().catch(() => ({}));
  ui.alert(body.message ?? 'Something went wrong with your payment.', traceId);
  client.captureError(new CheckoutError(`payment failed: HTTP ${response.status} ${body.error ?? ''}`.trim()), {
    component: 'checkout',
    status_code: response.status,
  });
  return { ok: false, text: `failed: the payment API answered ${response.status}; the page showed an error and reported it` };
}

/** Throws out of the click handler: nothing catches it, so the `errors()` integration reports it. */
export function onApplyCoupon() {
  const total = applyCoupon(cart, 'SPRING15');
  document.querySelector('#cart strong').textContent = `Total ${formatCents(total)}`;
}

/** Starts a request and forgets it: when it fails, the browser reports an unhandled rejection. */
export function onLoadRecommendations() {
  fetchRecommendations().then((names) => console.info('recommended:', names));
}

async function fetchRecommendations() {
  const response = await fetch('/api/recommendations');
  if (!response.ok) throw new Error(`recommendations failed: HTTP ${response.status}`);
  return (await response.json()).names;
}

export async function search() {
  const started = performance.now();
  const response = await fetch('/api/search?q=socks');
  const { results } = await response.json();
  return { ok: response.ok, text: `${results.length} results, after ${Math.round(performance.now() - started)} ms` };
}

/**
 * Another origin: the request carries the trace headers because the client's `propagateTo` names
 * it, and the answer's `x-trace-id` is readable because that API exposes it.
 */
export async function checkStock(inventory) {
  const response = await fetch(`${inventory}/api/stock?sku=socks-42`);
  const { available } = await response.json();
  return { ok: response.ok, text: `${available} in stock, says ${inventory}, whose log has trace ${response.headers.get('x-trace-id')}` };
}

export async function loadOrder(ui, id) {
  const response = await fetch(`/api/orders/${encodeURIComponent(id)}`);
  const order = await response.json();
  ui.orderStatus(`${order.items} items, ${order.status}`);
  return { ok: response.ok, text: `to ${location.pathname}: order ${order.id} is ${order.status}` };
}
