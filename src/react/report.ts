/** One React error as one `client_error` event, carrying React's component stack. */
import { toErrorInfo } from '../core/error-info';
import type { Client } from '../core/types';
import { markReported } from '../core/reported';

/** Where the error was met, kept on the event so that boundaries and root handlers can be told apart. */
export type Mechanism = 'react.ErrorBoundary' | 'react.onUncaughtError' | 'react.onCaughtError' | 'react.onRecoverableError';

export function reportReactError(client: Client, error: unknown, handled: boolean, mechanism: Mechanism, componentStack?: string | null): void {
  if (!markReported(error)) return;
  client.capture({
    level: 'error',
    event: 'client_error',
    error: toErrorInfo(error, handled),
    // React starts the stack with a line break; the rest is "    at Component (file:line:col)" lines.
    attributes: { mechanism, component_stack: componentStack?.trim() || undefined },
  });
}
