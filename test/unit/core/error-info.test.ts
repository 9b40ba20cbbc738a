import { describe, expect, it } from 'vitest';
import { toErrorInfo } from '../../../src/core/error-info';

describe('toErrorInfo', () => {
  it('keeps an Error’s type, message and stack', () => {
    const error = new RangeError('out of range');
    expect(toErrorInfo(error, true)).toEqual({ type: 'RangeError', message: 'out of range', stack: error.stack, handled: true });
  });

  it.each([
    ['a string', 'oops', { type: 'string', message: 'oops' }],
    ['a number', 42, { type: 'number', message: '42' }],
    ['null', null, { type: 'null', message: 'null' }],
    ['undefined', undefined, { type: 'undefined', message: 'undefined' }],
    ['a plain object', { code: 'E1' }, { type: 'Object', message: '{"code":"E1"}' }],
    ['a class instance', new (class HttpFailure { status = 503; })(), { type: 'HttpFailure', message: '{"status":503}' }],
  ])('describes a thrown non-Error: %s', (_, thrown, expected) => {
    expect(toErrorInfo(thrown, false)).toEqual({ ...expected, handled: false });
  });

  it('survives objects that fight back', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(() => toErrorInfo(proxy, false)).not.toThrow();
    expect(toErrorInfo(Object.create(null), false)).toMatchObject({ type: 'Object', message: '{}' });
  });
});
