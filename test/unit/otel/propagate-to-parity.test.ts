// Which requests get the trace headers, asked of the three runtimes on the same URLs: the browser
// (light model), the edge, and OTel mode, where the rule is handed to OpenTelemetry's own matching
// (`propagateTraceHeaderCorsUrls`, read with `urlMatches`). They must answer alike.
import { urlMatches } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { propagates as inBrowser } from '../../../src/browser/propagation';
import { propagates as atEdge } from '../../../src/edge/propagation';
import { corsUrls } from '../../../src/otel/urls';

const PAGE = 'https://shop.test';
// As the options resolve them: strings are origins.
const TARGETS: Array<string | RegExp> = ['https://api.test', 'http://127.0.0.1:8080', /^https:\/\/[a-z]+\.cdn\.test\//, /search/g];

const URLS = [
  'https://shop.test/api/cart',
  'https://shop.test/',
  'https://shop.test:443/x',
  'https://shop.test.evil.test/api',
  'https://api.test/v1/items?x=1',
  'https://api.test',
  'https://api.test:8443/v1',
  'https://api.testing/v1',
  'http://api.test/v1',
  'http://127.0.0.1:8080/health',
  'http://127.0.0.1:8081/health',
  'http://127.0.0.1/health',
  'https://img.cdn.test/a.png',
  'https://IMG.cdn.test/a.png',
  'https://cdn.test/a.png',
  'https://other.test/search?q=1',
  'https://other.test/search?q=2',
  'https://other.test/find',
];

/** OTel mode: same origin always, other origins by the instrumentation's own matching. */
const inOtel = (href: string): boolean => new URL(href).origin === PAGE || corsUrls(TARGETS).some((target) => urlMatches(href, target));

describe('propagateTo, in the browser, at the edge and in OTel mode', () => {
  it.each(URLS)('%s', (url) => {
    const href = new URL(url).href;
    const answers = [inBrowser(href, TARGETS, PAGE), atEdge(new URL(href), PAGE, TARGETS, undefined), inOtel(href)];
    // Asked twice: a RegExp with the `g` flag must not answer by turns.
    answers.push(inBrowser(href, TARGETS, PAGE), atEdge(new URL(href), PAGE, TARGETS, undefined), inOtel(href));
    expect(new Set(answers).size).toBe(1);
  });

  it('propagates to exactly the URLs of the page, the listed origins and the matching RegExps', () => {
    expect(URLS.filter((url) => inBrowser(new URL(url).href, TARGETS, PAGE))).toEqual([
      'https://shop.test/api/cart',
      'https://shop.test/',
      'https://shop.test:443/x',
      'https://api.test/v1/items?x=1',
      'https://api.test',
      'http://127.0.0.1:8080/health',
      'https://img.cdn.test/a.png',
      'https://IMG.cdn.test/a.png',
      'https://other.test/search?q=1',
      'https://other.test/search?q=2',
    ]);
  });
});
