/**
 * The redaction corpus: planted secrets of every kind the SDK promises to catch, and ordinary
 * values that look like them and must survive untouched. Recall and the false-positive rate are
 * printed; both must be perfect.
 */
import { describe, expect, it } from 'vitest';
import { redactValue } from '../../../src/core/redact';

/** A secret: what is scrubbed (under `key`, when given) and the part that must not survive. */
interface Planted {
  value: unknown;
  secret: string;
  key?: string;
}

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const CARDS = [
  '4111111111111111',
  '4111 1111 1111 1111',
  '5555-5555-5555-4444',
  '5105105105105100',
  '378282246310005',
  '3782 822463 10005',
  '6011000990139424',
  '6011 0009 9013 9424',
  '30569309025904',
  '3056 930902 5904',
  '4012888888881881',
  '2223003122003222',
  '4000056655665556',
  '6200000000000005',
  '3566002020360505',
];
const PARAM_NAMES = [
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'csrftoken',
  'X-Amz-Security-Token',
  'secret',
  'client_secret',
  'password',
  'newPassword',
  'passwd',
  'pwd',
  'pass',
  'apikey',
  'api_key',
  'x-api-key',
  'private_key',
  'secret_key',
  'access_key',
  'key',
  'code',
  'auth',
  'x_auth',
  'authorization',
  'session',
  'user_session',
  'sessionid',
  'session_id',
  'PHPSESSID',
  'sid',
  'X-Amz-Signature',
  'X-Goog-Signature',
  'sig',
  'signature',
  'credentials',
  'X-Amz-Credential',
];
const ATTRIBUTE_KEYS = [
  'password',
  'pwd',
  'passwd',
  'private_key',
  'privateKey',
  'api_key',
  'apiKey',
  'credentials',
  'credential',
  'auth',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'access_token',
  'accessToken',
  'refreshToken',
  'client_secret',
  'clientSecret',
  'session_id',
  'sessionId',
  'x-auth',
  'userPassword',
  'secret',
];

const secrets: Planted[] = [
  ...PARAM_NAMES.map((name, i) => ({ value: `https://api.test/v1/items?page=2&${name}=S3cr${i}tVal&sort=asc`, secret: `S3cr${i}tVal` })),
  ...PARAM_NAMES.map((name, i) => ({ value: `request to /cb#${name}=Fr4g${i}x failed`, secret: `Fr4g${i}x` })),
  ...['jsessionid', 'JSESSIONID', 'sessionid'].map((name, i) => ({ value: `https://shop.test/cart;${name}=A1B2C3D4${i}?step=2`, secret: `A1B2C3D4${i}` })),
  ...CARDS.map((card) => ({ value: `payment with ${card} declined`, secret: card })),
  ...[4111111111111111, 5105105105105100, 378282246310005, 6011000990139424, 30569309025904].map((card) => ({ value: card, secret: String(card) })),
  ...['jane.doe@example.com', 'JANE@EXAMPLE.CO.UK', 'a+tag@mail.shop.test', 'ops_team@corp-mail.io', 'x@y.dev'].flatMap((email) => [
    { value: `mail ${email} now`, secret: email.split('@')[0] + '@' },
    { value: `https://shop.test/reset?email=${email}`, secret: email.split('@')[0] + '@' },
  ]),
  ...['abc.def-123456', 'sk_live_9f8e7d6c', '4f3a9c0e7d', JWT, 'ya29.a0AfH6SMB'].flatMap((token) => [
    { value: `Authorization: Bearer ${token}`, secret: token },
    { value: `{"Authorization":"bearer ${token}"}`, secret: token },
  ]),
  ...['user:pass', 'deploy:hunter2', 'admin:s3cr3t!'].map((pair) => ({ value: `Basic ${btoa(pair)}`, secret: btoa(pair) })),
  ...[JWT, JWT.replace('SflK', 'AbCd')].map((jwt) => ({ value: `token ${jwt} expired`, secret: jwt.slice(40) })),
  ...[
    'http://deploy:Pa55word@host.test/',
    'postgres://app:Pa55word@db:5432/shop',
    'https://u:Pa55word@git.test/repo.git',
    'redis://:Pa55word@cache:6379/0',
    'amqp://guest:Pa55word@mq.test//',
    'mysql://root:Pa55word@127.0.0.1/app',
  ].map((url) => ({
    value: `could not connect to ${url} (timeout)`,
    secret: 'Pa55word',
  })),
  ...ATTRIBUTE_KEYS.map((key, i) => ({ value: `v4lue-${i}`, key, secret: `v4lue-${i}` })),
  ...ATTRIBUTE_KEYS.slice(0, 6).map((key) => ({ value: 12345678, key, secret: '12345678' })),
];

