/**
 * The bounded queue of events waiting to be sent, as a plain array and two functions. When it is
 * full the oldest non-error event goes first: errors are what people come for.
 */

export interface Entry<R> {
  /** What was recorded at call time; built and serialized on the flush path. */
  record: R;
  isError: boolean;
  /** The serialized event, once prepared, and its UTF-8 size with the comma that joins it to the next. */
  json?: string;
  bytes: number;
  /** Set once a copy left by beacon, so a failed regular send does not queue it again. */
  sent?: boolean;
}

/** Evicts entries beyond `max`, oldest non-error first; returns how many went. */
export function evict(queue: Array<Entry<unknown>>, max: number): number {
  let dropped = 0;
  for (; queue.length > max; dropped++) {
    const index = queue.findIndex((entry) => !entry.isError);
    queue.splice(Math.max(index, 0), 1);
  }
  return dropped;
}

/** Takes prepared entries from the front: at most `maxEvents`, within `maxBytes` (always at least one). */
export function take<R>(queue: Array<Entry<R>>, maxEvents: number, maxBytes: number): Array<Entry<R>> {
  let count = 0;
  for (let bytes = 0; count < Math.min(queue.length, maxEvents) && queue[count].json !== undefined; count++) {
    bytes += queue[count].bytes;
    if (count && bytes > maxBytes) break;
  }
  return queue.splice(0, count);
}
