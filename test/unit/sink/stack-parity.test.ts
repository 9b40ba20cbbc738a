// Two readers of stack lines: the client's (frames sent with each error) and the sink's (the
// `stack` text rewritten through source maps). On every line that names a place they must read the
// same file, line, column and function, or the mapped frames and the mapped stack would disagree.
import { describe, expect, it } from 'vitest';
import { parseStack } from '../../../src/core/stack';
import { nameOf, placeOf } from '../../../src/sink/stack-lines';

const V8 = [
  '    at render (https://shop.test/static/app.3f2a.js:1:20431)',
  '    at https://shop.test/static/app.3f2a.js:1:9',
  '    at async loadCart (https://shop.test/static/app.js:12:7)',
  '    at Object.onClick (https://shop.test/node_modules/@scope/pkg/index.js:3:14)',
  '    at HTMLButtonElement.<anonymous> (http://127.0.0.1:5173/src/cart.tsx?t=1700000000:41:13)',
  '    at Cart (webpack-internal:///./src/Cart.jsx:10:11)',
  '    at blob:https://shop.test/6c1e8a2b-1d8e-4f6a-9c1e-1a2b3c4d5e6f:4:2',
  '    at Array.map (<anonymous>)',
];

const GECKO = [
  'render@https://shop.test/static/app.3f2a.js:1:20431',
  '@https://shop.test/static/app.3f2a.js:1:9',
  'loadCart@https://shop.test/node_modules/@scope/pkg/index.js:3:14',
  'Cart/<@http://127.0.0.1:5173/src/cart.tsx?t=1700000000:41:13',
  'global code@https://shop.test/static/app.js:24:10',
  'async*loadCart@https://shop.test/static/app.js:12:7',
  'promise callback*render@https://shop.test/static/app.js:1:20431',
];

describe('the client and the sink read a stack line alike', () => {
  it.each([...V8.map((line) => [line, `Error: boom\n${line}`]), ...GECKO.map((line) => [line, line])])('%s', (line, stack) => {
    const [frame] = parseStack(stack);
    const place = placeOf(line);
    expect(place && { file: place.file, line: place.line, column: place.column, function: nameOf(line) }).toEqual(
      frame?.line === undefined ? undefined : { file: frame.file, line: frame.line, column: frame.column, function: frame.function },
    );
  });
});
