import { describe, expect, it } from 'vitest';
import { parseStack, rewriteStack, stackPlaces } from '../../../src/sink/stack-lines';

const frame = (fn: string | undefined, file: string | undefined, line?: number, column?: number) => ({ function: fn, file, line, column });

describe('parseStack: V8 (Chromium, Edge, Node)', () => {
  it('reads named, anonymous, constructor and async frames, top first, skipping the message', () => {
    // As Chromium 156 wrote it for a page script (the message itself holds an "at").
    const stack = [
      "TypeError: Cannot read properties of undefined (reading 'total') at checkout",
      '    at new Cart (https://shop.test/static/app.js:3:36)',
      '    at https://shop.test/static/app.js:5:11',
      '    at load (https://shop.test/static/app.js:8:40)',
      '    at async start (https://shop.test/static/app.js:9:26)',
      '    at async https://shop.test/static/app.js:12:1',
      '    at HTMLButtonElement.<anonymous> (https://shop.test/static/app.js:20:7)',
      '    at Object.d [as add] (https://shop.test/static/vendor.js:31:30039)',
    ].join('\n');
    expect(parseStack(stack)).toEqual([
      frame('new Cart', 'https://shop.test/static/app.js', 3, 36),
      frame(undefined, 'https://shop.test/static/app.js', 5, 11),
      frame('load', 'https://shop.test/static/app.js', 8, 40),
      frame('start', 'https://shop.test/static/app.js', 9, 26),
      frame(undefined, 'https://shop.test/static/app.js', 12, 1),
      frame('HTMLButtonElement.<anonymous>', 'https://shop.test/static/app.js', 20, 7),
      frame('Object.d [as add]', 'https://shop.test/static/vendor.js', 31, 30039),
    ]);
  });

  it('reads frames without a location: native functions and <anonymous> scripts', () => {
    const stack =
      'Error: anon\n    at file:///srv/app.mjs:7:29\n    at Array.map (<anonymous>)\n    at <anonymous>:5:1\n    at <anonymous>\n    at Array.forEach (native)';
    expect(parseStack(stack)).toEqual([
      frame(undefined, 'file:///srv/app.mjs', 7, 29),
      frame('Array.map', '<anonymous>'),
      frame(undefined, '<anonymous>', 5, 1),
      frame(undefined, '<anonymous>'),
      frame('Array.forEach', 'native'),
    ]);
  });

  it('points eval and new Function frames at the line that called eval', () => {
    const stack = [
      'Error: eval',
      '    at evaled (eval at <anonymous> (file:///srv/app.mjs:6:7), <anonymous>:1:27)',
      '    at eval (eval at render (https://shop.test/app.js:37:5), <anonymous>:1:1)',
      '    at deep (eval at inner (eval at outer (https://shop.test/app.js:21:17)), <anonymous>:1:30)',
      // Chromium, for code a DevTools protocol client evaluated: the caller has no URL.
      '    at eval (eval at <anonymous> (:6:11), <anonymous>:1:19)',
    ].join('\n');
    expect(parseStack(stack)).toEqual([
      frame('evaled', 'file:///srv/app.mjs', 6, 7),
      frame('eval', 'https://shop.test/app.js', 37, 5),
      frame('deep', 'https://shop.test/app.js', 21, 17),
      frame('eval', undefined, 6, 11),
    ]);
  });

  it('keeps parentheses and @ in paths and names, and reads async locations', () => {
    const stack = [
      'Error: bad',
      '    at something (http://localhost:5173/(shop)/[id]/page.js:20:16)',
      '    at http://localhost:5173/(shop)/[id]/page.js:1:126',
      '    at a@b (http://localhost:5173/node_modules/@scope/pkg/index.js:9:29)',
      '    at Object.callback (async http://localhost:5173/app.js:25:7)',
      '    at TESTTESTTEST.someMethod (C:\\Users\\dev\\app\\file.js:295:108)',
    ].join('\n');
    expect(parseStack(stack)).toEqual([
      frame('something', 'http://localhost:5173/(shop)/[id]/page.js', 20, 16),
      frame(undefined, 'http://localhost:5173/(shop)/[id]/page.js', 1, 126),
      frame('a@b', 'http://localhost:5173/node_modules/@scope/pkg/index.js', 9, 29),
      frame('Object.callback', 'http://localhost:5173/app.js', 25, 7),
      frame('TESTTESTTEST.someMethod', 'C:\\Users\\dev\\app\\file.js', 295, 108),
    ]);
  });

  it('reads a stack this very runtime wrote', () => {
    class Cart {
      constructor() {
        throw new Error('from a constructor');
      }
    }
    let stack = '';
    try {
      new Cart();
    } catch (error) {
      stack = (error as Error).stack!;
    }
    const [top] = parseStack(stack);
    expect(top).toMatchObject({ function: 'new Cart', file: expect.stringContaining('stack-lines.test.ts') });
    expect(top.line).toBeGreaterThan(0);
    expect(top.column).toBeGreaterThan(0);
  });
});

