/**
 * `reactErrorHandler(client)`: the error callbacks of React 19's `createRoot` and `hydrateRoot`,
 * which see every error React meets, with its component stack:
 *
 *   createRoot(container, reactErrorHandler(client))
 *
 * They replace React's defaults, which hand uncaught and recoverable errors to `reportError` (the
 * page's global `error` listeners, where `errors()` would report them a second time); like the
 * defaults, they still log each error to the console.
 */
import type { Client } from '../core/types';
import { ErrorBoundary } from './error-boundary';
import { reportReactError, type Mechanism } from './report';

/** What React passes; `errorBoundary` only for caught errors. */
export interface RootErrorInfo {
  componentStack?: string;
  errorBoundary?: unknown;
}

export type RootErrorHandler = (error: unknown, info: RootErrorInfo) => void;

export interface ReactErrorHandlers {
  onUncaughtError: RootErrorHandler;
  onCaughtError: RootErrorHandler;
  onRecoverableError: RootErrorHandler;
}

export function reactErrorHandler(client: Client): ReactErrorHandlers {
  const handler =
    (mechanism: Mechanism, handled: boolean): RootErrorHandler =>
    (error, info) => {
      // Our own boundary reports what it caught, with its own mechanism; React calls this first.
      if (!(info?.errorBoundary instanceof ErrorBoundary)) reportReactError(client, error, handled, mechanism, info?.componentStack);
      console.error(error);
    };
  return {
    onUncaughtError: handler('react.onUncaughtError', false),
    onCaughtError: handler('react.onCaughtError', true),
    // React recovered (a hydration mismatch rendered again on the client, say), but it is a bug.
    onRecoverableError: handler('react.onRecoverableError', true),
  };
}
