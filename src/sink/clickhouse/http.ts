/**
 * The few calls the sink makes to ClickHouse's HTTP interface
 * (https://clickhouse.com/docs/en/interfaces/http): one statement per POST, rows as
 * JSONEachRow. Web-standard `fetch` only, so the writer also runs where the sink handler runs.
 */

export interface ClickHouseClient {
  /** The server as given, without credentials, for messages. */
  readonly where: string;
  /** Runs `sql` (with `body` appended as its data, for an INSERT) and resolves to the answer's text. */
  query(sql: string, body?: string): Promise<string>;
}

export interface ClickHouseClientOptions {
  /** Gives up on a statement after this long, in ms; default 10,000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** A ClickHouse that answered an error, refused the connection, or did not answer in time. */
export class ClickHouseError extends Error {
  override name = 'ClickHouseError';
}

/**
 * `url` is the HTTP interface, e.g. `http://127.0.0.1:8123`; `?database=logs` and other settings
 * in its query string are kept, and a user and password in it are sent as ClickHouse's own headers.
 */
export function clickHouseClient(url: string, options: ClickHouseClientOptions = {}): ClickHouseClient {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new TypeError(`tracebeam sink: "${url}" is not a ClickHouse URL such as http://127.0.0.1:8123`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new TypeError(`tracebeam sink: a ClickHouse URL is http:// or https://, not ${base.protocol}`);
  }
  const headers: Record<string, string> = {};
  if (base.username !== '') headers['x-clickhouse-user'] = decodeURIComponent(base.username);
  if (base.password !== '') headers['x-clickhouse-key'] = decodeURIComponent(base.password);
  base.username = '';
  base.password = '';
  const where = base.origin;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const send = options.fetch ?? fetch;

  return {
    where,
    async query(sql, body) {
      const target = new URL(base);
      // With a body the statement goes in the URL and the rows are the body, as ClickHouse expects.
      if (body !== undefined) target.searchParams.set('query', sql);
      let response: Response;
      try {
        response = await send(target, {
          method: 'POST',
          headers,
          body: body ?? sql,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describe(error);
        throw new ClickHouseError(`ClickHouse at ${where}: ${reason}`);
      }
      const text = await response.text().catch((error: unknown) => {
        throw new ClickHouseError(`ClickHouse at ${where}: ${describe(error)}`);
      });
      if (!response.ok) throw new ClickHouseError(`ClickHouse at ${where} answered ${response.status}: ${text.trim().slice(0, 500)}`);
      return text;
    },
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici hides the socket's reason (ECONNREFUSED) in `cause`.
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** A SQL string literal: ClickHouse reads backslash escapes in quoted strings. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `events` or `logs.events`, checked, since a table name can not be passed as a parameter. */
export function checkTableName(name: string): string {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((part) => NAME.test(part))) {
    throw new TypeError(`tracebeam sink: "${name}" is not a table name such as tracebeam_events or logs.tracebeam_events`);
  }
  return name;
}
