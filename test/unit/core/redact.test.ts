import { describe, expect, it } from 'vitest';
import { redactString, redactUrl, redactValue } from '../../../src/core/redact';

describe('redactString', () => {
  it.each([
    ['mail jane.doe+shop@example.co.uk now', 'mail [email] now'],
    ['<JANE@EXAMPLE.COM>', '<[email]>'],
    ['a@b.io, c_d@e-f.org', '[email], [email]'],
  ])('replaces email addresses: %s', (input, output) => {
    expect(redactString(input)).toBe(output);
  });

  it.each([
    // `@` in places that are no email: package versions, scoped packages, stack frames.
    'https://cdn.test/npm/react@18.2.0/umd/react.js',
    'https://shop.test/node_modules/@scope/pkg/index.js',
    'render@https://shop.test/static/app.js:41:13',
    'global code@https://shop.test/static/app.js:24:10',
    'ping @channel',
  ])('keeps what only looks like an email: %s', (input) => {
    expect(redactString(input)).toBe(input);
  });

  it.each([
    ['Authorization: Bearer abc.def-123', 'Authorization: Bearer [redacted]'],
    ['authorization: bearer 4f3a9c0e7d', 'authorization: bearer [redacted]'],
    ['Basic dXNlcjpwYXNzd29yZA==', 'Basic [redacted]'],
    ['Basic dXNlcjpwYXNz', 'Basic [redacted]'],
    ['headers {"Authorization":"Bearer sk_live_9f8e7d"}', 'headers {"Authorization":"Bearer [redacted]"}'],
  ])('replaces bearer and basic credentials: %s', (input, output) => {
    expect(redactString(input)).toBe(output);
  });

  it.each(['basic information is missing', 'Basic Settings', 'the bearer token expired'])('keeps prose: %s', (input) => {
    expect(redactString(input)).toBe(input);
  });

  it('replaces JWTs, alone and in a URL', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsIm5hbWUiOiJKYW5lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    expect(redactString(`jwt ${jwt} expired`)).toBe('jwt [jwt] expired');
    expect(redactString(`https://shop.test/cb?state=${jwt}&x=1`)).toBe('https://shop.test/cb?state=[jwt]&x=1');
    expect(redactString(`Bearer ${jwt}`)).toBe('Bearer [redacted]');
  });

  it.each([
    ['4111111111111111', '[card]'], // Visa
    ['4111 1111 1111 1111', '[card]'],
    ['5555-5555-5555-4444', '[card]'], // Mastercard
    ['378282246310005', '[card]'], // Amex, 15 digits
    ['6011 0009 9013 9424', '[card]'], // Discover
    ['paid with 5105105105105100 today', 'paid with [card] today'],
  ])('replaces Luhn-valid card numbers: %s', (input, output) => {
    expect(redactString(input)).toBe(output);
  });

  it.each([
    '4111111111111112', // same length, fails Luhn
    '5555-5555-5555-4445',
    '1714412345678', // a millisecond timestamp
    '1714412345670', // one that even passes Luhn
    '+49 30 1234 5678', // a phone number
    'order 900000000000000001', // an id starting with 9
    '2024-05-01T12:00:00.123Z',
    '41111111111111111111111', // 23 digits: no card
    '4222222222222', // 13 digits: an EAN barcode far more often than a (retired) 13-digit Visa
    'trace 4bf92f3577b34da6a3ce929d0e0e4736',
  ])('keeps numbers that are no card: %s', (input) => {
    expect(redactString(input)).toBe(input);
  });

  it('replaces the values of secret query parameters, keeping the path and other parameters', () => {
    expect(redactString('GET https://api.test/v1/items?page=2&token=abc123&sort=asc failed')).toBe(
      'GET https://api.test/v1/items?page=2&token=[redacted]&sort=asc failed',
    );
    expect(
      redactString('https://shop.test/a?ACCESS_TOKEN=a&Password=b&secret=c&key=d&api_key=e&code=f&auth=g&session=h&x-api-key=i&refresh_token=j#id_token=k'),
    ).toBe(
      'https://shop.test/a?ACCESS_TOKEN=[redacted]&Password=[redacted]&secret=[redacted]&key=[redacted]&api_key=[redacted]&code=[redacted]&auth=[redacted]&session=[redacted]&x-api-key=[redacted]&refresh_token=[redacted]#id_token=[redacted]',
    );
    // Relative URLs too, and names that only contain a secret word are kept.
    expect(redactString('/reset?code=f00d&monkey=1&author=2&country_code=US&keyboard=3')).toBe(
      '/reset?code=[redacted]&monkey=1&author=2&country_code=US&keyboard=3',
    );
  });

  it('replaces several kinds in one string, and is idempotent', () => {
    const once = redactString('jane@example.com paid 4111 1111 1111 1111 at https://shop.test/pay?session=s1 with Bearer t0k3n');
    expect(once).toBe('[email] paid [card] at https://shop.test/pay?session=[redacted] with Bearer [redacted]');
    expect(redactString(once)).toBe(once);
  });

  // Each pattern is anchored so it never rescans a long string from every position: these finish
  // in milliseconds, where a backtracking pattern would hang past the test's timeout.
  it('scrubs long hostile strings, leaving what is no secret', () => {
    for (const text of ['a.'.repeat(50_000), 'x@'.repeat(50_000), '1 '.repeat(50_000), 'Bearer '.repeat(20_000), 'eyJ.'.repeat(20_000)]) {
      expect(redactString(text)).toBe(text);
    }
    // A value runs to the next `&`: all of this is the one value of the first `a_key`.
    expect(redactString('?api_key='.repeat(20_000))).toBe('?api_key=[redacted]');
    expect(redactString('&api_key=v'.repeat(20_000)) === '&api_key=[redacted]'.repeat(20_000)).toBe(true);
  });
});

