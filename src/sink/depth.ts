/**
 * How deep a parsed JSON value nests. `JSON.parse` copes with any depth, but what walks the value
 * recursively after it (the schema validator, `JSON.stringify` in the writers) overflows the stack
 * at some ten thousand levels. No event of the wire format nests more than a handful of levels, so
 * a body past the limit is refused whole.
 *
 * The walk runs on the parsed value rather than on the raw bytes: it visits values, not
 * characters, and stops `max` levels down, so it costs a fraction of a byte scan and its own
 * recursion stays shallow.
 */

/** Whether `value` opens more than `max` objects or arrays inside one another. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (max <= 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) if (nestsDeeperThan(value[i], max - 1)) return true;
    return false;
  }
  // `for...in` is the fastest walk of a parsed object; JSON.parse makes own, enumerable keys only.
  for (const key in value) {
    if (nestsDeeperThan((value as Record<string, unknown>)[key], max - 1)) return true;
  }
  return false;
}
