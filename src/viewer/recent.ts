/** The events a running sink received last, for the viewer's list and its live updates. */
import type { LogObject } from '../log-fields/fields';

export type RecentListener = (events: LogObject[]) => void;

export interface RecentEvents {
  /** Events just written: kept, and told to every listener. */
  add(events: readonly LogObject[]): void;
  /** Events from before the sink started (its --out file): kept before the others, not told. */
  seed(older: readonly LogObject[]): void;
  /** Oldest first. */
  list(): LogObject[];
  /** Returns the function that stops listening. */
  subscribe(listener: RecentListener): () => void;
}

export const DEFAULT_RECENT = 1_000;

export function createRecentEvents(capacity = DEFAULT_RECENT): RecentEvents {
  let events: LogObject[] = [];
  const listeners = new Set<RecentListener>();
  const trim = (): void => {
    if (events.length > capacity) events = events.slice(events.length - capacity);
  };
  return {
    add(batch) {
      if (batch.length === 0) return;
      events.push(...batch);
      trim();
      for (const listener of [...listeners]) {
        try {
          listener([...batch]);
        } catch {
          // One broken listener (a viewer that went away) must not stop the others or the sink.
        }
      }
    },
    seed(older) {
      const known = new Set(events.map((event) => event.id).filter((id) => typeof id === 'string'));
      const fresh = older.filter((event) => typeof event.id !== 'string' || !known.has(event.id));
      events = [...fresh, ...events];
      trim();
    },
    list: () => events.slice(),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
