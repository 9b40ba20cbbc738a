import { describe, expect, it, vi } from 'vitest';

describe('tracebeam/sink entry', () => {
  it('exports exactly the public API', async () => {
    const entry = await import('../../../src/sink/index');
    expect(Object.keys(entry).sort()).toEqual(['clickHouseWriter', 'createSinkHandler', 'jsonLinesFile', 'sourceMapResolver', 'toNodeListener']);
  });

  it('has no side effects on import', async () => {
    vi.resetModules();
    const log = vi.spyOn(console, 'log');
    const error = vi.spyOn(console, 'error');
    const listeners = process.listenerCount('SIGINT') + process.listenerCount('SIGTERM');
    await import('../../../src/sink/index');
    expect(log).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
    expect(process.listenerCount('SIGINT') + process.listenerCount('SIGTERM')).toBe(listeners);
  });

  it('loads no node: module at the top level, so edge runtimes can import it', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const dir = new URL('../../../src/sink/', import.meta.url);
    const files = (await readdir(dir)).filter((file) => file.endsWith('.ts'));
    expect(files).toContain('handler.ts');
    for (const file of files) {
      const source = await readFile(new URL(file, dir), 'utf8');
      const staticImports = source.match(/^import\s+(?!type\b)[^;]*from\s+'node:[^']+'/gm) ?? [];
      expect(staticImports, file).toEqual([]);
    }
  });
});
