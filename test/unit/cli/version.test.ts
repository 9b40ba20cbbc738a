import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVersion } from '../../../src/cli/version';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracebeam-version-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function packageFile(content: string): Promise<URL> {
  const path = join(dir, `${Math.random().toString(16).slice(2)}.json`);
  await writeFile(path, content);
  return pathToFileURL(path);
}

describe('readVersion', () => {
  it('reads the version of the package.json it is pointed at', async () => {
    const url = new URL('../../../package.json', import.meta.url);
    const { version } = JSON.parse(await readFile(url, 'utf8')) as { version: string };
    expect(readVersion(url)).toBe(version);
  });

  it.each([
    ['a missing file', null],
    ['invalid JSON', '{"version": '],
    ['no version', '{"name": "tracebeam"}'],
    ['a numeric version', '{"version": 1}'],
  ])('gives undefined for %s', async (_name, content) => {
    const url = content === null ? pathToFileURL(join(dir, 'absent.json')) : await packageFile(content);
    expect(readVersion(url)).toBeUndefined();
  });
});