const ordinary: Array<{ value: unknown; key?: string }> = [
  // Parameters whose names only contain a secret's.
  ...[
    'sort_key',
    'primary_key',
    'cache_key',
    'partition_key',
    'monkey',
    'author',
    'authors',
    'country_code',
    'status_code',
    'error_code',
    'keyboard',
    'tokens',
    'token_type',
    'max_tokens',
    'passenger',
    'passport_country',
    'sessions',
    'signed',
    'sigma',
    'codec',
    'secretary',
  ].map((name) => ({ value: `https://api.test/v1/items?${name}=name&page=2` })),
  // UUIDs, including ones of decimal digits only.
  ...[
    '12345678-1234-1234-1234-123456789012',
    '41111111-1111-1111-1111-111111111111',
    '55555555-5555-5555-5555-555555554444',
    '4bf92f35-77b3-4da6-a3ce-929d0e0e4736',
    '00000000-0000-0000-0000-000000000000',
  ].map((uuid) => ({ value: `order ${uuid} not found` })),
  // SSH remotes and other `@` that are no email.
  ...[
    'git@github.com:org/repo.git',
    'git@gitlab.example.com:group/sub/project.git',
    'https://cdn.test/npm/react@18.2.0/umd/react.js',
    'https://shop.test/node_modules/@scope/pkg/index.js',
    'render@https://shop.test/static/app.js:41:13',
    'ping @channel',
    'user@localhost',
  ].map((value) => ({ value: `cloning ${value}` })),
  // Prose with the schemes' words.
  ...[
    'learn basic HTML first',
    'Basic Settings',
    'basic information is missing',
    'the bearer token expired',
    'Bearer of bad news',
    'a basic CSS layout',
    'basic auth is disabled',
  ].map((value) => ({ value })),
  // Numbers that are no card: EAN-13 barcodes, timestamps, phone numbers, ids, dates.
  ...[
    '4006381333931',
    '5901234123457',
    '4012345678901',
    '9780201379624',
    '1714412345670',
    '1714412345678',
    '+49 30 1234 5678',
    'order 900000000000000001',
    '2024-05-01T12:00:00.123Z',
    '41111111111111111111111',
    '4111111111111112',
    '5555-5555-5555-4445',
    '2024-05-01-1234-5678-9012',
    'v4.1111.1111.1111',
  ].map((value) => ({ value: `value ${value}` })),
  ...[4006381333931, 1714412345670, 42, 3.14, 9007199254740991, 123456789012].map((value) => ({ value })),
  // URLs with ports, paths and no password.
  ...[
    'http://host.test:8080/path',
    'postgres://db:5432/shop',
    'https://user@host.test/',
    'https://shop.test/a:b/c',
    'mailto:someone',
    'urn:isbn:0451450523',
  ].map((value) => ({ value: `see ${value}` })),
  // Attribute keys that only contain a secret's name, or are ordinary as attribute keys.
  ...[
    'key',
    'code',
    'sig',
    'keyboard',
    'tokens_used',
    'token_count',
    'author',
    'monkey',
    'sort_key',
    'password_hint_shown',
    'session_count',
    'auth_method',
    'passenger',
    'cookie_banner_seen',
    'secretary_name',
    'primary_key',
    'turnkey',
    'keycode',
    'status_code',
    'signed_in',
  ].map((key) => ({ value: 'ArrowUp', key })),
  // Everyday strings.
  ...Array.from({ length: 40 }, (_, i) => ({
    value: ['checkout_started', 'cart has 3 items', 'GET /api/v1/orders?page=' + i, 'TypeError: x is undefined', 'render took 12 ms'][i % 5] + ` #${i}`,
  })),
  ...Array.from({ length: 30 }, (_, i) => ({ value: `https://shop.test/products/${1000 + i}?color=red&size=${i}&ref=home` })),
];

/** Whether the planted secret survived scrubbing anywhere in the result. */
const leaked = ({ value, key, secret }: Planted): boolean => JSON.stringify(redactValue(value, key)).includes(secret);
const touched = ({ value, key }: { value: unknown; key?: string }): boolean => JSON.stringify(redactValue(value, key)) !== JSON.stringify(value);

describe('redaction corpus', () => {
  it('catches every planted secret and touches no ordinary value', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(150);
    expect(ordinary.length).toBeGreaterThanOrEqual(150);
    const missed = secrets.filter(leaked);
    const wrong = ordinary.filter(touched);
    console.log(`redaction recall ${secrets.length - missed.length}/${secrets.length}, false positives ${wrong.length}/${ordinary.length}`);
    expect(missed.map((s) => [s.key, s.value])).toEqual([]);
    expect(wrong.map((o) => [o.key, o.value, redactValue(o.value, o.key)])).toEqual([]);
  });
});
