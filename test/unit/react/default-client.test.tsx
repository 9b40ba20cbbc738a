// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { init } from '../../../src/browser/init';
import { defaultClient, registerDefaultClient } from '../../../src/core/default-client';
import { ErrorBoundary, TelemetryProvider } from '../../../src/react';
import { REACT, quietConsole, render, testClient } from './harness';

function Cart(): never {
  throw new TypeError('cart total is not a number');
}

const forget = () => delete (globalThis as Record<symbol, unknown>)[Symbol.for('tracebeam.client')];

describe(`<ErrorBoundary> without <TelemetryProvider> (${REACT})`, () => {
  let console: ReturnType<typeof quietConsole>;
  beforeEach(() => {
    console = quietConsole();
  });
  afterEach(forget);

  it('reports to the client init() made', async () => {
    const app = testClient({ service: 'shop' });
    registerDefaultClient(app.client);
    const { container } = render(
      <ErrorBoundary fallback={<p>sorry</p>}>
        <Cart />
      </ErrorBoundary>,
    );
    expect(container.textContent).toBe('sorry');
    const events = await app.events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'client_error', service: 'shop', error: { type: 'TypeError', message: 'cart total is not a number' } });
    expect(String(events[0]!.component_stack)).toContain('Cart');
    expect(console.mock.calls.some(([message]) => String(message).includes('<TelemetryProvider'))).toBe(false);
  });

  it('reports to the provider’s client where there is one, not to init()’s', async () => {
    const fallback = testClient({ service: 'default' });
    const provided = testClient({ service: 'admin' });
    registerDefaultClient(fallback.client);
    render(
      <TelemetryProvider client={provided.client}>
        <ErrorBoundary fallback={<p>sorry</p>}>
          <Cart />
        </ErrorBoundary>
      </TelemetryProvider>,
    );
    expect((await provided.events()).map((event) => event.service)).toEqual(['admin']);
    expect(await fallback.events()).toEqual([]);
  });
});

describe('init()', () => {
  afterEach(forget);

  it('registers the client it made, the latest call winning', async () => {
    expect(defaultClient()).toBeUndefined();
    const first = init({ sink: 'https://logs.test/api/log', service: 'one', integrations: [] });
    expect(defaultClient()).toBe(first);
    const second = init({ sink: 'https://logs.test/api/log', service: 'two', integrations: [] });
    expect(defaultClient()).toBe(second);
    await Promise.all([first.shutdown(), second.shutdown()]);
  });
});
