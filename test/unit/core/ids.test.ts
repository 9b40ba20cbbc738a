import { describe, expect, it, vi } from 'vitest';
import { newSpanId, newTraceId, randomHex } from '../../../src/core/ids';

describe('ids', () => {
  it('makes 32-hex trace ids and 16-hex span ids', () => {
    expect(newTraceId()).toMatch(/^[0-9a-f]{32}$/);
    expect(newSpanId()).toMatch(/^[0-9a-f]{16}$/);
  });

  it('draws from crypto.getRandomValues, so ids do not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, newTraceId));
    expect(ids.size).toBe(10_000);
  });

  it('never returns an all-zero id, which W3C Trace Context forbids', () => {
    const real = crypto.getRandomValues.bind(crypto);
    let calls = 0;
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
      // The first refill of the pool draws only zeros, later ones real randomness.
      return calls++ === 0 ? ((array as unknown as Uint8Array).fill(0) as unknown as T) : real(array as never);
    });
    // Enough draws to use up what the pool held before and to reach the zero-filled refill.
    const ids = Array.from({ length: 1_100 }, () => randomHex(8));
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(ids).not.toContain('0000000000000000');
    expect(ids.every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
  });
});
