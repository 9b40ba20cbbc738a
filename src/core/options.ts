/**
 * Checks the options once, up front. A wrong option is reported by name and turns the client into
 * one that does nothing; it is never thrown into the page.
 */
import { clip } from './serialize';
import type { ClientOptions, Integration, ResolvedOptions } from './types';

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

/**
 * The own properties of `o` that are not undefined, each read once, into a plain object: what the
 * client keeps can't change under it or throw later (a getter, a Proxy). Reading may throw here,
 * inside the caller's try.
 */
export function given(o: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o && typeof o === 'object') {
    for (const key of Object.keys(o)) {
      const value = (o as Record<string, unknown>)[key];
      if (value !== undefined) out[key] = value;
    }
  }
  return out;
}

/** An integration read once into a plain object, so that a hostile one fails when it starts, by name. */
function ownIntegration(integration: unknown): Integration {
  try {
    const { name, setup } = integration as Integration;
    return { name: typeof name === 'string' ? name : String(name), setup: (client) => setup.call(integration, client) };
  } catch {
    return { name: 'unreadable', setup: () => fail('integrations', 'objects that can be read') };
  }
}

/** The options with defaults filled in, and the message naming the first wrong one, if any. */
export function resolveOptions(input: ClientOptions, baseUrl?: string): [ResolvedOptions, string?] {
  let options = { ...DEFAULTS, integrations: [], propagateTo: [] } as unknown as ResolvedOptions;
  try {
    // An option given as undefined (`release: process.env.RELEASE`) is an option not given.
    const own = given(input);
    options = { ...options, ...own, ...given(own.batch) } as ResolvedOptions;
    if (input != null && typeof input !== 'object') fail('options', 'an object');
    // Every option with a default must have the default's type; arrays are objects here.
    for (const key in DEFAULTS) {
      const expected = typeof DEFAULTS[key as keyof typeof DEFAULTS];
      if (typeof options[key as keyof ResolvedOptions] !== expected) fail(key, 'a ' + expected);
    }
    if (!options.service) fail('service', 'a non-empty string');
    // The schema's limits: a longer name would have every event refused by the sink.
    for (const key of ['service', 'release', 'environment'] as const) options[key] = clip(options[key]!, 256);
    // An empty sink would resolve to the page itself.
    if (!options.sink) fail('sink', 'an http(s) URL');
    options.sink = (httpUrl(options.sink, baseUrl) || fail('sink', 'an http(s) URL')).href;
    if (!(options.sampleRate >= 0 && options.sampleRate <= 1)) fail('sampleRate', 'from 0 to 1');
    for (const key of ['maxQueue', 'maxEvents', 'maxBytes', 'flushIntervalMs'] as const) {
      if (!(options[key] >= 0)) fail(key, 'a positive number');
    }
    options.maxBytes = Math.min(options.maxBytes, 60_000);
    if (!Array.isArray(options.integrations)) fail('integrations', 'an array');
    options.integrations = [...options.integrations].map(ownIntegration);
    // A RegExp is copied: the copy matches by its pattern alone, so an own `exec`, getter or
    // Symbol.search of the app's (or a Proxy, which can't be copied) never runs at request time.
    options.propagateTo = [...options.propagateTo].map((target) =>
      target instanceof RegExp ? new RegExp(target) : (httpUrl(target) || fail('propagateTo', 'an http(s) URL')).origin,
    );
    if (!/^[\w!#$%&'*+.^`|~-]+$/.test(options.correlationHeader)) fail('correlationHeader', 'a header name');
    if (options.transport) {
      const { send } = options.transport;
      if (typeof send !== 'function') fail('transport', 'an object with a send function');
      const transport = options.transport;
      options.transport = { send: (events, context) => send.call(transport, events, context) };
    }
    return [options];
  } catch (error) {
    // What could not be read at all (a revoked Proxy, a throwing getter) leaves the defaults: the
    // client that does nothing must not trip over it either.
    if (typeof error === 'string') return [options, error];
    return [{ ...DEFAULTS, integrations: [], propagateTo: [] } as unknown as ResolvedOptions, 'options must be an object that can be read'];
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
