/**
 * How deep a JSON text nests, found on the raw bytes before it is parsed. `JSON.parse` copes with
 * any depth, but everything after it that walks the value recursively (the schema validator,
 * `JSON.stringify` in the writers) overflows the stack at some ten thousand levels. No event of the
 * wire format nests more than a handful of levels, so a body past the limit is refused whole.
 */

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether `bytes`, read as JSON, opens more than `max` objects or arrays inside one another. */
export function nestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i]!;
    if (inString) {
      // Multi-byte UTF-8 sequences never contain ASCII bytes, so a byte-wise scan is exact.
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth += 1;
      if (depth > max) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth -= 1;
  }
  return false;
}
