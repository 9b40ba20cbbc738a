/**
 * Retention by whole days: the table is partitioned by day, and dropping a partition is how
 * ClickHouse removes old data cheaply on every version (table TTL came after 18.16).
 */
import { quote, type ClickHouseClient } from './http';

/** Drops the days older than `days` (today counts as one), in UTC; resolves to the partitions dropped. */
export async function dropOldDays(client: ClickHouseClient, table: string, days: number, now = Date.now()): Promise<string[]> {
  const [database, name] = table.includes('.') ? table.split('.') : [undefined, table];
  const where = `${database === undefined ? 'database = currentDatabase()' : `database = ${quote(database)}`} AND table = ${quote(name!)} AND active`;
  const answer = await client.query(`SELECT DISTINCT partition FROM system.parts WHERE ${where} FORMAT TabSeparated`);
  const cutoff = dayId(now - (days - 1) * 86_400_000);
  const old = answer
    .split('\n')
    .map((line) => line.trim())
    .filter((partition) => /^\d{8}$/.test(partition) && partition < cutoff);
  for (const partition of old) await client.query(`ALTER TABLE ${table} DROP PARTITION ${partition}`);
  return old;
}

function dayId(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}
