/** Remembers the most recent event ids so a retried batch is written once. */
export interface RecentIds {
  has(id: string): boolean;
  add(id: string): void;
  delete(id: string): void;
}

/**
 * A bounded set of ids: past `max` entries the oldest is forgotten first. A `Set` iterates in
 * insertion order, so its first key is always the oldest one.
 */
export function createRecentIds(max: number): RecentIds {
  const ids = new Set<string>();
  return {
    has: (id) => ids.has(id),
    add(id) {
      if (max <= 0) return;
      ids.delete(id);
      ids.add(id);
      if (ids.size > max) {
        const oldest = ids.values().next().value as string;
        ids.delete(oldest);
      }
    },
    delete(id) {
      ids.delete(id);
    },
  };
}
