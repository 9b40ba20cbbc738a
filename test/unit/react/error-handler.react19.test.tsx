// @vitest-environment happy-dom
/** `reactErrorHandler`: the root error callbacks that React 19 added to `createRoot` and `hydrateRoot`. */
import { Component, type ReactNode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { act } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { errors } from '../../../src/browser/errors';
import { ErrorBoundary, reactErrorHandler, TelemetryProvider } from '../../../src/react';
import { REACT, quietConsole, render, renderAsPage, testClient } from './harness';

function Boom(): never {
  throw new Error('boom');
}

/** A boundary of the app's own (or of another library). */
class OtherBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? <p>other fallback</p> : this.props.children;
  }
}

describe(`reactErrorHandler (${REACT})`, () => {
  let console: ReturnType<typeof quietConsole>;
  beforeEach(() => {
    console = quietConsole();
  });

  it('reports an error no boundary caught once, as unhandled, with its component stack, and still logs it', async () => {
    const { client, events } = testClient({ integrations: [errors()] });
    const error = new Error('nobody caught me');
    function Throws(): never {
      throw error;
    }
    await renderAsPage(
      <TelemetryProvider client={client}>
        <Throws />
      </TelemetryProvider>,
      () => expect(console).toHaveBeenCalledWith(error),
      reactErrorHandler(client),
    );
    const sent = await events();
    await client.shutdown();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      event: 'client_error',
      mechanism: 'react.onUncaughtError',
      trace_id: client.traceId(),
      error: { message: 'nobody caught me', handled: false },
    });
    expect(sent[0].component_stack).toMatch(/^at Throws\b/);
  });

  it('leaves what an <ErrorBoundary> caught to the boundary: one event', async () => {
    const { client, events } = testClient();
    const { container } = render(
      <TelemetryProvider client={client}>
        <ErrorBoundary fallback={<p>sorry</p>}>
          <Boom />
        </ErrorBoundary>
      </TelemetryProvider>,
      reactErrorHandler(client),
    );
    expect(container.textContent).toBe('sorry');
    expect((await events()).map((e) => e.mechanism)).toEqual(['react.ErrorBoundary']);
  });

  it('reports what another boundary caught, as handled', async () => {
    const { client, events } = testClient();
    const { container } = render(
      <OtherBoundary>
        <Boom />
      </OtherBoundary>,
      reactErrorHandler(client),
    );
    expect(container.textContent).toBe('other fallback');
    const sent = await events();
    expect(sent.map((e) => [e.mechanism, e.error?.handled])).toEqual([['react.onCaughtError', true]]);
    expect(sent[0].component_stack).toMatch(/at Boom\b/);
  });

  it('reports an error React recovered from, such as a hydration mismatch', async () => {
    const { client, events } = testClient();
    const container = document.body.appendChild(document.createElement('div'));
    container.innerHTML = '<p>rendered on the server</p>';
    const root = await act(async () => hydrateRoot(container, <p>rendered in the browser</p>, reactErrorHandler(client)));
    expect(container.textContent).toBe('rendered in the browser');
    const sent = await events();
    expect(sent.map((e) => [e.event, e.mechanism, e.error?.handled])).toEqual([['client_error', 'react.onRecoverableError', true]]);
    act(() => root.unmount());
  });
});
