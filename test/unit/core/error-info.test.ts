import { describe, expect, it } from 'vitest';
import { completeError, firstFrameLine, toErrorInfo } from '../../../src/core/error-info';
import { MAX_STACK } from '../../../src/core/serialize';

describe('toErrorInfo', () => {
  it('keeps an Error’s type, message and stack, and leaves frames and fingerprint to the sink', () => {
    const error = new RangeError('out of range');
    const info = toErrorInfo(error, true);
    expect(info).toEqual({ type: 'RangeError', message: 'out of range', stack: error.stack, handled: true });
    expect(info).not.toHaveProperty('frames');
    expect(info).not.toHaveProperty('fingerprint');
  });

  it('clips a huge stack as it always has, keeping its head and its end', () => {
    const error = new Error('deep');
    error.stack = 'Error: deep\n' + '    at recurse (https://shop.test/app.js:1:1)\n'.repeat(10_000);
    const { stack } = toErrorInfo(error, false);
    expect(stack!.length).toBeLessThan(MAX_STACK + 100);
    expect(stack).toMatch(/^Error: deep\n {4}at recurse/);
    expect(stack).toContain('more]');
  });

  it.each([
    ['a string', 'oops', { type: 'string', message: 'oops' }],
    ['a number', 42, { type: 'number', message: '42' }],
    ['null', null, { type: 'null', message: 'null' }],
    ['undefined', undefined, { type: 'undefined', message: 'undefined' }],
    ['a plain object', { code: 'E1' }, { type: 'Object', message: '{"code":"E1"}' }],
    [
      'a class instance',
      new (class HttpFailure {
        status = 503;
      })(),
      { type: 'HttpFailure', message: '{"status":503}' },
    ],
  ])('describes a thrown non-Error: %s', (_, thrown, expected) => {
    expect(toErrorInfo(thrown, false)).toEqual({ ...expected, handled: false });
  });

  it('uses the given location as the one frame when the stack has none to give', () => {
    const at = { file: 'https://shop.test/app.js', line: 3, column: 9 };
    expect(toErrorInfo('oops', false, at).frames).toEqual([at]);
    // A stack of its own wins: the sink reads its frames.
    expect(toErrorInfo(new Error('x'), false, at)).not.toHaveProperty('frames');
    // An Error whose stack has no frame line falls back to the location, V8's and Firefox's alike.
    const bare = new Error('bare');
    bare.stack = 'Error: bare';
    expect(toErrorInfo(bare, false, at).frames).toEqual([at]);
    bare.stack = 'render@https://shop.test/app.js:1:2\n';
    expect(toErrorInfo(bare, false, at)).not.toHaveProperty('frames');
  });

  it('survives objects that fight back', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(() => toErrorInfo(proxy, false)).not.toThrow();
    expect(toErrorInfo(Object.create(null), false)).toMatchObject({ type: 'Object', message: '{}' });
    const hostile = new Error('hostile');
    Object.defineProperty(hostile, 'stack', {
      get: () => {
        throw new Error('no stack for you');
      },
    });
    expect(() => toErrorInfo(hostile, false)).not.toThrow();
    expect(toErrorInfo(hostile, false)).toEqual({ type: 'Error', message: 'hostile', stack: '[Unreadable]', handled: false });
  });
});

describe('completeError', () => {
  it('adds handled to an error described by hand, and nothing the sink computes', () => {
    const info = completeError({ type: 'CrossOriginScriptError', message: 'Script error.' }, false);
    expect(info).toEqual({ type: 'CrossOriginScriptError', message: 'Script error.', handled: false });
  });
});

describe('firstFrameLine', () => {
  it('finds V8’s first `at` line past a header that holds an @', () => {
    const stack = 'Error: mail a@b.test failed\n    at send (https://shop.test/app.js:3:4)\n    at https://shop.test/app.js:9:1';
    expect(firstFrameLine(stack)).toBe('    at send (https://shop.test/app.js:3:4)');
  });

  it('finds SpiderMonkey’s and JavaScriptCore’s first `@` line', () => {
    expect(firstFrameLine('applyDiscount@https://shop.test/app.js:41:13\n@https://shop.test/index.html:23:1')).toBe(
      'applyDiscount@https://shop.test/app.js:41:13',
    );
    expect(firstFrameLine('map@[native code]\nrender@https://shop.test/app.js:2:1')).toBe('map@[native code]');
  });

  it.each([undefined, '', 'Error: only a message', 'Error: two\nlines'])('finds none in %j', (stack) => {
    expect(firstFrameLine(stack)).toBeFalsy();
  });

  // A pattern whose leading blanks crossed line ends would take seconds on these.
  it('takes a stack of 100,000 blank or odd lines in one pass', () => {
    const started = performance.now();
    expect(firstFrameLine('\n'.repeat(100_000) + 'x')).toBeUndefined();
    expect(firstFrameLine(' \n\t'.repeat(100_000))).toBeUndefined();
    expect(firstFrameLine('a'.repeat(100_000) + '\n' + 'a@'.repeat(1))).toBe('a@');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
