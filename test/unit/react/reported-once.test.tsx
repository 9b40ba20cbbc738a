// @vitest-environment happy-dom
/**
 * An error that reaches a boundary is reported once: by the boundary, with its component stack,
 * and not again by the page's global `error` listener (the `errors()` integration), which passes
 * over React 18's development replays.
 */
import { act, useEffect } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { errors } from '../../../src/browser/errors';
import { ErrorBoundary, TelemetryProvider } from '../../../src/react';
import { REACT, quietConsole, render, testClient } from './harness';

function Boom({ when }: { when: 'render' | 'effect' }) {
  if (when === 'render') throw new Error(`${when} boom`);
  useEffect(() => {
    throw new Error(`${when} boom`);
  }, [when]);
  return null;
}

describe(`an error caught by a boundary, with errors() listening (${REACT})`, () => {
  beforeEach(() => {
    quietConsole();
  });

  for (const when of ['render', 'effect'] as const) {
    it(`is reported once when thrown in ${when === 'render' ? 'rendering' : 'an effect'}`, async () => {
      const { client, events } = testClient({ integrations: [errors()] });
      render(
        <TelemetryProvider client={client}>
          <ErrorBoundary fallback={<p>sorry</p>}>
            <Boom when={when} />
          </ErrorBoundary>
        </TelemetryProvider>,
      );
      const sent = await events();
      await client.shutdown();
      expect(sent.map((e) => [e.event, e.error?.message, e.mechanism])).toEqual([['client_error', `${when} boom`, 'react.ErrorBoundary']]);
    });
  }

  it('is still reported, once, by errors() when no boundary catches it', async () => {
    const { client, events } = testClient({ integrations: [errors()] });
    function Button() {
      return (
        <button
          onClick={() => {
            throw new Error('click boom');
          }}
        />
      );
    }
    const { container } = render(
      <TelemetryProvider client={client}>
        <ErrorBoundary fallback={<p>sorry</p>}>
          <Button />
        </ErrorBoundary>
      </TelemetryProvider>,
    );
    act(() => container.querySelector('button')!.click());
    const sent = await events();
    await client.shutdown();
    // Event handlers are outside what boundaries catch.
    expect(sent.map((e) => [e.event, e.error?.message, e.mechanism])).toEqual([['client_error', 'click boom', undefined]]);
  });
});
