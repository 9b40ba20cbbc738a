/**
 * When the ClickHouse writer sends a batch: once requests pause for `quietMs`, at the latest
 * `maxWaitMs` after its first row, and after the INSERT under way when all slots are busy; each
 * write settles with its own batch's INSERT. A fake client records the INSERTs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clickHouseWriter } from '../../../src/sink/clickhouse/writer';
import type { ClickHouseClient } from '../../../src/sink/clickhouse/http';
import { validEvent } from '../sink/fixtures';

interface Insert {
  at: number;
  rows: number;
  finish(error?: Error): void;
}

function fakeClient(): { client: ClickHouseClient; inserts: Insert[] } {
  const inserts: Insert[] = [];
  const client: ClickHouseClient = {
    where: 'http://fake',
    query(sql, body) {
      if (body === undefined) return Promise.resolve(''); // CREATE TABLE
      expect(sql).toMatch(/^INSERT INTO \w+ \(.*\) FORMAT TabSeparated$/);
      return new Promise<string>((resolve, reject) => {
        inserts.push({ at: Date.now(), rows: body.split('\n').filter((line) => line !== '').length, finish: (error) => (error ? reject(error) : resolve('')) });
      });
    },
  };
  return { client, inserts };
}

const settled = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('clickHouseWriter batching', () => {
  it('sends the writes that come together in one INSERT once they pause, and settles them with it', async () => {
    const { client, inserts } = fakeClient();
    const write = clickHouseWriter({ url: 'http://fake', client, quietMs: 2, maxWaitMs: 50 });
    const start = Date.now();
    let done = 0;
    for (let i = 0; i < 3; i += 1) {
      void Promise.resolve(write([validEvent(), validEvent()])).then(() => (done += 1));
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(inserts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2);
    expect(inserts.map((insert) => [insert.rows, insert.at - start])).toEqual([[6, 4]]);
    await settled();
    expect(done).toBe(0); // not before the INSERT succeeded
    inserts[0]!.finish();
    await settled();
    expect(done).toBe(3);
  });

  it('sends at maxWaitMs when requests never pause', async () => {
    const { client, inserts } = fakeClient();
    const write = clickHouseWriter({ url: 'http://fake', client, quietMs: 5, maxWaitMs: 20 });
    const start = Date.now();
    for (let i = 0; i < 30; i += 1) {
      void write([validEvent()]);
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(inserts.length).toBeGreaterThanOrEqual(1);
    expect(inserts[0]!.at - start).toBe(20);
    expect(inserts[0]!.rows).toBe(20);
  });

  it('holds what comes during an INSERT until it is done, then sends it at once', async () => {
    const { client, inserts } = fakeClient();
    const write = clickHouseWriter({ url: 'http://fake', client, quietMs: 2, maxWaitMs: 20 });
    const first = write([validEvent()]);
    await vi.advanceTimersByTimeAsync(3);
    expect(inserts).toHaveLength(1);
    const second = write([validEvent(), validEvent()]);
    await vi.advanceTimersByTimeAsync(30);
    expect(inserts).toHaveLength(1); // the one slot is busy
    inserts[0]!.finish();
    await first;
    await settled();
    expect(inserts.map((insert) => insert.rows)).toEqual([1, 2]);
    inserts[1]!.finish(new Error('Too many parts'));
    await expect(second).rejects.toThrow('Too many parts');
  });

  it('sends a full batch without waiting', async () => {
    const { client, inserts } = fakeClient();
    const write = clickHouseWriter({ url: 'http://fake', client, maxBatch: 4 });
    void write([validEvent(), validEvent(), validEvent(), validEvent()]);
    await settled();
    expect(inserts.map((insert) => insert.rows)).toEqual([4]);
  });

  it('drains what waits on close', async () => {
    const { client, inserts } = fakeClient();
    const write = clickHouseWriter({ url: 'http://fake', client, quietMs: 1_000, maxWaitMs: 1_000 });
    const pending = write([validEvent()]);
    const closed = write.close();
    await settled();
    expect(inserts.map((insert) => insert.rows)).toEqual([1]);
    inserts[0]!.finish();
    await Promise.all([pending, closed]);
  });
});
