/** W3C trace-context ids from `crypto.getRandomValues`: never `Math.random`, never all zero. */

// One call to the system's random source per 4 KiB of ids: a call per id costs microseconds.
let pool = new Uint8Array(0);
let used = 0;
let hex: string[] | undefined;

export function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(4096));
    used = 0;
  }
  hex ??= Array.from({ length: 256 }, (_, i) => (i + 256).toString(16).slice(1));
  let id = '';
  let any = 0;
  for (const end = used + bytes; used < end; used++) {
    any |= pool[used];
    id += hex[pool[used]];
  }
  // An all-zero id is invalid in W3C Trace Context; drawing again costs nothing at these odds.
  return any ? id : randomHex(bytes);
}

/** 16 random bytes as 32 lowercase hex digits; event ids have the same shape. */
export const newTraceId = (): string => randomHex(16);

/** 8 random bytes as 16 lowercase hex digits. */
export const newSpanId = (): string => randomHex(8);
