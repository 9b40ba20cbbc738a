import type { TelemetryEvent } from '../core/types';
import type { SinkWriter } from './handler';

/**
 * A `write` for `createSinkHandler` that appends each batch to a JSON-lines file, one event per
 * line, creating the parent directories. Node only.
 */
export function jsonLinesFile(path: string): SinkWriter {
  if (typeof path !== 'string' || path === '') throw new TypeError('tracebeam sink: jsonLinesFile needs a file path');
  let ready: Promise<typeof import('node:fs/promises')> | undefined;
  // Batches are appended one after another so lines of concurrent requests never interleave and
  // the file keeps the order in which batches were accepted.
  let tail: Promise<unknown> = Promise.resolve();

  const prepare = async (): Promise<typeof import('node:fs/promises')> => {
    // Imported on first use: the sink entry also loads in edge runtimes that lack node:fs.
    const fs = await import('node:fs/promises');
    const { dirname } = await import('node:path');
    await fs.mkdir(dirname(path), { recursive: true });
    return fs;
  };

  const write = (events: TelemetryEvent[]): Promise<void> => {
    if (events.length === 0) return Promise.resolve();
    const text = events.map((event) => `${JSON.stringify(event)}\n`).join('');
    const appended = tail.then(async () => {
      ready ??= prepare();
      try {
        const fs = await ready;
        // One append per batch: O_APPEND keeps it whole even when another process shares the file.
        await fs.appendFile(path, text, 'utf8');
      } catch (error) {
        // Try the directory again next time; it may have been created or its permissions fixed.
        ready = undefined;
        throw error;
      }
    });
    tail = appended.catch(() => undefined);
    return appended;
  };
  // Appends already under way finish; there is nothing else held back to drain.
  return Object.assign(write, { close: () => tail.then(() => undefined) });
}
