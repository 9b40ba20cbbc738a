// @vitest-environment happy-dom
/**
 * An error a boundary reported and then threw on, with nothing above to catch it: React 19 hands
 * it, the same object, to the page's `error` listeners, and `errors()` passes over it (it carries
 * the mark of src/react/reported.ts). React 18 throws it from its scheduler's task, which here is
 * Node's `setImmediate`, out of reach of the page; hence React 19 only.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { errors } from '../../../src/browser/errors';
import { ErrorBoundary, TelemetryProvider } from '../../../src/react';
import { REACT, quietConsole, renderAsPage, testClient } from './harness';

function Boom(): never {
  throw new Error('render boom');
}

describe(`an error thrown on past every boundary (${REACT})`, () => {
  beforeEach(() => {
    quietConsole();
  });

  it('is not reported again when its onError throws it on and nothing above catches it', async () => {
    const { client, events } = testClient({ integrations: [errors()] });
    const seen: unknown[] = [];
    let caught: unknown;
    const onError = (event: ErrorEvent) => seen.push(event.error);
    window.addEventListener('error', onError);
    try {
      await renderAsPage(
        <TelemetryProvider client={client}>
          <ErrorBoundary
            fallback={<p>sorry</p>}
            onError={(error) => {
              caught = error;
              throw error;
            }}
          >
            <Boom />
          </ErrorBoundary>
        </TelemetryProvider>,
        // React gives up on the root and hands the same error object to the page.
        () => expect(seen).toContain(caught),
      );
    } finally {
      window.removeEventListener('error', onError);
    }
    const sent = await events();
    await client.shutdown();
    expect(sent.map((e) => [e.event, e.error?.message, e.mechanism])).toEqual([['client_error', 'render boom', 'react.ErrorBoundary']]);
  });
});
