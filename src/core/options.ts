/**
 * Checks the options once, up front. A wrong option is reported by name and turns the client into
 * one that does nothing; it is never thrown into the page.
 */
import type { ClientOptions, ResolvedOptions } from './types';

const DEFAULTS = {
  correlationHeader: 'x-trace-id',
  sampleRate: 1,
  redact: true,
  persist: true,
  debug: false,
  maxQueue: 1_000,
  maxEvents: 50,
  // A batch must also fit one beacon at page exit.
  maxBytes: 60_000,
  flushIntervalMs: 5_000,
  integrations: [] as unknown[],
  propagateTo: [] as unknown[],
  sink: '',
  service: '',
  release: '',
  environment: '',
  beforeSend: <T>(event: T): T | null => event,
};

const fail = (option: string, expected: string): never => {
  throw `option \`${option}\` must be ${expected}`;
};

/** The options with defaults filled in, and the message naming the first wrong one, if any. */
export function resolveOptions(input: ClientOptions, baseUrl?: string): [ResolvedOptions, string?] {
  // An option given as undefined (`release: process.env.RELEASE`) is an option not given.
  const given = (o: unknown) => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
  const options = { ...DEFAULTS, ...given(input), ...given(input?.batch) } as unknown as ResolvedOptions;
  try {
    // Every option with a default must have the default's type; arrays are objects here.
    for (const key in DEFAULTS) {
      const expected = typeof DEFAULTS[key as keyof typeof DEFAULTS];
      if (typeof options[key as keyof ResolvedOptions] !== expected) fail(key, 'a ' + expected);
    }
    if (!options.service) fail('service', 'a non-empty string');
    // An empty sink would resolve to the page itself.
    if (!options.sink) fail('sink', 'an http(s) URL');
    options.sink = (httpUrl(options.sink, baseUrl) || fail('sink', 'an http(s) URL')).href;
    if (!(options.sampleRate >= 0 && options.sampleRate <= 1)) fail('sampleRate', 'from 0 to 1');
    for (const key of ['maxQueue', 'maxEvents', 'maxBytes', 'flushIntervalMs'] as const) {
      if (!(options[key] >= 0)) fail(key, 'a positive number');
    }
    options.maxBytes = Math.min(options.maxBytes, 60_000);
    if (!Array.isArray(options.integrations)) fail('integrations', 'an array');
    options.propagateTo = [...options.propagateTo].map((target) =>
      target instanceof RegExp ? target : (httpUrl(target) || fail('propagateTo', 'an http(s) URL')).origin,
    );
    if (!/^[\w!#$%&'*+.^`|~-]+$/.test(options.correlationHeader)) fail('correlationHeader', 'a header name');
    if (options.transport && typeof options.transport.send !== 'function') fail('transport', 'an object with a send function');
    return [options];
  } catch (error) {
    return [options, typeof error === 'string' ? error : 'options must be an object'];
  }
}

/** `url` resolved against `base`, when it is an http(s) URL; else undefined. The script tag's attributes are checked with it too. */
export function httpUrl(url: unknown, base?: string): URL | undefined {
  try {
    const parsed = new URL(url as string, base);
    if (/^https?:$/.test(parsed.protocol)) return parsed;
  } catch {
    // Not a URL: undefined, for the caller to report.
  }
}
