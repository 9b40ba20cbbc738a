import { describe, expect, it } from 'vitest';
import { isSink, propagates } from '../../../src/edge/propagation';

const url = (href: string) => new URL(href);

describe('isSink', () => {
  const sink = url('http://127.0.0.1:3000/api/log');

  it.each([
    ['the sink’s URL itself', 'http://127.0.0.1:3000/api/log', 'https://app.example.com'],
    ['the same server as localhost', 'http://localhost:3000/api/log', 'https://app.example.com'],
    ['the same server as [::1]', 'http://[::1]:3000/api/log/', 'https://app.example.com'],
    ['the sink’s path on the request’s own origin', 'https://app.example.com/api/log?x=1', 'https://app.example.com'],
  ])('is true for %s', (_case, href, own) => {
    expect(isSink(url(href), sink, own)).toBe(true);
  });

  it.each([
    ['another path on the sink’s server', 'http://localhost:3000/api/logs', 'https://app.example.com'],
    ['the sink’s path on another loopback port', 'http://localhost:3001/api/log', 'https://app.example.com'],
    ['the sink’s path on a third origin', 'https://other.example.com/api/log', 'https://app.example.com'],
  ])('is false for %s', (_case, href, own) => {
    expect(isSink(url(href), sink, own)).toBe(false);
  });

  it('is false without a sink (telemetry off)', () => {
    expect(isSink(url('http://127.0.0.1:3000/api/log'), undefined, 'http://127.0.0.1:3000')).toBe(false);
  });

  it('takes a sink at / for its own server only, so the app’s home page is still traced', () => {
    const root = url('https://logs.example.com/');
    expect(isSink(url('https://app.example.com/'), root, 'https://app.example.com')).toBe(false);
    expect(isSink(url('https://logs.example.com/'), root, 'https://app.example.com')).toBe(true);
    expect(isSink(url('http://localhost:4318/'), url('http://127.0.0.1:4318/'), 'http://localhost:4318')).toBe(true);
  });
});

describe('propagates', () => {
  it('never to the sink, under any loopback name', () => {
    const sink = url('http://127.0.0.1:3000/api/log');
    expect(propagates(url('http://localhost:3000/api/log'), 'http://localhost:3000', [], sink)).toBe(false);
    expect(propagates(url('http://localhost:3000/api/cart'), 'http://localhost:3000', [], sink)).toBe(true);
  });
});
