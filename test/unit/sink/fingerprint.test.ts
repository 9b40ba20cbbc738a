import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/sink/fingerprint';
import type { ErrorInfo } from '../../../src/core/types';

const frames = [
  { function: 'applyDiscount', file: 'https://shop.test/static/app.4a41.js', line: 41, column: 13 },
  { function: 'Cart.total', file: 'https://shop.test/static/app.4a41.js', line: 15, column: 2 },
  { function: 'render', file: 'https://shop.test/static/vendor.d1ca.js', line: 1, column: 99 },
  { function: 'commit', file: 'https://shop.test/static/vendor.d1ca.js', line: 2, column: 11 },
];
const error: ErrorInfo = { type: 'TypeError', message: 'Order 5123 not found', frames };

describe('fingerprint', () => {
  it('is 8 hex digits, the same for the same error', () => {
    expect(fingerprint(error)).toMatch(/^[\da-f]{8}$/);
    expect(fingerprint({ ...error })).toBe(fingerprint(error));
  });

  it('ignores numbers and ids in the message, lines, columns and hashed file names', () => {
    const moved = frames.map((f) => ({ ...f, line: f.line + 100, column: 1, file: f.file.replace('4a41', '9f0e').replace('d1ca', '77b2') }));
    expect(fingerprint({ ...error, message: 'Order 77 not found', frames: moved })).toBe(fingerprint(error));
    expect(fingerprint({ type: 'Error', message: 'chunk 7f3a9c failed' })).toBe(fingerprint({ type: 'Error', message: 'chunk 0b12ee failed' }));
    expect(fingerprint({ type: 'Error', message: 'user 550e8400-e29b-41d4-a716-446655440000 gone' })).toBe(
      fingerprint({ type: 'Error', message: 'user 6fa459ea-ee8a-3ca4-894e-db77e160355e gone' }),
    );
  });

  it('tells apart errors of another type, message or top three frames', () => {
    const base = fingerprint(error);
    expect(fingerprint({ ...error, type: 'RangeError' })).not.toBe(base);
    expect(fingerprint({ ...error, message: 'Order 5123 was cancelled' })).not.toBe(base);
    expect(fingerprint({ ...error, frames: [{ ...frames[0], function: 'applyCoupon' }, ...frames.slice(1)] })).not.toBe(base);
    expect(fingerprint({ ...error, frames: [frames[0], frames[1], { ...frames[2], file: 'https://shop.test/x.js' }] })).not.toBe(base);
  });

  it('looks at no deeper frame than the third', () => {
    expect(fingerprint({ ...error, frames: [...frames.slice(0, 3), { function: 'other', file: 'other.js' }] })).toBe(fingerprint(error));
  });

  it('works without frames and on long messages', () => {
    expect(fingerprint({ type: 'string', message: 'oops' })).toMatch(/^[\da-f]{8}$/);
    const long = fingerprint({ type: 'Error', message: 'a1 '.repeat(2_700), frames });
    expect(long).toMatch(/^[\da-f]{8}$/);
    expect(fingerprint({ type: 'Error', message: 'a2 '.repeat(2_700), frames })).toBe(long);
  });
});
