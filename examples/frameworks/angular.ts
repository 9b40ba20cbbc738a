// Angular: an ErrorHandler that reports what Angular catches (templates, lifecycle hooks, event
// handlers, and the promise rejections zone.js collects).
//   providers: [{ provide: ErrorHandler, useValue: new TracebeamErrorHandler(client) }]
import type { Client } from 'tracebeam';

export class TracebeamErrorHandler {
  constructor(private readonly client: Client) {}

  handleError(error: unknown): void {
    const rejection = zoneRejection(error);
    this.client.captureError(rejection ?? error, { mechanism: 'angular.ErrorHandler', promise_rejection: rejection !== undefined });
    // What Angular's own ErrorHandler does, which this one replaces.
    console.error('ERROR', error);
  }
}

/**
 * zone.js wraps an unhandled rejection in an Error "Uncaught (in promise): ..." that keeps the
 * rejected value as `rejection`: report the value, with its own type and stack.
 */
function zoneRejection(error: unknown): unknown {
  const wrapped = error as { message?: unknown; rejection?: unknown } | null;
  if (error instanceof Error && typeof wrapped?.message === 'string' && wrapped.message.startsWith('Uncaught (in promise):') && 'rejection' in error)
    return wrapped.rejection;
  return undefined;
}
