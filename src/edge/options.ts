/**
 * The options of `withTelemetry` and `createEdgeClient`, checked once, up front, and reported in
 * the browser client's words (`option \`sink\` must be ...`). A wrong option turns telemetry off;
 * it is never thrown into the handler. The browser's `resolveOptions` is not reused: most of it
 * (batching, sampling, integrations) has no meaning for one request, and it alone would take a
 * tenth of the 3 KB edge budget.
 */
import { report } from '../core/logger';
import { given } from '../core/options';
import { clip } from '../core/serialize';
import type { TelemetryEvent } from '../core/types';

/** What `AsyncLocalStorage` offers that we use: a store that follows one request's async work. */
export interface AsyncStore<T> {
  run<R>(store: T, callback: () => R): R;
  getStore(): T | undefined;
}

export interface EdgeOptions {
  /** The log endpoint, an absolute http(s) URL (there is no page to resolve a relative one against). */
  sink: string;
  service: string;
  release?: string;
  environment?: string;
  /** Name of the plain correlation header whose value is the trace id; also set on responses. */
  correlationHeader?: string;
  /**
   * Cross-origin URLs that get trace headers: a string is an exact origin, a RegExp is tested on
   * the whole URL. The incoming request's own origin always does; the sink never does.
   */
  propagateTo?: Array<string | RegExp>;
  /** Throw the handler's error on after logging it, instead of answering 500. */
  rethrow?: boolean;
  /**
   * Scrub emails, tokens, card numbers, secret query values and secret attribute keys from every
   * event, as the browser client does (default true). `false` sends the app's values as given.
   */
  redact?: boolean;
  /** Last look at every event (after redaction); return null to drop it. */
  beforeSend?: (event: TelemetryEvent) => TelemetryEvent | null;
  /**
   * The `AsyncLocalStorage` class, for runtimes that only offer it as an import (Cloudflare Workers
   * with `nodejs_als` or `nodejs_compat`, Deno, Bun). With it, the global `fetch` carries the trace
   * headers too. Vercel Edge and Next.js middleware have it as a global, which is used by default.
   */
  asyncLocalStorage?: new () => AsyncStore<unknown>;
}

export interface EdgeResolved extends Required<Omit<EdgeOptions, 'release' | 'environment' | 'rethrow' | 'asyncLocalStorage'>> {
  release?: string;
  environment?: string;
  rethrow?: boolean;
  asyncLocalStorage?: new () => AsyncStore<unknown>;
  propagateTo: Array<string | RegExp>;
}

/** What each checked option must be, for the message that names it. */
const EXPECTED = {
  service: 'a non-empty string',
  sink: 'an absolute http(s) URL',
  correlationHeader: 'a header name',
  propagateTo: 'an array of origins and RegExps',
  beforeSend: 'a function',
};

const httpUrl = (value: unknown): URL => {
  const url = new URL(value as string);
  if (!/^https?:$/.test(url.protocol)) throw url;
  return url;
};

/**
 * The options with defaults filled in, and the message naming the first wrong one, if any (which
 * is also reported on the console: once per wrapper or client, at creation).
 * `release`, `environment`, `rethrow` and `asyncLocalStorage` are used as given (strings, a flag,
 * a class) and left to the type checker: each check costs bytes of the 3 KB edge budget.
 */
export function resolveEdgeOptions(input: EdgeOptions): [EdgeResolved, string?] {
  let options = { correlationHeader: 'x-trace-id', propagateTo: [], redact: true, beforeSend: <T>(event: T) => event } as unknown as EdgeResolved;
  let option: keyof typeof EXPECTED = 'service';
  try {
    // An option given as undefined is an option not given; a hostile object fails here, as a wrong service.
    options = { ...options, ...given(input) };
    if (typeof options.service !== 'string' || !options.service) throw option;
    // The schema's limits, as the browser clips them: a longer name would have every event refused.
    for (const key of ['service', 'release', 'environment'] as const) if (typeof options[key] === 'string') options[key] = clip(options[key]!, 256);
    option = 'sink';
    options.sink = httpUrl(options.sink).href;
    option = 'correlationHeader';
    // RFC 9110 §5.1: a field name is a token.
    if (!/^[\w!#$%&'*+.^`|~-]+$/.test(options.correlationHeader)) throw option;
    option = 'propagateTo';
    options.propagateTo = options.propagateTo.map((target) => (target instanceof RegExp ? target : httpUrl(target).origin));
    option = 'beforeSend';
    if (typeof options.beforeSend !== 'function') throw option;
    return [options];
  } catch {
    const problem = `option \`${option}\` must be ${EXPECTED[option]}`;
    report(problem + '; telemetry is off.');
    return [options, problem];
  }
}
