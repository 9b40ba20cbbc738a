/**
 * Hands what the pre-load snippet (or the global before `init`) recorded to the client, in the
 * order it happened and with the time it happened. Page events are described as the `errors()`
 * integration describes them; they were recorded before its listener existed, so nothing is
 * reported twice.
 */
import { describeErrorEvent } from '../browser/errors';
import { toErrorInfo } from '../core/error-info';
import { copyAttributes, toLevel } from '../core/event';
import type { CaptureInput, Client } from '../core/types';
import type { RecordedCall } from '../snippet/protocol';

export function describeCall(method: string, args: ArrayLike<unknown>): CaptureInput | undefined {
  const [first, second, third] = Array.from(args);
  // Already described when it was called (see global.ts).
  if (method === 'capture') return first as CaptureInput;
  if (method === 'log') return { level: toLevel(first), event: second as string, attributes: copyAttributes(third) };
  if (method === 'captureError') return { level: 'error', event: 'client_error', error: toErrorInfo(first, true), attributes: copyAttributes(second) };
  if (method === 'unhandledrejection') {
    return { level: 'error', event: 'unhandled_rejection', error: toErrorInfo((first as PromiseRejectionEvent).reason, false) };
  }
  // Described as the `errors()` integration describes them, less its hint.
  if (method === 'error') return { level: 'error', event: 'client_error', error: describeErrorEvent(first as ErrorEvent)[0] };
  return undefined;
}

export function replay(client: Client, calls: RecordedCall[], dropped: number): void {
  for (const [method, args, time] of calls.splice(0)) {
    try {
      const input = describeCall(method, args);
      if (input) client.capture({ ...input, time });
      else if (method === 'setUser' || method === 'setContext') client[method](args[0] as never);
    } catch {
      // One odd recording must not cost the others.
    }
  }
  if (dropped) client.capture({ level: 'warn', event: 'events_dropped', attributes: { count: dropped } });
}
