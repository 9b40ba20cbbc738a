import { describe, expect, it } from 'vitest';
import { requestPath } from '../../../src/edge/url';

describe('requestPath', () => {
  it.each([
    ['https://a.example.com/', '/'],
    ['https://a.example.com/cart/42', '/cart/42'],
    ['https://a.example.com/s?q=shoes&page=2', '/s?q=shoes&page=2'],
    ['https://a.example.com/cb?code=abc&state=xyz', '/cb?code=[redacted]&state=xyz'],
    [
      'https://a.example.com/?token=t&access_token=a&password=p&secret=s&key=k&api_key=ak&auth=x&session=y',
      '/?token=[redacted]&access_token=[redacted]&password=[redacted]&secret=[redacted]&key=[redacted]&api_key=[redacted]&auth=[redacted]&session=[redacted]',
    ],
    // The browser's rule (core `redactUrl`): longer names ending in a secret word count too...
    [
      'https://a.example.com/?apiKey=1&client_secret=2&x-api-key=3&user_session=4',
      '/?apiKey=[redacted]&client_secret=[redacted]&x-api-key=[redacted]&user_session=[redacted]',
    ],
    // ...but not words that merely contain one.
    ['https://a.example.com/?country_code=fr&author=me&monkey=1', '/?country_code=fr&author=me&monkey=1'],
    ['https://a.example.com/?flag&token=', '/?flag&token=[redacted]'],
    ['https://a.example.com/p#token=fragment', '/p'],
  ])('%s → %s', (url, path) => {
    expect(requestPath(new URL(url))).toBe(path);
  });
});
