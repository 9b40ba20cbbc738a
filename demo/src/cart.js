// The shop's cart and its prices. `applyCoupon` is where the thrown-error story breaks: its stack,
// minified in the bundle, comes out of the sink with these names and lines.

export const cart = {
  items: [
    { sku: 'socks-42', name: 'Wool socks', price_cents: 1_200, quantity: 2 },
    { sku: 'jacket-7', name: 'Rain jacket', price_cents: 8_900, quantity: 1 },
  ],
};

/** Percent off by coupon code. SPRING15 was printed on the flyers, but never added here. */
const COUPONS = new Map([['WELCOME10', 10]]);

export function cartTotal({ items }) {
  return items.reduce((sum, item) => sum + item.price_cents * item.quantity, 0);
}

export function applyCoupon(current, code) {
  const percent = discountFor(code);
  return Math.round(cartTotal(current) * (1 - percent / 100));
}

function discountFor(code) {
  const percent = COUPONS.get(code.trim().toUpperCase());
  if (percent === undefined) throw new RangeError(`unknown coupon code "${code}"`);
  return percent;
}

export const formatCents = (cents) => `$${(cents / 100).toFixed(2)}`;
