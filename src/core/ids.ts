/** W3C trace-context ids from `crypto.getRandomValues`: never `Math.random`, never all zero. */
export function randomHex(bytes: number): string {
  let hex = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(bytes))) hex += (byte + 256).toString(16).slice(1);
  // An all-zero id is invalid in W3C Trace Context; drawing again costs nothing at these odds.
  return /[^0]/.test(hex) ? hex : randomHex(bytes);
}

/** 16 random bytes as 32 lowercase hex digits; event ids have the same shape. */
export const newTraceId = (): string => randomHex(16);

/** 8 random bytes as 16 lowercase hex digits. */
export const newSpanId = (): string => randomHex(8);
