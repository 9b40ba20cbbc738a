import { describe, expect, it } from 'vitest';
import { createQueue, type Entry, shed, toEntry, total } from '../../../../src/core/transport/queue';

const entry = (name: string, isError = false, bytes = 10): Entry => ({ json: `"${name}"`, isError, bytes });
const names = (entries: readonly Entry[]) => entries.map((e) => JSON.parse(e.json));

describe('queue', () => {
  it('counts the bytes of what waits, as entries come and go', () => {
    const queue = createQueue(10);
    queue.add([entry('a', false, 5), entry('b', false, 7)]);
    expect(queue.bytes).toBe(12);
    queue.take(1, 1000);
    expect(queue.bytes).toBe(7);
    queue.add([entry('c', false, 3)], true);
    expect(names(queue.entries)).toEqual(['c', 'b']);
    expect(queue.bytes).toBe(10);
  });

  it('evicts the oldest non-error entries first and counts them', () => {
    const queue = createQueue(3);
    expect(queue.add([entry('e1', true), entry('a'), entry('e2', true), entry('b'), entry('c')])).toBe(2);
    expect(names(queue.entries)).toEqual(['e1', 'e2', 'c']);
    expect(queue.bytes).toBe(30);
  });

  it('evicts the oldest error only when nothing else is left', () => {
    const queue = createQueue(2);
    expect(queue.add([entry('e1', true), entry('e2', true), entry('e3', true)])).toBe(1);
    expect(names(queue.entries)).toEqual(['e2', 'e3']);
  });

  it('takes at most maxEvents from the front', () => {
    const queue = createQueue(10);
    queue.add(['a', 'b', 'c'].map((n) => entry(n)));
    expect(names(queue.take(2, 1000))).toEqual(['a', 'b']);
    expect(names(queue.entries)).toEqual(['c']);
  });

  it('stays within maxBytes, but always takes one', () => {
    const queue = createQueue(10);
    queue.add([entry('a', false, 600), entry('b', false, 600)]);
    expect(queue.take(10, 1000)).toHaveLength(1);
    queue.add([entry('h', false, 5000)]);
    expect(queue.take(10, 1000)).toHaveLength(1);
  });

  it('sheds by any measure, the oldest non-errors first, then the oldest errors, keeping the order', () => {
    const list = [entry('e1', true, 4), entry('a', false, 3), entry('e2', true, 5), entry('b', false, 2)];
    const bytes = (e: Entry) => e.bytes;
    expect(names(shed(list, 0, bytes))).toEqual(['e1', 'a', 'e2', 'b']);
    expect(names(shed(list, 3, bytes))).toEqual(['e1', 'e2', 'b']);
    expect(names(shed(list, 5, bytes))).toEqual(['e1', 'e2']);
    expect(names(shed(list, 6, bytes))).toEqual(['e2']);
    expect(names(shed(list, 2))).toEqual(['e1', 'e2']);
    expect(shed(list, 100)).toEqual([]);
    expect(total(list)).toBe(14);
    expect(total(list, () => 1)).toBe(4);
  });

  it('keeps its byte count right through eviction, retries at the front and replacement', () => {
    const queue = createQueue(2);
    const a = entry('a', false, 5);
    queue.add([a, entry('b', false, 7), entry('c', false, 9)]);
    expect(queue.bytes).toBe(16);
    queue.add([entry('r', true, 1)], true);
    expect(names(queue.entries)).toEqual(['r', 'c']);
    expect(queue.replace(a, entry('x', false, 100))).toBe(false);
    expect(queue.replace(queue.entries[1], entry('d', false, 2))).toBe(true);
    expect(queue.bytes).toBe(3);
  });

  it('sizes an entry in UTF-8 bytes with its joining comma', () => {
    expect(toEntry('"€"', false).bytes).toBe(6);
  });
});
