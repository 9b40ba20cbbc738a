/**
 * The bounded queue of serialized events waiting to be sent. When it is full the oldest non-error
 * event goes first: errors are what people come for. The outbox sheds by the same rule.
 */
import { utf8Length } from './envelope';

export interface Entry {
  /** The event as it goes on the wire, built, scrubbed and serialized once. */
  json: string;
  /** Its UTF-8 size with the comma that joins it to the next. */
  bytes: number;
  isError: boolean;
}

export const toEntry = (json: string, isError: boolean): Entry => ({ json, isError, bytes: utf8Length(json) + 1 });

/** The total of `size` over the entries: their bytes unless told otherwise. */
export const total = (entries: readonly Entry[], size = (entry: Entry): number => entry.bytes): number => entries.reduce((sum, entry) => sum + size(entry), 0);

/**
 * The entries, in order, less enough of them to take `excess` off their total `size` (one per
 * entry unless told otherwise): the oldest non-errors go first, then the oldest errors.
 */
export function shed<T extends Pick<Entry, 'isError'>>(entries: readonly T[], excess: number, size = (_entry: T): number => 1): T[] {
  const gone = new Set<T>();
  for (const entry of entries.filter((one) => !one.isError).concat(entries.filter((one) => one.isError))) {
    if (excess <= 0) break;
    gone.add(entry);
    excess -= size(entry);
  }
  return entries.filter((entry) => !gone.has(entry));
}

export interface Queue {
  readonly entries: readonly Entry[];
  /** What waits, in bytes. */
  readonly bytes: number;
  /** Adds at the back (or, for a batch coming back to be retried, at the front); returns how many were evicted. */
  add(entries: Entry[], front?: boolean): number;
  /** Takes from the front: at most `maxEvents`, within `maxBytes` (always at least one). */
  take(maxEvents: number, maxBytes: number): Entry[];
  /** Puts `next` in the place of `entry`, if that still waits. */
  replace(entry: Entry, next: Entry): boolean;
}

export function createQueue(max: number): Queue {
  let entries: Entry[] = [];
  // Kept as entries come and go, so that deciding when to flush, at every add, never walks the queue.
  let bytes = 0;

  return {
    get entries() {
      return entries;
    },
    get bytes() {
      return bytes;
    },
    add(list, front) {
      if (front) entries = list.concat(entries);
      else for (const entry of list) entries.push(entry);
      bytes += total(list);
      const excess = entries.length - max;
      if (excess <= 0) return 0;
      entries = shed(entries, excess);
      bytes = total(entries);
      return excess;
    },
    take(maxEvents, maxBytes) {
      let count = 0;
      for (let size = 0; count < Math.min(entries.length, maxEvents); count++) {
        size += entries[count].bytes;
        if (count && size > maxBytes) break;
      }
      const taken = entries.splice(0, count);
      bytes -= total(taken);
      return taken;
    },
    replace(entry, next) {
      const index = entries.indexOf(entry);
      if (index < 0) return false;
      entries[index] = next;
      bytes += next.bytes - entry.bytes;
      return true;
    },
  };
}
