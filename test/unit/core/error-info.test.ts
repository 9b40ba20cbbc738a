import { describe, expect, it } from 'vitest';
import { completeError, toErrorInfo } from '../../../src/core/error-info';
import { fingerprint } from '../../../src/core/fingerprint';
import { parseStack } from '../../../src/core/stack';

describe('toErrorInfo', () => {
  it('keeps an Error’s type, message and stack, and adds its frames and fingerprint', () => {
    const error = new RangeError('out of range');
    const info = toErrorInfo(error, true);
    expect(info).toEqual({
      type: 'RangeError',
      message: 'out of range',
      stack: error.stack,
      frames: parseStack(error.stack),
      handled: true,
      fingerprint: expect.stringMatching(/^[\da-f]{8}$/),
    });
    expect(info.frames![0].file).toContain('error-info.test.ts');
    expect(info.fingerprint).toBe(fingerprint(info));
  });

  it('gives the same fingerprint to the same error thrown twice from one place', () => {
    const make = (id: number) => new Error(`order ${id} not found`);
    expect(toErrorInfo(make(1), false).fingerprint).toBe(toErrorInfo(make(2), false).fingerprint);
  });

  it.each([
    ['a string', 'oops', { type: 'string', message: 'oops' }],
    ['a number', 42, { type: 'number', message: '42' }],
    ['null', null, { type: 'null', message: 'null' }],
    ['undefined', undefined, { type: 'undefined', message: 'undefined' }],
    ['a plain object', { code: 'E1' }, { type: 'Object', message: '{"code":"E1"}' }],
    ['a class instance', new (class HttpFailure { status = 503; })(), { type: 'HttpFailure', message: '{"status":503}' }],
  ])('describes a thrown non-Error: %s', (_, thrown, expected) => {
    expect(toErrorInfo(thrown, false)).toEqual({ ...expected, handled: false, fingerprint: expect.stringMatching(/^[\da-f]{8}$/) });
  });

  it('uses the given location as the frame of a value without a stack', () => {
    const at = { file: 'https://shop.test/app.js', line: 3, column: 9 };
    expect(toErrorInfo('oops', false, at).frames).toEqual([at]);
    // A stack of its own wins.
    expect(toErrorInfo(new Error('x'), false, at).frames![0]).not.toEqual(at);
    // An Error whose stack has no frames falls back to the location too.
    const bare = new Error('bare');
    bare.stack = 'Error: bare';
    expect(toErrorInfo(bare, false, at).frames).toEqual([at]);
  });

  it('tells different thrown values apart by fingerprint', () => {
    const prints = ['a', 'b', null, undefined, { code: 'E1' }].map((value) => toErrorInfo(value, false).fingerprint);
    expect(new Set(prints).size).toBe(5);
  });

  it('survives objects that fight back', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(() => toErrorInfo(proxy, false)).not.toThrow();
    expect(toErrorInfo(Object.create(null), false)).toMatchObject({ type: 'Object', message: '{}' });
    const hostile = new Error('hostile');
    Object.defineProperty(hostile, 'stack', { get: () => { throw new Error('no stack for you'); } });
    expect(() => toErrorInfo(hostile, false)).not.toThrow();
  });
});

describe('completeError', () => {
  it('adds frames, handled and a fingerprint to an error described by hand', () => {
    const info = completeError({ type: 'CrossOriginScriptError', message: 'Script error.' }, false);
    expect(info).toEqual({ type: 'CrossOriginScriptError', message: 'Script error.', handled: false, fingerprint: fingerprint(info) });
  });
});