describe('redactUrl', () => {
  it('replaces only the values of secret query parameters', () => {
    expect(redactUrl('https://api.test/users/42/orders?token=abc&page=2#access_token=xyz')).toBe(
      'https://api.test/users/42/orders?token=[redacted]&page=2#access_token=[redacted]',
    );
    expect(redactUrl('https://api.test/plain')).toBe('https://api.test/plain');
  });
});

describe('redactValue', () => {
  const carried = () => ({
    url: 'https://shop.test/reset?email=jane@example.com&code=123456',
    error: {
      type: 'Error',
      message: 'card 4111111111111111 declined for jane@example.com',
      frames: [{ function: 'pay', file: 'https://shop.test/app.js?key=k1', line: 3, column: 4 }],
      handled: false,
    },
    http: { method: 'GET', url: 'https://api.test/me?access_token=secret-value', status_code: 401 },
    password: 'hunter2',
    api_key: 12345,
    headers: { Authorization: 'Bearer abc', Cookie: 'sid=1', accept: 'json' },
    tokens_used: 1200,
    nested: { deeper: [{ note: 'call me at jane@example.com' }, 4111111111111111, true, null] },
    empty_token: null,
  });

  it('redacts every string at any depth and the values of secret keys', () => {
    expect(redactValue(carried())).toEqual({
      url: 'https://shop.test/reset?email=[email]&code=[redacted]',
      error: {
        type: 'Error',
        message: 'card [card] declined for [email]',
        frames: [{ function: 'pay', file: 'https://shop.test/app.js?key=[redacted]', line: 3, column: 4 }],
        handled: false,
      },
      http: { method: 'GET', url: 'https://api.test/me?access_token=[redacted]', status_code: 401 },
      password: '[redacted]',
      api_key: '[redacted]',
      headers: { Authorization: '[redacted]', Cookie: '[redacted]', accept: 'json' },
      tokens_used: 1200,
      // Numbers, booleans and null are left as they are.
      nested: { deeper: [{ note: 'call me at [email]' }, '[card]', true, null] },
      empty_token: null,
    });
  });

  it('judges a value by the key it goes under', () => {
    expect(redactValue('hunter2', 'password')).toBe('[redacted]');
    expect(redactValue({ a: 1 }, 'Authorization')).toBe('[redacted]');
    expect(redactValue('jane@example.com', 'note')).toBe('[email]');
    expect(redactValue(4111111111111111, 'card')).toBe('[card]');
    expect(redactValue(1714412345670, 'time')).toBe(1714412345670);
  });

  it('scrubs in place what it is given, the client having made it for this one event', () => {
    const own = carried();
    expect(redactValue(own)).toBe(own);
    expect(own.error.message).toBe('card [card] declined for [email]');
    expect(own.headers.Cookie).toBe('[redacted]');
  });

  it('looks up the short strings it has scrubbed before, with the same result', () => {
    const text = 'mail jane@example.com, card 4111 1111 1111 1111';
    expect(redactString(text)).toBe('mail [email], card [card]');
    expect(redactString(text)).toBe('mail [email], card [card]');
    // Far more distinct strings than are kept: the oldest are let go, each still scrubbed.
    for (let i = 0; i < 2_000; i++) expect(redactString(`user${i}@example.com`)).toBe('[email]');
    expect(redactString(text)).toBe('mail [email], card [card]');
  });

  it('never throws, and fails closed', () => {
    const cyclic: Record<string, unknown> = { note: 'jane@example.com' };
    cyclic.self = cyclic;
    const hostile = {
      get bad() {
        throw new Error('no');
      },
    };
    expect(() => redactValue(cyclic)).not.toThrow();
    // What events carry is plain data by the time it is redacted; an object that can't be read or
    // written goes whole.
    expect(redactValue({ hostile, ok: 'fine' })).toEqual({ hostile: '[redacted]', ok: 'fine' });
    expect(redactValue({ frozen: Object.freeze({ note: 'jane@example.com' }), ok: 'fine' })).toEqual({ frozen: '[redacted]', ok: 'fine' });
    for (const value of [undefined, null, 0, '', 'x', [], {}, Symbol('s'), 10n]) expect(() => redactValue(value)).not.toThrow();
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(redactValue({ proxy })).toEqual({ proxy: '[redacted]' });
  });
});
