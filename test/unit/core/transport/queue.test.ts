import { describe, expect, it } from 'vitest';
import { type Entry, evict, take } from '../../../../src/core/transport/queue';

const entry = (name: string, isError = false, bytes = 10): Entry<string> => ({ record: name, isError, json: `"${name}"`, bytes });

describe('evict', () => {
  it('drops the oldest non-error entries first and counts them', () => {
    const queue = [entry('e1', true), entry('a'), entry('e2', true), entry('b'), entry('c')];
    expect(evict(queue, 3)).toBe(2);
    expect(queue.map((e) => e.record)).toEqual(['e1', 'e2', 'c']);
  });

  it('drops the oldest error only when nothing else is left', () => {
    const queue = [entry('e1', true), entry('e2', true), entry('e3', true)];
    expect(evict(queue, 2)).toBe(1);
    expect(queue.map((e) => e.record)).toEqual(['e2', 'e3']);
  });

  it('does nothing within the bound', () => {
    const queue = [entry('a')];
    expect(evict(queue, 1)).toBe(0);
    expect(queue).toHaveLength(1);
  });
});

describe('take', () => {
  it('takes at most maxEvents from the front', () => {
    const queue = ['a', 'b', 'c'].map((n) => entry(n));
    expect(take(queue, 2, 1000).map((e) => e.record)).toEqual(['a', 'b']);
    expect(queue.map((e) => e.record)).toEqual(['c']);
  });

  it('stays within maxBytes, but always takes one', () => {
    const queue = [entry('a', false, 600), entry('b', false, 600), entry('c', false, 600)];
    expect(take(queue, 10, 1000)).toHaveLength(1);
    const huge = [entry('h', false, 5000)];
    expect(take(huge, 10, 1000)).toHaveLength(1);
  });

  it('stops at the first entry not yet serialized', () => {
    const queue = [entry('a'), { record: 'b', isError: false, bytes: 0 }, entry('c')];
    expect(take(queue, 10, 1000).map((e) => e.record)).toEqual(['a']);
  });
});
