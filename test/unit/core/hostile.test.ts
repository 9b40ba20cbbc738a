/**
 * Hostile values through every public method: none throws, none costs a later event, and every
 * event sent passes the sink's own schema check.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCoreClient } from '../../../src/core/client';
import type { ClientOptions } from '../../../src/core/types';
import { completeError } from '../../../src/sink/error-details';
import { createEventValidator } from '../../../src/sink/validate';
import { recordingFetch } from './recording-fetch';

const SINK = 'https://logs.test/api/log';
const check = createEventValidator();

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}
const throwing = () =>
  new Proxy(
    {},
    {
      get: () => {
        throw new Error('get');
      },
      ownKeys: () => {
        throw new Error('keys');
      },
      getPrototypeOf: () => {
        throw new Error('proto');
      },
    },
  );
const getter = () => ({
  ok: 1,
  get bad(): never {
    throw new Error('getter');
  },
});
const badString = {
  toString: () => {
    throw new Error('toString');
  },
};

afterEach(() => vi.restoreAllMocks());

describe('hostile values', () => {
  it('createClient given options that fight back reports once and stays inert', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const inputs: unknown[] = [
      revoked(),
      throwing(),
      {
        get sink(): never {
          throw new Error('x');
        },
        service: 'web',
      },
      { sink: SINK, service: 'web', batch: throwing() },
      { sink: SINK, service: 'web', integrations: [revoked(), throwing()] },
      { sink: SINK, service: 'web', transport: throwing() },
      { sink: SINK, service: 'web', propagateTo: throwing() },
      Object.create(null),
    ];
    for (const input of inputs) {
      const fake = recordingFetch(202);
      const client = createCoreClient(input as ClientOptions, { fetch: fake.fetch });
      expect(() => client.log('info', 'x')).not.toThrow();
    }
    expect(error.mock.calls.length).toBeGreaterThanOrEqual(inputs.length - 1);
  });

  it('log, captureError, setUser and setContext: every event kept and valid', async () => {
    const fake = recordingFetch(202);
    const client = createCoreClient({ sink: SINK, service: 'web' }, { fetch: fake.fetch, pageUrl: () => 'https://shop.test/' + 'p'.repeat(9_000) });
    const values: unknown[] = [
      revoked(),
      throwing(),
      getter(),
      badString,
      Object.create(null),
      10n,
      Symbol('s'),
      'x'.repeat(10_000_000),
      new Array(1_000_000).fill(1),
    ];
    const wide: Record<string, number> = {};
    for (let i = 0; i < 100_000; i++) wide['k' + i] = i;
    values.push(wide, { ['k'.repeat(10_000_000)]: 1 }, { '\ud800': 1 });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    values.push(cycle);
    client.setUser({ id: 'u'.repeat(300) });
    let expected = 0;
    for (const value of values) {
      expect(() => client.log('info', value as string, value as Record<string, unknown>)).not.toThrow();
      expect(() => client.log('info', 'attr', { value })).not.toThrow();
      expect(() => client.captureError(value, value as Record<string, unknown>)).not.toThrow();
      expect(() => client.setContext(value as Record<string, unknown>)).not.toThrow();
      expect(() => client.setUser(value as { id: string })).not.toThrow();
      expected += 3;
    }
    client.captureError(new Error('m'.repeat(60_000)));
    client.log('info', 'last_one');
    expected += 2;
    await client.flush();
    const events = fake.events();
    expect(events).toHaveLength(expected);
    for (const event of events) expect(check(event), JSON.stringify(event).slice(0, 300)).toBeNull();
    expect(events.at(-1)!.event).toBe('last_one');
    // Its clipped stack still holds the frames the sink reads.
    const long = completeError(events.at(-2)!);
    expect(long.error!.frames!.length).toBeGreaterThan(0);
    expect(typeof long.error!.frames![0]).toBe('object');
  });
}, 120_000);
