// One grammar reads a stack two ways in the sink: as the frames an event is given, and as the places
// of its lines that source maps rewrite. On every line that names a place they must agree on file,
// line, column and function, or the mapped frames and the mapped stack would tell different stories.
import { describe, expect, it } from 'vitest';
import { parseStack, rewriteStack, stackPlaces } from '../../../src/sink/stack-lines';

const V8 = [
  '    at render (https://shop.test/static/app.3f2a.js:1:20431)',
  '    at https://shop.test/static/app.3f2a.js:1:9',
  '    at async loadCart (https://shop.test/static/app.js:12:7)',
  '    at Object.onClick (https://shop.test/node_modules/@scope/pkg/index.js:3:14)',
  '    at HTMLButtonElement.<anonymous> (http://127.0.0.1:5173/src/cart.tsx?t=1700000000:41:13)',
  '    at Cart (webpack-internal:///./src/Cart.jsx:10:11)',
  '    at blob:https://shop.test/6c1e8a2b-1d8e-4f6a-9c1e-1a2b3c4d5e6f:4:2',
  '    at new Cart (https://shop.test/static/app.js:3:36)',
];

const GECKO = [
  'render@https://shop.test/static/app.3f2a.js:1:20431',
  '@https://shop.test/static/app.3f2a.js:1:9',
  'loadCart@https://shop.test/node_modules/@scope/pkg/index.js:3:14',
  'Cart/<@http://127.0.0.1:5173/src/cart.tsx?t=1700000000:41:13',
  'global code@https://shop.test/static/app.js:24:10',
  'async*loadCart@https://shop.test/static/app.js:12:7',
  'promise callback*render@https://shop.test/static/app.js:1:20431',
  // JavaScriptCore's anonymous frame has no `@`.
  'https://shop.test/static/app.js:34:25',
];

/** Lines that are frames but name no place of their own to map: native code, eval, no column. */
const NO_PLACE = [
  ['Error: boom\n    at Array.map (<anonymous>)', 1],
  ['Error: boom\n    at eval (eval at render (https://shop.test/app.js:37:5), <anonymous>:1:1)', 1],
  ['map@[native code]', 0],
  ['foo@https://shop.test/app.js line 26 > eval:2:96', 0],
] as const;

const cases = [...V8.map((line) => [line, `Error: boom\n${line}`, 1] as const), ...GECKO.map((line) => [line, line, 0] as const)];

describe('the frames and the places of a stack agree', () => {
  it.each(cases)('%s', (_, stack, index) => {
    const [frame] = parseStack(stack);
    const place = stackPlaces(stack)[index];
    expect(place).toEqual({ file: frame!.file, line: frame!.line, column: frame!.column });
  });

  it.each(NO_PLACE)('%s is a frame without a place to map', (stack, index) => {
    expect(parseStack(stack)).toHaveLength(1);
    expect(stackPlaces(stack)[index]).toBeUndefined();
  });

  it('reads an `@` in a V8 header as part of the message, not as a frame', () => {
    const stack = 'Error: mail a@https://x.test/a.js:1:2 failed\n    at send (https://shop.test/app.js:3:4)';
    expect(stackPlaces(stack)).toEqual([undefined, { file: 'https://shop.test/app.js', line: 3, column: 4 }]);
  });
});

describe('rewriteStack', () => {
  const to = { place: { file: 'src/cart.ts', line: 7, column: 13 }, name: 'computeTotal' };

  it.each([
    ['    at o (https://shop.test/app.js:1:2)', '    at computeTotal (src/cart.ts:7:13)'],
    ['    at https://shop.test/app.js:1:2', '    at computeTotal (src/cart.ts:7:13)'],
    ['    at async o (https://shop.test/app.js:1:2)', '    at async computeTotal (src/cart.ts:7:13)'],
    ['    at new o (https://shop.test/app.js:1:2)', '    at new computeTotal (src/cart.ts:7:13)'],
  ])('rewrites the V8 line %s, keeping its layout', (line, expected) => {
    expect(rewriteStack(`TypeError: x\n${line}`, () => to)).toBe(`TypeError: x\n${expected}`);
  });

  it.each([
    ['o@https://shop.test/app.js:1:2', 'computeTotal@src/cart.ts:7:13'],
    ['@https://shop.test/app.js:1:2', 'computeTotal@src/cart.ts:7:13'],
    ['async*o@https://shop.test/app.js:1:2', 'async*computeTotal@src/cart.ts:7:13'],
    ['https://shop.test/app.js:1:2', 'computeTotal@src/cart.ts:7:13'],
  ])('rewrites the SpiderMonkey or JavaScriptCore line %s', (line, expected) => {
    expect(rewriteStack(`${line}\nmap@[native code]`, () => to)).toBe(`${expected}\nmap@[native code]`);
  });

  it('keeps a line’s own name, or none, when the replacement has no name', () => {
    const place = { place: to.place };
    expect(rewriteStack('Error\n    at o (a.js:1:2)\n    at a.js:3:4', () => place)).toBe('Error\n    at o (src/cart.ts:7:13)\n    at src/cart.ts:7:13');
    expect(rewriteStack('o@a.js:1:2\n@a.js:3:4\na.js:5:6', () => place)).toBe('o@src/cart.ts:7:13\n@src/cart.ts:7:13\nsrc/cart.ts:7:13');
  });

  it('leaves the header, native frames and lines it is not answered for as they were', () => {
    const stack = 'Error: at a.js:1:2 said @b.js:3:4\n    at Array.map (<anonymous>)\n    at o (a.js:1:2)\n    at p (b.js:3:4)';
    const seen: Array<[string, string | undefined]> = [];
    const out = rewriteStack(stack, (place, name) => {
      seen.push([`${place.file}:${place.line}:${place.column}`, name]);
      return place.file === 'a.js' ? to : undefined;
    });
    expect(seen).toEqual([
      ['a.js:1:2', 'o'],
      ['b.js:3:4', 'p'],
    ]);
    expect(out).toBe('Error: at a.js:1:2 said @b.js:3:4\n    at Array.map (<anonymous>)\n    at computeTotal (src/cart.ts:7:13)\n    at p (b.js:3:4)');
  });
});
