// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errors, stormKey } from '../../../src/browser/errors';
import type { CaptureInput, Client } from '../../../src/core/types';

let captured: CaptureInput[];
let teardown: () => void;

function start(capture: (input: CaptureInput) => void = (input) => captured.push(input)): void {
  teardown = errors().setup({ capture } as Client) as () => void;
}

/** What a browser dispatches on window for an uncaught exception. */
function throwUncaught(error: unknown, init: ErrorEventInit = {}): boolean {
  const message = init.message ?? `Uncaught ${String(error)}`;
  return dispatchEvent(new ErrorEvent('error', { message, filename: 'https://shop.test/app.js', lineno: 12, colno: 5, error, cancelable: true, ...init }));
}

/** happy-dom has no PromiseRejectionEvent; the listener reads only `reason`. */
function rejectUnhandled(reason: unknown): void {
  dispatchEvent(Object.assign(new Event('unhandledrejection', { cancelable: true }), { reason }));
}

function hide(): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
  // Browsers let it bubble; pages and test tools that fake it often don't.
  document.dispatchEvent(new Event('visibilitychange'));
}

beforeEach(() => {
  captured = [];
});

afterEach(() => {
  teardown?.();
  vi.useRealTimers();
  window.onerror = null;
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
});

describe('errors()', () => {
  it('is a plain integration object', () => {
    expect(errors()).toEqual({ name: 'errors', setup: expect.any(Function) });
  });

  it('reports an uncaught Error as client_error, unhandled, with its stack (the sink reads its frames)', () => {
    start();
    const error = new TypeError('total is undefined');
    expect(throwUncaught(error)).toBe(true); // the browser still logs it to the console
    expect(captured).toEqual([
      {
        level: 'error',
        event: 'client_error',
        error: { type: 'TypeError', message: 'total is undefined', stack: error.stack, handled: false },
        attributes: { hint: undefined },
      },
    ]);
  });

  it('describes thrown non-Errors, with the location the event gives', () => {
    start();
    throwUncaught('oops');
    throwUncaught({ code: 'E_CART' });
    throwUncaught(null);
    expect(captured.map((c) => c.error)).toEqual([
      expect.objectContaining({ type: 'string', message: 'oops', frames: [{ file: 'https://shop.test/app.js', line: 12, column: 5 }], handled: false }),
      expect.objectContaining({ type: 'Object', message: '{"code":"E_CART"}' }),
      expect.objectContaining({ type: 'null', message: 'null' }),
    ]);
  });

  it('reports unhandled rejections, of Errors and of anything else', () => {
    start();
    rejectUnhandled(new Error('fetch failed'));
    rejectUnhandled(undefined);
    rejectUnhandled('nope');
    expect(captured.map((c) => [c.level, c.event, c.error?.type, c.error?.message, c.error?.handled])).toEqual([
      ['error', 'unhandled_rejection', 'Error', 'fetch failed', false],
      ['error', 'unhandled_rejection', 'undefined', 'undefined', false],
      ['error', 'unhandled_rejection', 'string', 'nope', false],
    ]);
    expect(captured[0].error?.stack).toContain('errors.test.ts');
  });

  it('flags the muted "Script error." of a cross-origin script, with a hint', () => {
    start();
    throwUncaught(null, { message: 'Script error.', filename: '', lineno: 0, colno: 0 });
    expect(captured).toEqual([
      {
        level: 'error',
        event: 'client_error',
        error: { type: 'CrossOriginScriptError', message: 'Script error.', handled: false },
        attributes: { hint: expect.stringContaining('crossorigin="anonymous"') },
      },
    ]);
    expect(captured[0].attributes?.hint).toContain('CORS');
  });

  it('ignores plain `error` Events: on window, and from an image that failed to load', () => {
    start();
    dispatchEvent(new Event('error'));
    const image = document.body.appendChild(document.createElement('img'));
    image.dispatchEvent(new Event('error'));
    image.remove();
    expect(captured).toEqual([]);
  });

  it('adds its listeners beside the page’s own handlers, and its teardown removes only its own', () => {
    const pageOnError = vi.fn();
    const pageListener = vi.fn();
    window.onerror = pageOnError;
    addEventListener('error', pageListener);
    start();
    // The page's handler is still the page's, even when the page sets it after the SDK started.
    expect(window.onerror).toBe(pageOnError);
    throwUncaught(new Error('one'));
    expect(pageListener).toHaveBeenCalledTimes(1);
    expect(captured).toHaveLength(1);

    teardown();
    throwUncaught(new Error('two'));
    rejectUnhandled(new Error('three'));
    expect(captured).toHaveLength(1);
    expect(pageListener).toHaveBeenCalledTimes(2);
    expect(window.onerror).toBe(pageOnError);
    removeEventListener('error', pageListener);
  });

  describe('rate limit', () => {
    it('sends the first five of a storm, then one errors_suppressed with the count, after a few seconds', () => {
      vi.useFakeTimers();
      start();
      for (let i = 0; i < 1_000; i++) throwUncaught(new Error(`loop ${i} failed`));
      expect(captured).toHaveLength(5);
      vi.advanceTimersByTime(5_000);
      expect(captured).toHaveLength(6);
      // It carries the last error held back, so the sink groups it with those that were sent.
      expect(captured[5]).toEqual({
        level: 'error',
        event: 'errors_suppressed',
        error: { type: 'Error', message: 'loop 999 failed', stack: expect.stringContaining('loop 999 failed'), handled: false },
        attributes: { count: 995, error_type: 'Error', error_message: 'loop 999 failed' },
      });
      // Nothing more to say until the storm goes on.
      vi.advanceTimersByTime(60_000);
      expect(captured).toHaveLength(6);
    });

    it('lets a different error through during a storm', () => {
      vi.useFakeTimers();
      start();
      const elsewhere = (): Error => new Error('storm');
      for (let i = 0; i < 100; i++) throwUncaught(new Error('storm'));
      throwUncaught(new RangeError('something else'));
      // Same type and message, thrown by another function: another first frame, another limit.
      rejectUnhandled(elsewhere());
      expect(captured.map((c) => c.error?.message)).toEqual(['storm', 'storm', 'storm', 'storm', 'storm', 'something else', 'storm']);
    });

    it('refills one event per 10 seconds', () => {
      vi.useFakeTimers();
      start();
      const storm = () => throwUncaught(new Error('storm'));
      for (let i = 0; i < 7; i++) storm();
      expect(captured).toHaveLength(5);
      vi.advanceTimersByTime(9_000);
      storm();
      expect(captured.filter((c) => c.event === 'client_error')).toHaveLength(5);
      vi.advanceTimersByTime(1_000);
      storm();
      storm();
      expect(captured.filter((c) => c.event === 'client_error')).toHaveLength(6);
      vi.advanceTimersByTime(60_000);
      for (let i = 0; i < 10; i++) storm();
      expect(captured.filter((c) => c.event === 'client_error')).toHaveLength(11);
    });

    it('sends a pending summary at once when the page hides or is left, and at teardown', () => {
      vi.useFakeTimers();
      start();
      for (let i = 0; i < 8; i++) throwUncaught(new Error('storm'));
      hide();
      expect(captured.at(-1)).toMatchObject({ event: 'errors_suppressed', attributes: { count: 3 } });
      for (let i = 0; i < 2; i++) throwUncaught(new Error('storm'));
      dispatchEvent(new Event('pagehide'));
      expect(captured.at(-1)).toMatchObject({ event: 'errors_suppressed', attributes: { count: 2 } });
      throwUncaught(new Error('storm'));
      teardown();
      expect(captured.at(-1)).toMatchObject({ event: 'errors_suppressed', attributes: { count: 1 } });
      // The timer went with them: no second summary of the same occurrences.
      const count = captured.length;
      vi.advanceTimersByTime(10_000);
      expect(captured).toHaveLength(count);
    });

    it('remembers a bounded number of errors and still reports each new one', () => {
      start();
      const words = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima'.split(' ');
      // 144 distinct messages without digits (digits are ignored by the storm key).
      for (const a of words) for (const b of words) throwUncaught(new Error(`${a} ${b}`));
      expect(captured).toHaveLength(144);
    });
  });

  it('passes over errors already reported elsewhere (marked, e.g. by a React error boundary)', () => {
    start();
    const reported = Object.defineProperty(new Error('caught by a boundary'), Symbol.for('tracebeam.reported'), { value: true });
    throwUncaught(reported);
    rejectUnhandled(reported);
    throwUncaught(new Error('not reported yet'));
    expect(captured.map((c) => c.error?.message)).toEqual(['not reported yet']);
  });

  it('passes over what React 18’s development build raises while it replays failed work', () => {
    const limit = Error.stackTraceLimit;
    start();
    // React's name for the function that dispatches the replay's fake event.
    function invokeGuardedCallbackDev(): void {
      throwUncaught(new Error('replayed'));
    }
    invokeGuardedCallbackDev();
    throwUncaught(new Error('replayed'));
    expect(captured.map((c) => c.error?.message)).toEqual(['replayed']);
    // The stack limit it raised to look is back as it was.
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('never captures an error raised while it handles one', () => {
    start();
    const thrown = new Error('outer');
    // A value whose message getter raises another uncaught error, as a broken polyfill might.
    Object.defineProperty(thrown, 'message', {
      get() {
        throwUncaught(new Error('inner'));
        return 'outer';
      },
    });
    throwUncaught(thrown, { message: 'Uncaught Error: outer' });
    expect(captured.map((c) => c.error?.message)).toEqual(['outer']);
    // Once it is done, errors are captured again.
    throwUncaught(new Error('after'));
    expect(captured.map((c) => c.error?.message)).toEqual(['outer', 'after']);
  });

  it('never throws into the page, even when the client does', () => {
    start(() => {
      throw new Error('client broke');
    });
    expect(() => throwUncaught(new Error('x'))).not.toThrow();
    expect(() => rejectUnhandled(new Error('y'))).not.toThrow();
    // And it is not stuck: the next error is handled again.
    teardown();
    start();
    throwUncaught(new Error('z'));
    expect(captured).toHaveLength(1);
  });
});

describe('stormKey', () => {
  const stack = (top: string) => `TypeError: order 5123 failed\n    at ${top}\n    at checkout (https://shop.test/app.4a41.js:9:1)`;

  it('is one key for one error thrown from one place, whatever its ids, lines and hashes', () => {
    const a = stormKey({ type: 'TypeError', message: 'order 5123 failed', stack: stack('pay (https://shop.test/app.4a41.js:41:13)') });
    const b = stormKey({ type: 'TypeError', message: 'order 77 failed', stack: stack('pay (https://shop.test/app.9f0e.js:52:1)') });
    expect(a).toBe(b);
    expect(a).toMatch(/^[\da-z]+$/);
  });

  it('tells apart another type, message or first frame, and reads Firefox stacks and a lone location', () => {
    const base = { type: 'TypeError', message: 'order failed', stack: stack('pay (https://shop.test/app.js:1:1)') };
    const keys = [
      stormKey(base),
      stormKey({ ...base, type: 'RangeError' }),
      stormKey({ ...base, message: 'order cancelled' }),
      stormKey({ ...base, stack: stack('refund (https://shop.test/app.js:1:1)') }),
      stormKey({ ...base, stack: 'pay@https://shop.test/app.js:1:1\ncheckout@https://shop.test/app.js:9:1' }),
      stormKey({ ...base, stack: 'refund@https://shop.test/app.js:1:1' }),
      stormKey({ type: 'string', message: 'oops', frames: [{ file: 'https://shop.test/a.js', line: 1, column: 2 }] }),
      stormKey({ type: 'string', message: 'oops', frames: [{ file: 'https://shop.test/b.js', line: 1, column: 2 }] }),
      stormKey({ type: 'string', message: 'oops' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    // Only the first frame line counts: a deeper frame does not split a storm.
    expect(stormKey({ ...base, stack: base.stack + '\n    at other (x.js:1:1)' })).toBe(keys[0]);
  });
});
