/**
 * Checks the options once, up front. A wrong option is reported by name and turns the client into
 * one that does nothing; it is never thrown into the page.
 */
import { clip } from './serialize';
import type { ClientOptions, Integration, ResolvedOptions } from './types';

/**
 * Every option with a default: the value must have the default's type (arrays are objects here),
 * then pass its check, which gives what the client keeps, or undefined when the value is wrong.
 */
type Rule = [fallback: unknown, check?: (value: never, baseUrl?: string) => unknown];

const positive = (value: number): number | undefined => (value >= 0 ? value : undefined);

/** The schema's limit for service, release and environment: a longer name would have every event refused by the sink. */
const fitName = (name: string): string => clip(name, 256);

/** RFC 9110 §5.1: a field name is a token. */
const HEADER_NAME = /^[\w!#$%&'*+.^`|~-]+$/;

const RULES: Record<string, Rule> = {
  // An empty sink would resolve to the page itself.
  sink: ['', (sink: string, baseUrl) => (sink ? httpUrl(sink, baseUrl)?.href : undefined)],
  service: ['', (service: string) => (service ? fitName(service) : undefined)],
  release: ['', fitName],
  environment: ['', fitName],
  correlationHeader: ['x-trace-id', (name: string) => (HEADER_NAME.test(name) ? name : undefined)],
  sampleRate: [1, (rate: number) => (rate >= 0 && rate <= 1 ? rate : undefined)],
  redact: [true],
  persist: [true],
  debug: [false],
  maxQueue: [1_000, positive],
  maxEvents: [50, positive],
  // A batch must also fit one beacon at page exit.
  maxBytes: [60_000, (bytes: number) => positive(Math.min(bytes, 60_000))],
  flushIntervalMs: [5_000, positive],
  integrations: [[], (list: unknown[]) => (Array.isArray(list) ? list.map(ownIntegration) : undefined)],
  // A RegExp is copied: the copy matches by its pattern alone, so an own `exec`, getter or
  // Symbol.search of the app's (or a Proxy, which can't be copied) never runs at request time.
  propagateTo: [
    [],
    (list: unknown[]) => [...list].map((target) => (target instanceof RegExp ? new RegExp(target) : (httpUrl(target) || fail('propagateTo')).origin)),
  ],
  beforeSend: [<T>(event: T): T | null => event],
};

/** What a checked option must be, in the development build's messages; the production one names the option only. */
const EXPECTED: Record<string, string> = __DEV__
  ? {
      sink: 'an http(s) URL',
      service: 'a non-empty string',
      correlationHeader: 'a header name',
      sampleRate: 'from 0 to 1',
      maxQueue: 'a positive number',
      maxEvents: 'a positive number',
      maxBytes: 'a positive number',
      flushIntervalMs: 'a positive number',
      integrations: 'an array',
      propagateTo: 'an http(s) URL',
    }
  : {};

const fail = (option: string, expected?: string | false): never => {
  throw `option \`${option}\`` + (__DEV__ ? ` must be ${expected || EXPECTED[option]}` : ' is invalid');
};

/** The defaults alone: what a client that does nothing is made of. */
const defaults = (): ResolvedOptions => {
  const options: Record<string, unknown> = {};
  for (const key in RULES) options[key] = RULES[key][0];
  return options as unknown as ResolvedOptions;
};

/**
 * The own properties of `value` that are not undefined, each read once, into a plain object: what the
 * client keeps can't change under it or throw later (a getter, a Proxy). Reading may throw here,
 * inside the caller's try.
 */
export function given(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const option = (value as Record<string, unknown>)[key];
      if (option !== undefined) out[key] = option;
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
    return { name: 'unreadable', setup: () => fail('integrations', __DEV__ && 'objects that can be read') };
  }
}

/** The options with defaults filled in, and the message naming the first wrong one, if any. */
export function resolveOptions(input: ClientOptions, baseUrl?: string): [ResolvedOptions, string?] {
  let options = defaults();
  try {
    // An option given as undefined (`release: process.env.RELEASE`) is an option not given.
    const own = given(input);
    options = { ...options, ...own, ...given(own.batch) } as ResolvedOptions;
    if (input != null && typeof input !== 'object') fail('options', __DEV__ && 'an object');
    const all = options as unknown as Record<string, unknown>;
    for (const key in RULES) {
      const [fallback, check] = RULES[key];
      if (typeof all[key] !== typeof fallback) fail(key, __DEV__ && 'a ' + typeof fallback);
      if (check) {
        const value = check(all[key] as never, baseUrl);
        all[key] = value === undefined ? fail(key) : value;
      }
    }
    if (options.transport) {
      const { send } = options.transport;
      if (typeof send !== 'function') fail('transport', __DEV__ && 'an object with a send function');
      const transport = options.transport;
      options.transport = { send: (events, context) => send.call(transport, events, context) };
    }
    return [options];
  } catch (error) {
    // What could not be read at all (a revoked Proxy, a throwing getter) leaves the defaults: the
    // client that does nothing must not trip over it either.
    if (typeof error === 'string') return [options, error];
    return [defaults(), 'options must be an object that can be read'];
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
