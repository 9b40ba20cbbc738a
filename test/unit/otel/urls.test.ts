import { describe, expect, it } from 'vitest';
import { corsUrls, exactPath } from '../../../src/otel/urls';

// The instrumentations test these with `url.match(pattern)` (urlMatches in @opentelemetry/core).
const matches = (patterns: RegExp[], url: string) => patterns.some((pattern) => !!url.match(pattern));

describe('URL rules for the OpenTelemetry instrumentations', () => {
  it('turn propagateTo origins into patterns that match that origin only', () => {
    const patterns = corsUrls(['https://api.example.com', 'http://127.0.0.1:8080', /^https:\/\/.*\.example\.org\//g]);
    for (const url of [
      'https://api.example.com',
      'https://api.example.com/',
      'https://api.example.com/v1?x=1',
      'https://api.example.com?x',
      'http://127.0.0.1:8080/a',
      'https://eu.example.org/x',
    ]) {
      expect(matches(patterns, url), url).toBe(true);
    }
    for (const url of [
      'https://api.example.com.evil.test/',
      'https://api.example.community/',
      'http://api.example.com/',
      'http://127.0.0.1:80801/',
      'https://apixexample.com/',
    ]) {
      expect(matches(patterns, url), url).toBe(false);
    }
    // A RegExp with the g flag gives the same answer every time.
    expect([1, 2, 3].map(() => matches(patterns, 'https://eu.example.org/x'))).toEqual([true, true, true]);
  });

  it('match the sink with any query or fragment, and nothing beside it', () => {
    const sink = [exactPath('https://logs.test/api/log')];
    expect(matches(sink, 'https://logs.test/api/log')).toBe(true);
    expect(matches(sink, 'https://logs.test/api/log?x=1')).toBe(true);
    expect(matches(sink, 'https://logs.test/api/logs')).toBe(false);
    expect(matches(sink, 'https://logs.test/api/log/x')).toBe(false);
    expect(matches(sink, 'https://other.test/api/log')).toBe(false);
  });
});
