import { describe, expect, it } from 'vitest';
import { createRecentIds } from '../../../src/sink/dedupe';

describe('createRecentIds', () => {
  it('remembers ids it was given', () => {
    const ids = createRecentIds(10);
    ids.add('a');
    expect(ids.has('a')).toBe(true);
    expect(ids.has('b')).toBe(false);
  });

  it('forgets the oldest id first once full', () => {
    const ids = createRecentIds(3);
    for (const id of ['a', 'b', 'c', 'd']) ids.add(id);
    expect(['a', 'b', 'c', 'd'].map((id) => ids.has(id))).toEqual([false, true, true, true]);
    ids.add('e');
    expect(ids.has('b')).toBe(false);
    expect(ids.has('e')).toBe(true);
  });

  it('stays within its bound however many ids go through it', () => {
    const ids = createRecentIds(100);
    for (let i = 0; i < 10_000; i += 1) ids.add(String(i));
    const remembered = Array.from({ length: 10_000 }, (_, i) => ids.has(String(i))).filter(Boolean);
    expect(remembered).toHaveLength(100);
    expect(ids.has('9999')).toBe(true);
    expect(ids.has('9899')).toBe(false);
  });

  it('forgets an id on delete', () => {
    const ids = createRecentIds(10);
    ids.add('a');
    ids.delete('a');
    expect(ids.has('a')).toBe(false);
  });

  it('remembers an id added again after a delete for as long as any other', () => {
    const ids = createRecentIds(3);
    ids.add('a');
    ids.add('b');
    ids.delete('a');
    ids.add('c');
    ids.add('a');
    // 'a' now holds the newest slot: two more adds forget 'b' and 'c', not it.
    ids.add('d');
    expect(['a', 'b', 'c', 'd'].map((id) => ids.has(id))).toEqual([true, false, true, true]);
    ids.add('e');
    expect(['a', 'c', 'd', 'e'].map((id) => ids.has(id))).toEqual([true, false, true, true]);
  });

  it('does not count an id given twice as two', () => {
    const ids = createRecentIds(2);
    ids.add('a');
    ids.add('a');
    ids.add('b');
    expect(['a', 'b'].map((id) => ids.has(id))).toEqual([true, true]);
  });

  it('remembers nothing with a size of 0', () => {
    const ids = createRecentIds(0);
    ids.add('a');
    expect(ids.has('a')).toBe(false);
  });
});
