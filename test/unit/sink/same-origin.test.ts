import { describe, expect, it } from 'vitest';
import { createSinkHandler } from '../../../src/sink/index';
import { post, validEvent } from './fixtures';

// Next.js hands the route `http://localhost:PORT/...` for a page the browser loaded from 127.0.0.1.
const REWRITTEN = 'http://localhost:3000/api/log';
const PAGE = 'http://127.0.0.1:3000';

const send = (headers: Record<string, string>, url = REWRITTEN) =>
  createSinkHandler({ write: () => undefined })(post({ events: [validEvent()] }, { url, headers: { 'content-type': 'application/json', ...headers } }));

describe('createSinkHandler: same origin as the browser judged it', () => {
  it.each([
    ['Sec-Fetch-Site: same-origin, whatever request.url says', { origin: PAGE, host: '127.0.0.1:3000', 'sec-fetch-site': 'same-origin' }],
    [
      'Sec-Fetch-Site: same-origin behind a proxy that set its own Host',
      { origin: 'https://shop.example.com', host: 'localhost:3000', 'sec-fetch-site': 'same-origin' },
    ],
    ['the Host the browser sent, from a browser without Sec-Fetch-Site', { origin: PAGE, host: '127.0.0.1:3000' }],
    ['request.url, when there is no Host header either', { origin: 'http://localhost:3000' }],
  ])('takes the page’s own events by %s', async (_case, headers) => {
    const response = await send(headers);
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([
    ['Sec-Fetch-Site: cross-site, even with a Host to match', { origin: PAGE, host: '127.0.0.1:3000', 'sec-fetch-site': 'cross-site' }],
    [
      'Sec-Fetch-Site: same-site (another port or scheme of the site)',
      { origin: 'http://127.0.0.1:5173', host: '127.0.0.1:3000', 'sec-fetch-site': 'same-site' },
    ],
    ['a Host that names another server', { origin: PAGE, host: 'evil.example.com' }],
    ['no Host, and request.url on another host', { origin: PAGE }],
    ['the right host by another scheme', { origin: 'https://127.0.0.1:3000', host: '127.0.0.1:3000' }],
    ['Origin: null with Sec-Fetch-Site: same-origin', { origin: 'null', 'sec-fetch-site': 'same-origin' }],
    ['an Origin that is no URL', { origin: 'not an origin', host: '127.0.0.1:3000' }],
    ['a Host that is no host', { origin: PAGE, host: 'a b/c' }],
  ])('refuses a cross-origin page by %s', async (_case, headers) => {
    const response = await send(headers);
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('still takes a cross-origin page that allowedOrigins names, with CORS headers', async () => {
    const handler = createSinkHandler({ write: () => undefined, allowedOrigins: ['http://127.0.0.1:5173'] });
    const headers = { 'content-type': 'text/plain', origin: 'http://127.0.0.1:5173', host: '127.0.0.1:3000', 'sec-fetch-site': 'same-site' };
    const response = await handler(post({ events: [validEvent()] }, { url: REWRITTEN, headers }));
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
  });
});
