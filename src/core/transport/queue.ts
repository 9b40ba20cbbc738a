/**
 * The bounded queue of serialized events waiting to be sent, with its running count and bytes, so
 * that deciding when to flush never walks it. When it is full the oldest non-error event goes
 * first: errors are what people come for.
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

export interface Queue {
  readonly entries: readonly Entry[];
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
  let bytes = 0;
  const sum = (list: Entry[]): number => list.reduce((total, entry) => total + entry.bytes, 0);

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
      bytes += sum(list);
      let evicted = 0;
      for (; entries.length > max; evicted++) {
        const index = entries.findIndex((entry) => !entry.isError);
        bytes -= entries.splice(Math.max(index, 0), 1)[0].bytes;
      }
      return evicted;
    },
    take(maxEvents, maxBytes) {
      let count = 0;
      for (let size = 0; count < Math.min(entries.length, maxEvents); count++) {
        size += entries[count].bytes;
        if (count && size > maxBytes) break;
      }
      const taken = entries.splice(0, count);
      bytes -= sum(taken);
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
