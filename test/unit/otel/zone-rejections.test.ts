// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bridgeZoneRejections } from '../../../src/otel/zone-rejections';

/** The slice of zone.js the bridge touches: its symbol helper and the handler slot. */
const zone = { __symbol__: (name: string) => '__zone_symbol__' + name } as Record<string, unknown>;
const KEY = '__zone_symbol__unhandledPromiseRejectionHandler';
const handler = () => zone[KEY] as (error: unknown) => void;

const heard: PromiseRejectionEvent[] = [];
const listen = (event: Event) => void heard.push(event as PromiseRejectionEvent);

// happy-dom has no PromiseRejectionEvent; this one, like the browser's, requires its `promise`.
beforeAll(() => {
  if (typeof PromiseRejectionEvent === 'function') return;
  (globalThis as Record<string, unknown>).PromiseRejectionEvent = class extends Event {
    readonly promise: Promise<unknown>;
    readonly reason: unknown;
    constructor(type: string, init: PromiseRejectionEventInit) {
      if (init?.promise === undefined) throw new TypeError("Failed to construct 'PromiseRejectionEvent': required member promise is undefined.");
      super(type);
      this.promise = init.promise;
      this.reason = init.reason;
    }
  };
});

afterEach(() => {
  delete (globalThis as { Zone?: unknown }).Zone;
  removeEventListener('unhandledrejection', listen);
  heard.length = 0;
});

describe('bridgeZoneRejections', () => {
  it('tells window’s listeners of a bare rejection, which zone.js’s own bridge drops', () => {
    const original = () => {};
    zone[KEY] = original;
    (globalThis as { Zone?: unknown }).Zone = zone;
    addEventListener('unhandledrejection', listen);
    const restore = bridgeZoneRejections();
    const reason = new Error('render failed');
    handler()(reason);
    expect(heard).toHaveLength(1);
    expect(heard[0].reason).toBe(reason);
    restore();
    expect(zone[KEY]).toBe(original);
  });

  it('unwraps the wrapper zone.js uses when it still wraps rejections', async () => {
    (globalThis as { Zone?: unknown }).Zone = zone;
    addEventListener('unhandledrejection', listen);
    const restore = bridgeZoneRejections();
    const promise = Promise.resolve();
    const wrapper = Object.assign(new Error('Uncaught (in promise): x'), { rejection: 'x', promise });
    handler()(wrapper);
    expect(heard[0].reason).toBe('x');
    expect(heard[0].promise).toBe(promise);
    restore();
  });

  it('does nothing without zone.js', () => {
    expect(() => bridgeZoneRejections()()).not.toThrow();
  });
});
