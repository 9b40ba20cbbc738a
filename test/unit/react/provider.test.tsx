// @vitest-environment happy-dom
import { useEffect } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { TelemetryProvider, useTelemetry, withErrorBoundary } from '../../../src/react';
import type { Client } from '../../../src/core/types';
import { REACT, quietConsole, render, testClient } from './harness';

describe(`TelemetryProvider and useTelemetry (${REACT})`, () => {
  let console: ReturnType<typeof quietConsole>;
  beforeEach(() => {
    console = quietConsole();
  });

  it('gives components the client of the nearest provider', async () => {
    const outer = testClient({ service: 'outer' });
    const inner = testClient({ service: 'inner' });
    const seen: Client[] = [];
    function Checkout({ step }: { step: string }) {
      const client = useTelemetry();
      seen.push(client);
      useEffect(() => client.log('info', 'checkout_step', { step }), [client, step]);
      return null;
    }
    render(
      <TelemetryProvider client={outer.client}>
        <Checkout step="cart" />
        <TelemetryProvider client={inner.client}>
          <Checkout step="pay" />
        </TelemetryProvider>
      </TelemetryProvider>,
    );
    expect(seen[0]).toBe(outer.client);
    expect(seen[1]).toBe(inner.client);
    expect((await outer.events()).map((e) => [e.service, e.step])).toEqual([['outer', 'cart']]);
    expect((await inner.events()).map((e) => [e.service, e.step])).toEqual([['inner', 'pay']]);
  });

  it('without a provider, gives a client that does nothing, and says so once on the console', () => {
    const seen: Client[] = [];
    function Lonely() {
      const client = useTelemetry();
      seen.push(client);
      client.log('info', 'nobody_listens');
      client.captureError(new Error('nobody listens'));
      return <p>still here</p>;
    }
    const { container } = render(
      <>
        <Lonely />
        <Lonely />
      </>,
    );
    expect(container.textContent).toBe('still herestill here');
    expect(seen[0].traceId()).toBe('');
    const ours = console.mock.calls.filter(([message]) => String(message).includes('<TelemetryProvider'));
    expect(ours).toHaveLength(1);
  });
});

describe(`withErrorBoundary (${REACT})`, () => {
  beforeEach(() => {
    quietConsole();
  });

  it('wraps a component in a boundary with the options given, passing its props through', async () => {
    const { client, events } = testClient();
    function Price({ amount }: { amount: number }) {
      if (amount < 0) throw new RangeError('negative price');
      return <span>{amount} EUR</span>;
    }
    const onError = vi.fn();
    const SafePrice = withErrorBoundary(Price, { fallback: <span>n/a</span>, onError });
    expect(SafePrice.displayName).toBe('withErrorBoundary(Price)');
    const { container } = render(
      <TelemetryProvider client={client}>
        <SafePrice amount={3} /> <SafePrice amount={-1} />
      </TelemetryProvider>,
    );
    expect(container.textContent).toBe('3 EUR n/a');
    expect(onError).toHaveBeenCalledTimes(1);
    const sent = await events();
    expect(sent.map((e) => [e.error?.type, e.error?.message])).toEqual([['RangeError', 'negative price']]);
    expect(sent[0].component_stack).toMatch(/at Price\b[\s\S]*at withErrorBoundary\(Price\)/);
  });
});