describe('parseStack: SpiderMonkey (Firefox)', () => {
  it('reads named, anonymous and nested-closure frames', () => {
    const stack = [
      'applyDiscount@https://shop.test/static/app.js:41:13',
      'Cart.prototype.total@https://shop.test/static/app.js:15:2',
      'init/</<@https://shop.test/static/app.js:1:1',
      '@https://shop.test/index.html:23:1',
      '',
    ].join('\n');
    expect(parseStack(stack)).toEqual([
      frame('applyDiscount', 'https://shop.test/static/app.js', 41, 13),
      frame('Cart.prototype.total', 'https://shop.test/static/app.js', 15, 2),
      frame('init/</<', 'https://shop.test/static/app.js', 1, 1),
      frame(undefined, 'https://shop.test/index.html', 23, 1),
    ]);
  });

  it('tells an @ in a function name from an @ in the URL', () => {
    const stack = [
      'handle@click@https://shop.test/static/app.js:3:4',
      'render@https://shop.test/node_modules/@scope/pkg/index.js:1:2',
      '@https://cdn.test/npm/preact@10.0.0/dist/preact.js:1:2',
    ].join('\n');
    expect(parseStack(stack)).toEqual([
      frame('handle@click', 'https://shop.test/static/app.js', 3, 4),
      frame('render', 'https://shop.test/node_modules/@scope/pkg/index.js', 1, 2),
      frame(undefined, 'https://cdn.test/npm/preact@10.0.0/dist/preact.js', 1, 2),
    ]);
  });

  it('points eval frames at the line that called eval, and drops async causes', () => {
    const stack = [
      'baz@https://shop.test/app.js line 26 > eval line 2 > eval:1:30',
      'foo@https://shop.test/app.js line 26 > eval:2:96',
      '@https://shop.test/app.js line 30 > Function:4:18',
      'speak@https://shop.test/app.js:26:17',
      'async*start@https://shop.test/app.js:9:1',
      'promise callback*@https://shop.test/app.js:10:1',
      'EventListener.handleEvent*init@https://shop.test/app.js:11:5',
      'run@debugger eval code:1:1',
    ].join('\n');
    expect(parseStack(stack)).toEqual([
      frame('baz', 'https://shop.test/app.js', 26),
      frame('foo', 'https://shop.test/app.js', 26),
      frame(undefined, 'https://shop.test/app.js', 30),
      frame('speak', 'https://shop.test/app.js', 26, 17),
      frame('start', 'https://shop.test/app.js', 9, 1),
      frame(undefined, 'https://shop.test/app.js', 10, 1),
      frame('init', 'https://shop.test/app.js', 11, 5),
      frame('run', 'debugger eval code', 1, 1),
    ]);
  });

  it('reads other schemes: resource, moz-extension, blob', () => {
    const stack = 'render@resource://app/bundle.js:5529:16\nhook@moz-extension://2b1c/content.js:18:230\n@blob:https://shop.test/7f3a9c:1:6911';
    expect(parseStack(stack)).toEqual([
      frame('render', 'resource://app/bundle.js', 5529, 16),
      frame('hook', 'moz-extension://2b1c/content.js', 18, 230),
      frame(undefined, 'blob:https://shop.test/7f3a9c', 1, 6911),
    ]);
  });
});

describe('parseStack: JavaScriptCore (Safari)', () => {
  it('reads global code, native code and anonymous frames', () => {
    const stack = [
      'applyDiscount@https://shop.test/static/app.js:20:26',
      'map@[native code]',
      'https://shop.test/static/app.js:34:25',
      'global code@https://shop.test/static/app.js:24:10',
      'module code@https://shop.test/static/main.js:2:3',
      '[native code]',
    ].join('\n');
    expect(parseStack(stack)).toEqual([
      frame('applyDiscount', 'https://shop.test/static/app.js', 20, 26),
      frame('map', '[native code]'),
      frame(undefined, 'https://shop.test/static/app.js', 34, 25),
      frame('global code', 'https://shop.test/static/app.js', 24, 10),
      frame('module code', 'https://shop.test/static/main.js', 2, 3),
      frame(undefined, '[native code]'),
    ]);
  });

  it('skips the bare `eval code` line that stands for the evaluated script', () => {
    const stack = 'eval code\neval@[native code]\nrender@https://shop.test/app.js:58:21\npromiseReactionJob@[native code]';
    expect(parseStack(stack)).toEqual([
      frame('eval', '[native code]'),
      frame('render', 'https://shop.test/app.js', 58, 21),
      frame('promiseReactionJob', '[native code]'),
    ]);
  });
});

describe('parseStack: anything else', () => {
  it.each([undefined, null, 42, '', 'no frames here', 'Error: only a message'])('gives no frames for %j', (stack) => {
    expect(parseStack(stack)).toEqual([]);
  });

  it('keeps at most 50 frames', () => {
    const stack = 'RangeError: Maximum call stack size exceeded\n' + '    at recurse (https://shop.test/app.js:1:1)\n'.repeat(200);
    expect(parseStack(stack)).toHaveLength(50);
  });

  // A backtracking pattern would hang on these past the test's timeout.
  it('reads a huge line as what it is, in one pass', () => {
    expect(parseStack('x'.repeat(100_000) + '@' + 'y@'.repeat(50_000) + 'z'.repeat(100_000))).toHaveLength(1);
    expect(parseStack('Error\n    at ' + 'z ('.repeat(50_000))).toHaveLength(1);
  });

  // Telling V8's stacks by `\s*at` would take a whole minute on these: `\s` crosses line ends.
  it('reads 100,000 blank lines in one pass', () => {
    const started = performance.now();
    expect(parseStack('\n'.repeat(100_000) + 'x')).toEqual([]);
    expect(parseStack(' \n'.repeat(100_000) + '    at f (a.js:1:2)')).toEqual([frame('f', 'a.js', 1, 2)]);
    expect(stackPlaces('\n'.repeat(100_000))).toHaveLength(100_001);
    expect(rewriteStack(' \n'.repeat(100_000), () => undefined)).toHaveLength(200_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
