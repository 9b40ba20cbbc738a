import { describe, expect, it } from 'vitest';
import { copyEntries, MAX_ITEMS, MAX_STRING, normalize, truncate } from '../../../src/core/serialize';

describe('normalize', () => {
  it('keeps plain JSON data as it is', () => {
    const value = { a: 1, b: 'x', c: [true, null, { d: 2.5 }] };
    expect(normalize(value)).toEqual(value);
  });

  it('replaces cycles but keeps repeated (non-circular) references', () => {
    const shared = { n: 1 };
    const value: Record<string, unknown> = { left: shared, right: shared };
    value.self = value;
    expect(normalize(value)).toEqual({ left: { n: 1 }, right: { n: 1 }, self: '[Circular]' });
  });

  it('turns what JSON cannot hold into strings', () => {
    function handler() {}
    expect(normalize({ big: 10n ** 20n, fn: handler, sym: Symbol('s'), nan: NaN, inf: -Infinity, undef: undefined })).toEqual({
      big: '100000000000000000000',
      fn: '[Function handler]',
      sym: 'Symbol(s)',
      nan: 'NaN',
      inf: '-Infinity',
    });
  });

  it('describes errors, dates, maps and sets', () => {
    const error = new TypeError('bad');
    expect(normalize(error)).toEqual({ type: 'TypeError', message: 'bad', stack: error.stack });
    expect(normalize(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(normalize(new Date(NaN))).toBeNull();
    expect(normalize(new Map([['k', 1]]))).toEqual({ k: 1 });
    expect(normalize(new Set([1, 2]))).toEqual([1, 2]);
  });

  it('describes DOM-like nodes by tag and id instead of walking them', () => {
    const node = { nodeType: 1, nodeName: 'BUTTON', id: 'buy', parentNode: {} };
    expect(normalize({ target: node })).toEqual({ target: '<button#buy>' });
  });

  it('caps depth, breadth and string length', () => {
    const deep = { a: { b: { c: { d: 1 } } } };
    expect(normalize(deep, 2)).toEqual({ a: { b: '[Object]' } });
    const wide = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`k${i}`, i]));
    const out = normalize(wide) as Record<string, unknown>;
    expect(Object.keys(out)).toHaveLength(101);
    expect(out['…']).toBe('50 more');
    expect(normalize(Array.from({ length: 150 }, (_, i) => i))).toHaveLength(101);
    const long = 'x'.repeat(MAX_STRING + 5);
    expect(normalize(long)).toBe('x'.repeat(MAX_STRING) + '…[5 more]');
    expect(truncate('short')).toBe('short');
  });

  it('copies the first entries of a Map, an array and a typed array, counting the rest', () => {
    const map = new Map(Array.from({ length: 150 }, (_, i) => [`k${i}`, i] as const));
    expect(copyEntries(map)).toMatchObject({ k0: 0, k99: 99, '…': '50 more' });
    expect(Object.keys(copyEntries(map))).toHaveLength(MAX_ITEMS + 1);
    expect(normalize(map)).toMatchObject({ k0: 0, k99: 99, '…': '50 more' });
    expect(copyEntries(Array.from({ length: 150 }, (_, i) => i * 2))).toMatchObject({ 0: 0, 99: 198, '…': '50 more' });
    expect(copyEntries(new Uint8Array([7, 8]))).toEqual({ 0: 7, 1: 8 });
    expect(copyEntries(new Map([[{ toString: () => 'obj' }, 1]]))).toEqual({ obj: 1 });
  });

  it('never throws: throwing getters, throwing toJSON and revoked proxies', () => {
    const getter = {
      ok: 1,
      get broken(): never {
        throw new Error('nope');
      },
    };
    expect(normalize(getter)).toEqual({ ok: 1, broken: '[Unreadable]' });
    expect(
      normalize({
        v: {
          toJSON: () => {
            throw new Error('x');
          },
        },
      }),
    ).toEqual({ v: '[Unserializable]' });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(normalize({ p: proxy })).toEqual({ p: '[Unserializable]' });
  });

  it('produces something JSON.stringify accepts for any of the above', () => {
    const nasty: Record<string, unknown> = { big: 1n, fn: () => 1 };
    nasty.loop = nasty;
    expect(() => JSON.stringify(normalize(nasty))).not.toThrow();
  });
});

describe('copyEntries', () => {
  it('lists a wide object once per task, and a narrow one afresh at every call', async () => {
    const narrow: Record<string, number> = { a: 1 };
    copyEntries(narrow);
    narrow.b = 2;
    expect(copyEntries(narrow)).toEqual({ a: 1, b: 2 });
    const wide: Record<string, number> = {};
    for (let i = 0; i < 1_000; i++) wide['key_' + i] = i;
    expect(copyEntries(wide)['…']).toBe(`${1_000 - MAX_ITEMS} more`);
    wide.extra = 1;
    // The same task: the list made above serves again.
    expect(copyEntries(wide)['…']).toBe(`${1_000 - MAX_ITEMS} more`);
    await Promise.resolve();
    expect(copyEntries(wide)['…']).toBe(`${1_001 - MAX_ITEMS} more`);
  });
});
