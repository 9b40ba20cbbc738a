import { describe, expect, it } from 'vitest';
import { redactEvent, redactString, redactUrl } from '../../../src/core/redact';

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
    ['4222222222222', '[card]'], // 13 digits
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
    expect(redactString('/reset?code=f00d&monkey=1&author=2&country_code=US&keyboard=3')).toBe('/reset?code=[redacted]&monkey=1&author=2&country_code=US&keyboard=3');
  });

  it('replaces several kinds in one string, and is idempotent', () => {
    const once = redactString('jane@example.com paid 4111 1111 1111 1111 at https://shop.test/pay?session=s1 with Bearer t0k3n');
    expect(once).toBe('[email] paid [card] at https://shop.test/pay?session=[redacted] with Bearer [redacted]');
    expect(redactString(once)).toBe(once);
  });

  it('stays linear on long hostile strings', () => {
    const start = performance.now();
    for (const text of ['a.'.repeat(50_000), 'x@'.repeat(50_000), '1 '.repeat(50_000), '?a_b='.repeat(20_000), 'Bearer '.repeat(20_000), 'eyJ.'.repeat(20_000)]) {
      redactString(text);
    }
    expect(performance.now() - start).toBeLessThan(500);
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

describe('redactEvent', () => {
  const event = {
    id: '4bf92f3577b34da6a3ce929d0e0e4736',
    level: 'error',
    event: 'client_error',
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
  };

  it('redacts every string at any depth and the values of secret keys', () => {
    expect(redactEvent(event)).toEqual({
      id: '4bf92f3577b34da6a3ce929d0e0e4736',
      level: 'error',
      event: 'client_error',
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
      nested: { deeper: [{ note: 'call me at [email]' }, 4111111111111111, true, null] },
      empty_token: null,
    });
  });

  it('leaves the event it was given unchanged', () => {
    const copy = structuredClone(event);
    redactEvent(event);
    expect(event).toEqual(copy);
  });

  it('never throws, and fails closed', () => {
    const cyclic: Record<string, unknown> = { note: 'jane@example.com' };
    cyclic.self = cyclic;
    const hostile = {
      get bad() {
        throw new Error('no');
      },
    };
    expect(() => redactEvent(cyclic)).not.toThrow();
    // Events are plain data by the time they are redacted; an object that can't be read goes whole.
    expect(redactEvent({ hostile, ok: 'fine' })).toEqual({ hostile: '[redacted]', ok: 'fine' });
    for (const value of [undefined, null, 0, '', 'x', [], {}, Symbol('s'), 10n]) expect(() => redactEvent(value)).not.toThrow();
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(redactEvent({ proxy })).toEqual({ proxy: '[redacted]' });
  });

  it('takes a few microseconds for a typical event', () => {
    const typical = {
      id: '4bf92f3577b34da6a3ce929d0e0e4736',
      timestamp: '2024-05-01T12:00:00.000Z',
      level: 'info',
      event: 'checkout_started',
      service: 'shop-web',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      session_id: 'a3ce929d0e0e47364bf92f3577b34da6',
      url: 'https://shop.test/checkout?step=2',
      sdk: { name: 'tracebeam', version: '0.1.0' },
      cart_items: 3,
    };
    for (let i = 0; i < 5_000; i++) redactEvent(typical);
    const start = performance.now();
    for (let i = 0; i < 10_000; i++) redactEvent(typical);
    // Measured at about 2 µs; the bound leaves room for slow CI machines.
    expect(((performance.now() - start) * 1000) / 10_000).toBeLessThan(25);
  });
});
