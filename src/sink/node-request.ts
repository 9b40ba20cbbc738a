import type { IncomingMessage } from 'node:http';
import { error as answer } from './intake';
import { toResponse } from './respond';

export interface NodeBody {
  stream: ReadableStream<Uint8Array>;
  /** Stops feeding the stream and lets node discard whatever of the body is still arriving. */
  release(): void;
}

export type Converted = { request: Request; body: NodeBody | undefined } | { request: undefined; refusal: Response; body: undefined };

/** The web `Request` for a node request, or the answer to give when there cannot be one. */
export function toRequest(req: IncomingMessage): Converted {
  const method = req.method ?? 'GET';
  const headers = copyHeaders(req);
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  let body: NodeBody | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const parsed = alreadyParsed(req);
    if (parsed === 'unavailable') {
      return {
        request: undefined,
        body: undefined,
        refusal: toResponse(
          answer(500, 'the request body was read by another middleware before the sink: mount the sink before it, or use express.json() or express.text()'),
        ),
      };
    }
    if (parsed !== undefined) {
      // The parser decoded and possibly decompressed the body; the original length no longer applies.
      headers.delete('content-length');
      headers.delete('content-encoding');
      init.body = parsed;
    } else {
      body = streamBody(req);
      init.body = body.stream;
      // Required by undici (node's fetch) for a streamed request body.
      init.duplex = 'half';
    }
  }
  try {
    return { request: new Request(requestUrl(req), init), body };
  } catch (error) {
    // Only methods that fetch forbids (TRACE, TRACK) or that are not valid tokens get here.
    body?.release();
    const message = error instanceof Error ? error.message : String(error);
    return { request: undefined, body: undefined, refusal: toResponse(answer(405, `unsupported request: ${message}`, { allow: 'POST, OPTIONS' })) };
  }
}

function copyHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    // HTTP/2 pseudo-headers (":path") are not valid header names for fetch.
    if (value === undefined || name.startsWith(':')) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, item);
      } catch {
        // A value fetch rejects is one the handler could not use either.
      }
    }
  }
  return headers;
}

/**
 * The body an Express parser already read (express.json(), express.text(), express.raw()), or
 * `undefined` when the stream is still unread. body-parser 1.x sets `req.body = {}` even when it
 * skips a request, so what counts is whether the stream was consumed.
 */
function alreadyParsed(req: IncomingMessage): BodyInit | 'unavailable' | undefined {
  if (bodyUnread(req)) return undefined;
  const withBody = req as IncomingMessage & { body?: unknown };
  const parsed = withBody.body;
  if (parsed === undefined) return 'unavailable';
  if (typeof parsed === 'string') return parsed;
  if (parsed instanceof Uint8Array) return new Uint8Array(parsed);
  try {
    return JSON.stringify(parsed);
  } catch {
    return 'unavailable';
  }
}

/** Whether the body stream is still to be read: no parser (or anything else) consumed it. */
export function bodyUnread(req: IncomingMessage): boolean {
  return !req.readableEnded && (req as IncomingMessage & { _body?: boolean })._body !== true;
}

function streamBody(req: IncomingMessage): NodeBody {
  let finished = false;
  const detach = (): void => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    req.off('close', onClose);
  };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const settle = (action: () => void): void => {
    if (finished) return;
    finished = true;
    detach();
    action();
  };
  const onData = (chunk: Uint8Array | string): void => {
    if (finished) return;
    controller.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
    // Backpressure: node stops reading the socket until the handler asks for more.
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  const onEnd = (): void => settle(() => controller.close());
  const onError = (error: Error): void => settle(() => controller.error(error));
  const onClose = (): void => settle(() => controller.error(new Error('the client closed the connection before the body was complete')));

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onError);
      req.on('close', onClose);
    },
    pull() {
      req.resume();
    },
    cancel() {
      release();
    },
  });

  function release(): void {
    finished = true;
    detach();
    // With no listener left, resuming drains the rest of the body into nothing, which keeps
    // the connection usable for its next request.
    req.resume();
  }
  return { stream, release };
}

/** The URL the client asked for, as its browser saw it, so the handler can tell same-origin calls. */
export function requestUrl(req: IncomingMessage): string {
  // Behind a TLS-terminating proxy the page's origin is the proxy's. A browser cannot forge these
  // headers on a cross-origin request without a preflight, which the origin policy refuses.
  const forwardedProto = firstValue(req.headers['x-forwarded-proto'])?.toLowerCase();
  const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
  const proto = forwardedProto === 'http' || forwardedProto === 'https' ? forwardedProto : encrypted ? 'https' : 'http';
  const forwardedHost = firstValue(req.headers['x-forwarded-host']);
  const host = [forwardedHost, req.headers.host].find((value) => value !== undefined && /^[A-Za-z0-9.\-:[\]]+$/.test(value)) ?? 'localhost';
  const target = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  // Concatenate rather than resolve: new URL('//other.host/x', base) would change the origin.
  const path = target.startsWith('/') ? target : '/';
  try {
    return new URL(`${proto}://${host}${path}`).href;
  } catch {
    return `${proto}://localhost/`;
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const first = text?.split(',')[0]?.trim();
  return first === '' ? undefined : first;
}
