// The demo backend's own log: JSON lines as structlog writes them (`timestamp` in ISO UTC,
// `level`, `event`, then the bound context: `service`, `trace_id`, `span_id`), appended to a file
// that `tracebeam trace` and the viewer read beside the browser's events.
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Opens `file` for appending and returns `bind(fields)`, a logger with `fields` on every line, as
 * structlog's `bind()`; `echo` also gets each record (for the terminal).
 */
export function jsonLog(file, echo = () => {}) {
  mkdirSync(dirname(file), { recursive: true });
  // One stream keeps the lines in the order they were logged; separate appends could overtake.
  const stream = createWriteStream(file, { flags: 'a' });

  const bind = (fields) => {
    const log = (level, event, more = {}) => {
      const record = { timestamp: new Date().toISOString(), level, event, ...fields, ...more };
      stream.write(`${JSON.stringify(record)}\n`);
      echo(record);
    };
    log.bind = (more) => bind({ ...fields, ...more });
    return log;
  };

  return { bind, close: () => new Promise((resolve) => stream.end(resolve)) };
}

/** An Error as a JSON field: what the viewer and `tracebeam trace` show as type, message and stack. */
export function errorField(error) {
  return { type: error.name, message: error.message, stack: error.stack };
}
