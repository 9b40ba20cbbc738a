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
      // First draw all zeros, then real randomness.
      return calls++ === 0 ? ((array as unknown as Uint8Array).fill(0) as unknown as T) : real(array as never);
    });
    const id = randomHex(8);
    expect(calls).toBe(2);
    expect(id).not.toBe('0000000000000000');
  });
});
