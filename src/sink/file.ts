import type { TelemetryEvent } from '../core/types';
import type { SinkWriter } from './handler';

interface Group {
  text: string[];
  settle: Array<(error?: unknown) => void>;
}

/**
 * A `write` for `createSinkHandler` that appends each batch to a JSON-lines file, one event per
 * line, creating the parent directories. Node only.
 *
 * Batches that arrive while an append is under way wait for it and then go together in one
 * append: opening, writing and closing the file once per batch cost most of the sink's time under
 * load. The file is opened for each append rather than held open, so a rotated or removed file is
 * replaced by a new one at the path, as a log shipper expects.
 */
export function jsonLinesFile(path: string): SinkWriter {
  if (typeof path !== 'string' || path === '') throw new TypeError('tracebeam sink: jsonLinesFile needs a file path');
  let ready: Promise<typeof import('node:fs/promises')> | undefined;
  let waiting: Group = { text: [], settle: [] };
  let appending: Promise<void> | undefined;

  const prepare = async (): Promise<typeof import('node:fs/promises')> => {
    // Imported on first use: the sink entry also loads in edge runtimes that lack node:fs.
    const fs = await import('node:fs/promises');
    const { dirname } = await import('node:path');
    await fs.mkdir(dirname(path), { recursive: true });
    return fs;
  };

  const append = async (group: Group): Promise<void> => {
    let failure: unknown;
    try {
      ready ??= prepare();
      const fs = await ready;
      // One append per group: O_APPEND keeps it whole even when another process shares the file.
      await fs.appendFile(path, group.text.join(''), 'utf8');
    } catch (error) {
      // Try the directory again next time; it may have been created or its permissions fixed.
      ready = undefined;
      failure = error ?? new Error('append failed');
    }
    for (const settle of group.settle) settle(failure);
  };

  // Batches keep the order in which they were accepted, and lines of two batches never interleave.
  const next = (): void => {
    if (appending !== undefined || waiting.settle.length === 0) return;
    const group = waiting;
    waiting = { text: [], settle: [] };
    appending = append(group).then(() => {
      appending = undefined;
      next();
    });
  };

  const write = (events: TelemetryEvent[]): Promise<void> => {
    if (events.length === 0) return Promise.resolve();
    let text = '';
    for (const event of events) text += `${JSON.stringify(event)}\n`;
    const done = new Promise<void>((resolve, reject) => {
      waiting.text.push(text);
      waiting.settle.push((error) => (error === undefined ? resolve() : reject(error)));
    });
    next();
    return done;
  };
  // Waits for every batch already given, which includes those still waiting for their turn.
  const close = async (): Promise<void> => {
    while (appending !== undefined) await appending;
  };
  return Object.assign(write, { close });
}
