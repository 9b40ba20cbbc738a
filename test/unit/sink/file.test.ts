import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonLinesFile } from '../../../src/sink/file';
import { createSinkHandler } from '../../../src/sink/handler';
import { post, validEvent } from './fixtures';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracebeam-file-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('jsonLinesFile', () => {
  it('creates the parent directories and writes one JSON line per event', async () => {
    const path = join(dir, 'nested', 'deeper', 'events.jsonl');
    const events = [validEvent(), validEvent({ level: 'warn' })];
    await jsonLinesFile(path)(events);
    expect(await lines(path)).toEqual(events);
  });

  it('appends to what the file already holds', async () => {
    const path = join(dir, 'events.jsonl');
    await writeFile(path, '{"earlier":true}\n');
    const write = jsonLinesFile(path);
    const [a, b] = [validEvent(), validEvent()];
    await write([a]);
    await write([b]);
    expect(await lines(path)).toEqual([{ earlier: true }, a, b]);
  });

  it('keeps concurrent batches whole and in the order they were given', async () => {
    const path = join(dir, 'events.jsonl');
    const write = jsonLinesFile(path);
    const batches = Array.from({ length: 20 }, (_, i) => Array.from({ length: 5 }, () => validEvent({ batch: i, padding: 'x'.repeat(2_000) })));
    await Promise.all(batches.map((batch) => write(batch)));
    expect(await lines(path)).toEqual(batches.flat());
  });

  it('holds close until the batches still waiting their turn are written', async () => {
    const path = join(dir, 'events.jsonl');
    const write = jsonLinesFile(path);
    const batches = Array.from({ length: 30 }, (_, i) => [validEvent({ batch: i })]);
    const written = batches.map((batch) => write(batch));
    await write.close!();
    expect(await lines(path)).toEqual(batches.flat());
    await Promise.all(written);
  });

  it('writes nothing for an empty batch', async () => {
    const path = join(dir, 'events.jsonl');
    await jsonLinesFile(path)([]);
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects when the file cannot be written, and recovers once it can', async () => {
    const path = join(dir, 'events.jsonl');
    await mkdir(path);
    const write = jsonLinesFile(path);
    await expect(write([validEvent()])).rejects.toMatchObject({ code: 'EISDIR' });
    await rm(path, { recursive: true });
    const event = validEvent();
    await write([event]);
    expect(await lines(path)).toEqual([event]);
  });

  it('makes the sink answer 503 on a failed write and accept the retry', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const path = join(dir, 'events.jsonl');
    await mkdir(path);
    const handler = createSinkHandler({ write: jsonLinesFile(path) });
    const events = [validEvent()];
    expect((await handler(post({ events }))).status).toBe(503);
    await rm(path, { recursive: true });
    expect((await handler(post({ events }))).status).toBe(202);
    expect(await lines(path)).toEqual(events);
  });

  it('refuses an empty path', () => {
    expect(() => jsonLinesFile('')).toThrow(/needs a file path/);
  });
});
