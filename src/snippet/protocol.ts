/**
 * What the pre-load snippet leaves on `window.tracebeam` for the script-tag build to take over. The
 * snippet is pasted into pages and cached with them, so this shape stays compatible: fields may be
 * added, never renamed.
 */

/** A recorded API call (`log`, `setUser`…) or page event (`error`, `unhandledrejection`), with its time. */
export type RecordedCall = [method: string, args: ArrayLike<unknown>, time: number];

export interface PreloadStub {
  /** Calls and events in the order they happened. */
  _q: RecordedCall[];
  /** How many were not recorded because the queue was full. */
  _d: number;
  /** Stops recording page events: the SDK's own listeners take over. */
  _off(): void;
}

/** At most this many calls and events wait for the SDK: a page that fails in a loop must not grow without end. */
export const MAX_RECORDED = 100;

export function isPreloadStub(value: unknown): value is PreloadStub {
  return !!value && Array.isArray((value as PreloadStub)._q);
}
