/** Which origins may send events, and the CORS headers that tell their browsers so. */
import type { HeaderSource } from './content-type';

/** What the policy reads of a request; a web `Request` is one. */
export interface RequestOrigin {
  readonly url: string;
  readonly headers: HeaderSource;
}

export type AllowedOrigins = readonly string[] | '*';

export interface OriginPolicy {
  /**
   * The origin to name in `Access-Control-Allow-Origin`, `null` when no CORS headers are needed
   * (no `Origin` header, or the request comes from the sink's own origin), or `false` when the
   * origin is refused.
   */
  check(request: RequestOrigin): string | null | false;
}

/** Parses the configured origins once, so a typo fails at start-up rather than on every request. */
export function createOriginPolicy(allowed: AllowedOrigins | undefined): OriginPolicy {
  const any = allowed === '*';
  const list = new Set(any || allowed === undefined ? [] : allowed.map(normalizeOrigin));
  return {
    check(request) {
      const origin = request.headers.get('origin');
      // curl and server-to-server calls send no Origin; only browsers need to be held to a policy.
      if (origin === null) return null;
      if (sameOrigin(request, origin)) return null;
      if (any || list.has(origin)) return origin;
      return false;
    },
  };
}

/** Headers for an answer to an allowed cross-origin request. */
export function corsHeaders(origin: string | null): Record<string, string> {
  if (origin === null) return {};
  // The answer depends on Origin, so shared caches must key on it.
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

export function preflightHeaders(origin: string | null): Record<string, string> {
  return {
    ...corsHeaders(origin),
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type',
    // Browsers cap this (Chromium at 2 hours); asking for a day costs nothing.
    'access-control-max-age': '86400',
  };
}

/**
 * Whether the page that sent the request is on the sink's origin, judged as its browser judged
 * it, not from `request.url`, which frameworks rewrite (Next.js reports `http://localhost:PORT`
 * for a page on 127.0.0.1, a proxy in front sets its own host). `Sec-Fetch-Site` is the
 * browser's own verdict and no page script can set it
 * (https://www.w3.org/TR/fetch-metadata/#sec-fetch-site-header); browsers without it are judged
 * by the `Host` they sent, with the scheme of `request.url`. A non-browser client can claim
 * anything, but CORS never held those back: the policy is there so that other sites' pages
 * cannot post.
 */
function sameOrigin(request: RequestOrigin, origin: string): boolean {
  // Sandboxed frames and file: pages send "null": never anyone's own origin.
  if (origin === 'null') return false;
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin';
  try {
    const page = new URL(origin);
    const own = new URL(request.url);
    const host = request.headers.get('host');
    return page.protocol === own.protocol && (page.host === own.host || (host !== null && page.host === new URL(`${own.protocol}//${host}`).host));
  } catch {
    return false;
  }
}

function normalizeOrigin(entry: string): string {
  // "null" is what sandboxed iframes and file: pages send; an app may choose to allow it.
  if (entry === 'null') return entry;
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new TypeError(`tracebeam sink: allowedOrigins entry "${entry}" is not a URL origin such as https://app.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`tracebeam sink: allowedOrigins entry "${entry}" must be an http(s) origin`);
  }
  // Browsers serialise Origin without a path or trailing slash; compare against that form.
  return url.origin;
}
