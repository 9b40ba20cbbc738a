import { describe, expect, it } from 'vitest';
import { createOutbox, OUTBOX_MAX_CHARS, OUTBOX_TTL_MS } from '../../../src/browser/outbox';
import { type Entry, toEntry } from '../../../src/core/transport/queue';

const SINK = 'https://shop.test/api/log';

let n = 0;
const event = (name: string, level = 'info', extra = ''): Entry =>
  toEntry(JSON.stringify({ id: (++n).toString(16).padStart(32, '0'), level, event: name, extra }), level === 'error');
const names = (entries: Entry[]) => entries.map((entry) => JSON.parse(entry.json).event);

/** A Storage over a Map; `quota` (characters of all values) makes setItem throw as browsers do when full. */
function memoryStorage(quota = Infinity): Storage {
  const items = new Map<string, string>();
  const used = () => [...items.values()].reduce((total, value) => total + value.length, 0);
  return {
    get length() {
      return items.size;
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem(key, value) {
      if (used() - (items.get(key)?.length ?? 0) + value.length > quota) throw new DOMException('full', 'QuotaExceededError');
      items.set(key, String(value));
    },
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  };
}

/** Web Locks with `ifAvailable`, enough to show that a key held by one page is not taken by another. */
function lockManager() {
  const held = new Set<string>();
  const locks = {
    async request(name: string, _options: { ifAvailable?: boolean }, callback: (lock: unknown) => unknown) {
      if (held.has(name)) return callback(null);
      held.add(name);
      try {
        return await callback({ name, mode: 'exclusive' });
      } finally {
        held.delete(name);
      }
    },
  };
  return { locks: locks as unknown as LockManager, held };
}

describe('outbox', () => {
  it('gives the next page of the origin what this page kept, with the same event ids, once', async () => {
    const storage = memoryStorage();
    const kept = [event('a'), event('b', 'error')];
    createOutbox(SINK, { storage: () => storage }).save(kept);
    const next = createOutbox(SINK, { storage: () => storage });
    const restored = await next.restore();
    expect(restored.entries.map((e) => e.json)).toEqual(kept.map((e) => e.json));
    expect(restored.entries.map((e) => e.isError)).toEqual([false, true]);
    expect(restored.dropped).toBe(0);
    // Once they are safe, a third page finds nothing more.
    restored.settle();
    expect((await createOutbox(SINK, { storage: () => storage }).restore()).entries).toEqual([]);
  });

  it('leaves a taken record in place until its events are safe, so a crash right after loses nothing', async () => {
    const storage = memoryStorage();
    createOutbox(SINK, { storage: () => storage }).save([event('a')]);
    await createOutbox(SINK, { storage: () => storage }).restore();
    // The restoring page died before its events were safe: the page after it still gets them.
    expect(names((await createOutbox(SINK, { storage: () => storage }).restore()).entries)).toEqual(['a']);
  });

  it('restores an event once however many records hold it', async () => {
    const storage = memoryStorage();
    const a = event('a');
    createOutbox(SINK, { storage: () => storage }).save([a]);
    createOutbox(SINK, { storage: () => storage }).save([a, event('b')]);
    expect(names((await createOutbox(SINK, { storage: () => storage }).restore()).entries).sort()).toEqual(['a', 'b']);
  });

  it('replaces what it kept before, and clears it when nothing is left', async () => {
    const storage = memoryStorage();
    const outbox = createOutbox(SINK, { storage: () => storage });
    outbox.save([event('a'), event('b')]);
    outbox.save([event('c')]);
    expect(storage.length).toBe(1);
    outbox.save([]);
    expect(storage.length).toBe(0);
  });

  it('leaves the events of a client on another sink to that client', async () => {
    const storage = memoryStorage();
    createOutbox('https://other.test/log', { storage: () => storage }).save([event('theirs')]);
    expect((await createOutbox(SINK, { storage: () => storage }).restore()).entries).toEqual([]);
    expect(names((await createOutbox('https://other.test/log', { storage: () => storage }).restore()).entries)).toEqual(['theirs']);
  });

  it('lets events older than a day go, and counts them', async () => {
    const storage = memoryStorage();
    let now = 1_000_000;
    createOutbox(SINK, { storage: () => storage, now: () => now }).save([event('a'), event('b')]);
    now += OUTBOX_TTL_MS;
    const restored = await createOutbox(SINK, { storage: () => storage, now: () => now }).restore();
    expect(restored).toMatchObject({ entries: [], dropped: 2 });
    restored.settle();
    expect(storage.length).toBe(0);
  });

  it('is bounded: the oldest non-errors go first, and the next page hears how many', async () => {
    const storage = memoryStorage();
    const big = 'x'.repeat(OUTBOX_MAX_CHARS / 10);
    const entries = [event('old-error', 'error', big), ...Array.from({ length: 20 }, (_, i) => event(`log-${i}`, 'info', big))];
    createOutbox(SINK, { storage: () => storage }).save(entries);
    const restored = await createOutbox(SINK, { storage: () => storage }).restore();
    const kept = names(restored.entries);
    expect(kept[0]).toBe('old-error');
    expect(kept.at(-1)).toBe('log-19');
    expect(kept.length + restored.dropped).toBe(21);
    expect(restored.dropped).toBeGreaterThan(10);
  });

  it('keeps what fits in a storage that is nearly full, errors first', async () => {
    const storage = memoryStorage(20_000);
    const entries = [event('error', 'error', 'e'.repeat(2_000)), ...Array.from({ length: 30 }, (_, i) => event(`log-${i}`, 'info', 'x'.repeat(1_000)))];
    createOutbox(SINK, { storage: () => storage }).save(entries);
    const restored = await createOutbox(SINK, { storage: () => storage }).restore();
    expect(names(restored.entries)).toContain('error');
    expect(names(restored.entries)).toContain('log-29');
    expect(restored.entries.length + restored.dropped).toBe(31);
  });

  it('never throws where storage throws on every call (disabled, private mode)', async () => {
    const broken = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    const outbox = createOutbox(SINK, { storage: broken });
    expect(() => outbox.save([event('a')])).not.toThrow();
    await expect(outbox.restore()).resolves.toMatchObject({ entries: [], dropped: 0 });
    const failing = { ...memoryStorage(), setItem: broken, getItem: broken, removeItem: broken, key: broken, length: 1 } as unknown as Storage;
    const other = createOutbox(SINK, { storage: () => failing });
    expect(() => other.save([event('a')])).not.toThrow();
    await expect(other.restore()).resolves.toMatchObject({ entries: [], dropped: 0 });
  });

  it('drops a record it can not read, and events without a valid id', async () => {
    const storage = memoryStorage();
    storage.setItem('tracebeam:outbox:torn', '{"v":1,"sink":');
    storage.setItem(
      'tracebeam:outbox:odd',
      JSON.stringify({ v: 1, sink: SINK, saved: Date.now(), dropped: 0, events: [{ id: 'nope' }, null, JSON.parse(event('ok').json)] }),
    );
    storage.setItem('unrelated', 'kept');
    const restored = await createOutbox(SINK, { storage: () => storage }).restore();
    expect(names(restored.entries)).toEqual(['ok']);
    restored.settle();
    expect(storage.getItem('tracebeam:outbox:torn')).toBeNull();
    expect(storage.getItem('unrelated')).toBe('kept');
  });

  it('two tabs opening at once restore a record once: the first holds its lock until the events are safe (Web Locks)', async () => {
    const storage = memoryStorage();
    createOutbox(SINK, { storage: () => storage }).save([event('a')]);
    const { locks } = lockManager();
    const first = await createOutbox(SINK, { storage: () => storage, locks }).restore();
    const second = await createOutbox(SINK, { storage: () => storage, locks }).restore();
    expect(names(first.entries)).toEqual(['a']);
    expect(second.entries).toEqual([]);
    first.settle();
    expect((await createOutbox(SINK, { storage: () => storage, locks }).restore()).entries).toEqual([]);
  });

  it('takes the record again when the page that held it is gone before settling (its lock released)', async () => {
    const storage = memoryStorage();
    createOutbox(SINK, { storage: () => storage }).save([event('a')]);
    const gone = lockManager();
    await createOutbox(SINK, { storage: () => storage, locks: gone.locks }).restore();
    // The browser releases a closed page's locks; a new page's lock manager starts free.
    const next = await createOutbox(SINK, { storage: () => storage, locks: lockManager().locks }).restore();
    expect(names(next.entries)).toEqual(['a']);
  });
});
