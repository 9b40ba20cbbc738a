// @vitest-environment happy-dom
import { useEffect, useState } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorBoundary, TelemetryProvider, type ErrorBoundaryProps } from '../../../src/react';
import { REACT, quietConsole, render, testClient } from './harness';

function Boom({ when = 'render', message = 'boom' }: { when?: 'render' | 'effect' | 'never'; message?: string }) {
  if (when === 'render') throw new Error(message);
  useEffect(() => {
    if (when === 'effect') throw new Error(message);
  }, [when, message]);
  return <p id="child">fine</p>;
}

const text = (container: HTMLElement) => container.textContent;

describe(`ErrorBoundary (${REACT})`, () => {
  let console: ReturnType<typeof quietConsole>;
  beforeEach(() => {
    console = quietConsole();
  });

  it('shows the fallback for an error thrown while rendering, and reports it once with the component stack and the current trace id', async () => {
    const { client, events } = testClient();
    const onError = vi.fn();
    const { container } = render(
      <TelemetryProvider client={client}>
        <ErrorBoundary fallback={<p>sorry</p>} onError={onError}>
          <Boom />
        </ErrorBoundary>
      </TelemetryProvider>,
    );
    expect(text(container)).toBe('sorry');
    const sent = await events();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      level: 'error',
      event: 'client_error',
      trace_id: client.traceId(),
      mechanism: 'react.ErrorBoundary',
      error: { type: 'Error', message: 'boom', handled: true },
    });
    expect(sent[0].component_stack).toMatch(/^at Boom\b/);
    expect(sent[0].component_stack).toMatch(/\n\s*at ErrorBoundary\b/);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0][0]).toMatchObject({ message: 'boom' });
    expect(onError.mock.calls[0][1].componentStack).toMatch(/at Boom\b/);
  });

  it('shows the fallback for an error thrown in an effect, and reports it once', async () => {
    const { client, events } = testClient();
    const { container } = render(
      <TelemetryProvider client={client}>
        <ErrorBoundary fallback={<p>sorry</p>}>
          <Boom when="effect" message="effect failed" />
        </ErrorBoundary>
      </TelemetryProvider>,
    );
    expect(text(container)).toBe('sorry');
    const sent = await events();
    expect(sent.map((e) => [e.event, e.error?.message])).toEqual([['client_error', 'effect failed']]);
    expect(sent[0].component_stack).toMatch(/at Boom\b/);
  });

  it('renders a fallback function with the error and a reset that renders the children again', async () => {
    const { client, events } = testClient();
    let fail = true;
    function Flaky() {
      if (fail) throw new Error('flaky');
      return <p>recovered</p>;
    }
    const onReset = vi.fn();
    const { container } = render(
      <TelemetryProvider client={client}>
        <ErrorBoundary onReset={onReset} fallback={({ error, reset }) => <button onClick={reset}>{(error as Error).message}: try again</button>}>
          <Flaky />
        </ErrorBoundary>
      </TelemetryProvider>,
    );
    expect(text(container)).toBe('flaky: try again');
    fail = false;
    await clickAct(container.querySelector('button')!);
    expect(text(container)).toBe('recovered');
    expect(onReset).toHaveBeenCalledWith({ reason: 'reset' });
    expect(await events()).toHaveLength(1);
  });

  it('renders the children again when a reset key changes, not when the keys stay the same', async () => {
    const { client, events } = testClient();
    const onReset = vi.fn();
    const view = (user: string, fails: boolean) => (
      <TelemetryProvider client={client}>
        <ErrorBoundary fallback={<p>sorry</p>} resetKeys={[user]} onReset={onReset}>
          <Boom when={fails ? 'render' : 'never'} />
        </ErrorBoundary>
      </TelemetryProvider>
    );
    const { container, rerender } = render(view('ann', true));
    expect(text(container)).toBe('sorry');
    rerender(view('ann', false));
    expect(text(container)).toBe('sorry');
    expect(onReset).not.toHaveBeenCalled();
    rerender(view('bob', false));
    expect(text(container)).toBe('fine');
    expect(onReset).toHaveBeenCalledWith({ reason: 'keys', prev: ['ann'], next: ['bob'] });
    expect(await events()).toHaveLength(1);
  });

  it('does not reset at once when the key change is what made the children throw', async () => {
    const { client } = testClient();
    const onReset = vi.fn();
    const view = (user: string) => (
      <TelemetryProvider client={client}>
        <ErrorBoundary fallback={<p>sorry</p>} resetKeys={[user]} onReset={onReset}>
          <Boom when={user === 'bad' ? 'render' : 'never'} />
        </ErrorBoundary>
      </TelemetryProvider>
    );
    const { container, rerender } = render(view('ann'));
    rerender(view('bad'));
    expect(text(container)).toBe('sorry');
    expect(onReset).not.toHaveBeenCalled();
    rerender(view('ann'));
    expect(text(container)).toBe('fine');
  });

  it('lets the nearest of nested boundaries catch; a fallback that throws hands the error to the one above', async () => {
    const { client, events } = testClient();
    const outerError = vi.fn();
    const { container } = render(
      <TelemetryProvider client={client}>
        <ErrorBoundary fallback={<p>outer</p>} onError={outerError}>
          <p>header</p>
          <ErrorBoundary fallback={<p>inner</p>}>
            <Boom message="first" />
          </ErrorBoundary>
        </ErrorBoundary>
      </TelemetryProvider>,
    );
    expect(text(container)).toBe('headerinner');
    expect(outerError).not.toHaveBeenCalled();

    const rethrow: ErrorBoundaryProps['fallback'] = ({ error }) => {
      throw error;
    };
    const second = render(
      <TelemetryProvider client={client}>
        <ErrorBoundary fallback={<p>outer</p>} onError={outerError}>
          <ErrorBoundary fallback={rethrow}>
            <Boom message="second" />
          </ErrorBoundary>
        </ErrorBoundary>
      </TelemetryProvider>,
    );
    expect(text(second.container)).toBe('outer');
    expect(outerError).toHaveBeenCalledTimes(1);
    expect((await events()).map((e) => e.error?.message)).toEqual(['first', 'second']);
  });

  it('reports an error once when an onError passes it on to the boundary above', async () => {
    const { client, events } = testClient();
    const outerError = vi.fn();
    const { container } = render(
      <TelemetryProvider client={client}>
        <ErrorBoundary fallback={<p>outer</p>} onError={outerError}>
          <ErrorBoundary
            fallback={<p>inner</p>}
            onError={(error) => {
              throw error;
            }}
          >
            <Boom message="passed on" />
          </ErrorBoundary>
        </ErrorBoundary>
      </TelemetryProvider>,
    );
    expect(text(container)).toBe('outer');
    // The outer boundary still hears of it, but the event went out already.
    expect(outerError).toHaveBeenCalledTimes(1);
    expect((await events()).map((e) => e.error?.message)).toEqual(['passed on']);
  });

  it('renders nothing without a fallback, and reports what was thrown even when it is not an Error', async () => {
    const { client, events } = testClient();
    function Throws(): never {
      throw 'plain string';
    }
    const { container } = render(
      <TelemetryProvider client={client}>
        <p>before</p>
        <ErrorBoundary>
          <Throws />
        </ErrorBoundary>
      </TelemetryProvider>,
    );
    expect(text(container)).toBe('before');
    expect((await events())[0].error).toMatchObject({ type: 'string', message: 'plain string' });
  });

  it('still shows its fallback without a provider, and says once on the console what is missing', () => {
    const first = render(
      <ErrorBoundary fallback={<p>sorry</p>}>
        <Boom />
      </ErrorBoundary>,
    );
    render(
      <ErrorBoundary fallback={<p>sorry again</p>}>
        <Boom />
      </ErrorBoundary>,
    );
    expect(text(first.container)).toBe('sorry');
    const ours = console.mock.calls.filter(([message]) => String(message).startsWith('[tracebeam]'));
    expect(ours).toHaveLength(1);
    expect(ours[0][0]).toContain('<TelemetryProvider client={client}>');
  });

  it('keeps its children when nothing throws', () => {
    function Counter() {
      const [n] = useState(2);
      return <p>{n}</p>;
    }
    const { client } = testClient();
    const { container } = render(
      <TelemetryProvider client={client}>
        <ErrorBoundary fallback={<p>sorry</p>}>
          <Counter />
        </ErrorBoundary>
      </TelemetryProvider>,
    );
    expect(text(container)).toBe('2');
  });
});

async function clickAct(element: HTMLElement): Promise<void> {
  const { act } = await import('react');
  act(() => element.click());
}
