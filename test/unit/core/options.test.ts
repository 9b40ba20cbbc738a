import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../src/core/options';
import type { ClientOptions } from '../../../src/core/types';

const valid = { sink: '/api/log', service: 'web' };
const resolve = (options: unknown, base = 'https://shop.test/cart') => resolveOptions(options as ClientOptions, base);

describe('resolveOptions', () => {
  it('fills in the defaults and resolves a relative sink against the page', () => {
    const [options, problem] = resolve(valid);
    expect(problem).toBeUndefined();
    expect(options).toMatchObject({
      sink: 'https://shop.test/api/log',
      service: 'web',
      correlationHeader: 'x-trace-id',
      sampleRate: 1,
      redact: true,
      debug: false,
      maxQueue: 1000,
      maxEvents: 50,
      maxBytes: 60_000,
      flushIntervalMs: 5000,
      integrations: [],
      propagateTo: [],
    });
  });

  it('takes an option given as undefined for one not given', () => {
    const [options, problem] = resolve({ ...valid, release: undefined, environment: undefined, sampleRate: undefined, batch: { maxEvents: undefined } });
    expect(problem).toBeUndefined();
    expect(options).toMatchObject({ release: '', environment: '', sampleRate: 1, maxEvents: 50 });
  });

  it('flattens batch options and keeps a batch within one beacon', () => {
    const [options] = resolve({ ...valid, batch: { maxEvents: 10, maxBytes: 500_000, flushIntervalMs: 100 } });
    expect(options).toMatchObject({ maxEvents: 10, maxBytes: 60_000, flushIntervalMs: 100 });
  });

  it('copies a RegExp of propagateTo, so that its own exec or getters never run; a Proxy of one is refused', () => {
    const pattern = Object.defineProperty(/^https:\/\/api\./, 'exec', {
      get() {
        throw new Error('trap');
      },
    });
    const [options] = resolve({ ...valid, propagateTo: [pattern] });
    expect('https://api.example.com/'.search(options.propagateTo[0])).toBe(0);
    expect(resolve({ ...valid, propagateTo: [new Proxy(/x/, {})] })[1]).toContain('option');
  });

  it('reduces string entries of propagateTo to origins and keeps RegExps', () => {
    const pattern = /^https:\/\/.*\.example\.com\//;
    const [options] = resolve({ ...valid, propagateTo: ['https://api.example.com/v1/', pattern] });
    expect(options.propagateTo).toEqual(['https://api.example.com', pattern]);
  });

  it.each([
    [{ service: 'web' }, 'option `sink` must be an http(s) URL'],
    [{ ...valid, sink: '' }, 'option `sink` must be an http(s) URL'],
    [{ ...valid, sink: 'http://[bad' }, 'option `sink`'],
    [{ ...valid, sink: 'ftp://x.test/log' }, 'option `sink`'],
    [{ ...valid, sink: 42 }, 'option `sink` must be a string'],
    [{ sink: '/api/log' }, 'option `service` must be a non-empty string'],
    [{ ...valid, service: {} }, 'option `service` must be a string'],
    [{ ...valid, sampleRate: '0.5' }, 'option `sampleRate` must be a number'],
    [{ ...valid, sampleRate: 2 }, 'option `sampleRate` must be from 0 to 1'],
    [{ ...valid, sampleRate: NaN }, 'option `sampleRate` must be from 0 to 1'],
    [{ ...valid, beforeSend: 'drop' }, 'option `beforeSend` must be a function'],
    [{ ...valid, redact: 'yes' }, 'option `redact` must be a boolean'],
    [{ ...valid, release: 1.2 }, 'option `release` must be a string'],
    [{ ...valid, integrations: {} }, 'option `integrations` must be an array'],
    [{ ...valid, propagateTo: ['api.example.com'] }, 'option `propagateTo`'],
    [{ ...valid, propagateTo: [42] }, 'option `propagateTo`'],
    [{ ...valid, batch: { maxEvents: -1 } }, 'option `maxEvents` must be a positive number'],
    [{ ...valid, maxQueue: '10' }, 'option `maxQueue` must be a number'],
    [{ ...valid, correlationHeader: 'x trace' }, 'option `correlationHeader` must be a header name'],
  ])('names the wrong option: %j', (input, message) => {
    const [, problem] = resolve(input);
    expect(problem).toContain(message);
  });

  it('needs an absolute sink where there is no page to resolve against', () => {
    expect(resolveOptions(valid as ClientOptions)[1]).toContain('option `sink`');
    expect(resolveOptions({ ...valid, sink: 'https://logs.test/ingest' } as ClientOptions)[1]).toBeUndefined();
  });

  it('never throws, whatever it is handed', () => {
    for (const input of [undefined, null, 42, 'x', [], () => 1]) {
      expect(() => resolve(input)).not.toThrow();
      expect(resolve(input)[1]).toEqual(expect.any(String));
    }
  });
});
