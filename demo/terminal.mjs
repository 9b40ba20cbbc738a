// What the terminal of `npm run demo` shows: one short line per record, prefixed by where it comes
// from, so that the browser's events and the backend's lines can be told apart at a glance. The
// files keep the full JSON; this is only for reading along.

const COLOURS = { client: 36, server: 33, sink: 90, demo: 32 };
const useColour = process.stdout.isTTY === true && !process.env.NO_COLOR;

/** `prefix │ text`, the prefix coloured by source when the terminal takes colour. */
export function say(source, text) {
  const prefix = source.padEnd(6);
  process.stdout.write(`${useColour ? `\x1b[${COLOURS[source] ?? 0}m${prefix}\x1b[0m` : prefix} │ ${text}\n`);
}

/** One line for a JSON record: its time, level, event and the fields that tell the story. */
export function summarize(record) {
  const time = typeof record.timestamp === 'string' ? record.timestamp.slice(11, 23) : '';
  const parts = [time, String(record.level ?? '').padEnd(5), record.event, record.service];
  if (record.http) parts.push(`${record.http.method} ${record.http.url} -> ${record.http.status_code || record.http.error} in ${record.http.duration_ms} ms`);
  if (record.error) parts.push(`${record.error.type}: ${record.error.message}`);
  if (record.vital) parts.push(`${record.vital.name}=${Math.round(record.vital.value * 1000) / 1000} (${record.vital.rating})`);
  if (record.method && record.path) parts.push(`${record.method} ${record.path} -> ${record.status_code}`);
  if (record.trace_id) parts.push(`trace=${record.trace_id}`);
  // Events are untrusted input (any page can post to the sink): no control characters reach the terminal.
  return (
    parts
      .filter(Boolean)
      .join('  ')
      // eslint-disable-next-line no-control-regex -- matching them is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  );
}
