/**
 * Hands what the pre-load snippet (or the global before `init`) recorded to the client, in the
 * order it happened and with the time it happened. Page events are described as the `errors()`
 * integration describes them; they were recorded before its listener existed, so nothing is
 * reported twice.
 */
import { completeError, toErrorInfo } from '../core/error-info';
import type { Attributes, CaptureInput, Client, Level } from '../core/types';
import type { RecordedCall } from '../snippet/protocol';

const LEVELS = ['debug', 'info', 'warn', 'error'];

const copy = (attributes: unknown): Attributes | undefined =>
  attributes && typeof attributes === 'object' ? { ...attributes } : undefined;

function describe(method: string, args: ArrayLike<unknown>): CaptureInput | undefined {
  const [first, second, third] = Array.from(args);
  if (method === 'log') {
    const level = (LEVELS.includes(first as string) ? first : 'info') as Level;
    return { level, event: second as string, attributes: copy(third) };
  }
  if (method === 'captureError') return { level: 'error', event: 'client_error', error: toErrorInfo(first, true), attributes: copy(second) };
  if (method === 'unhandledrejection') {
    return { level: 'error', event: 'unhandled_rejection', error: toErrorInfo((first as PromiseRejectionEvent).reason, false) };
  }
  if (method === 'error') {
    const { error, message, filename, lineno, colno } = first as ErrorEvent;
    // A script of another origin, loaded without CORS, throws as "Script error." with no details
    // (https://html.spec.whatwg.org/#muted-errors).
    return {
      level: 'error',
      event: 'client_error',
      error:
        error == null && !filename && message === 'Script error.'
          ? completeError({ type: 'CrossOriginScriptError', message }, false)
          : toErrorInfo(error, false, filename ? { file: filename, line: lineno, column: colno } : undefined),
    };
  }
  return undefined;
}

export function replay(client: Client, calls: RecordedCall[], dropped: number): void {
  for (const [method, args, time] of calls.splice(0)) {
    try {
      const input = describe(method, args);
      if (input) client.capture({ ...input, time });
      else if (method === 'setUser' || method === 'setContext') client[method](args[0] as never);
    } catch {
      // One odd recording must not cost the others.
    }
  }
  if (dropped) client.capture({ level: 'warn', event: 'events_dropped', attributes: { count: dropped } });
}
