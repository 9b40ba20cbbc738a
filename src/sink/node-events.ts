/**
 * POSTs of events under node:http, answered by the sink's intake without building a web
 * `Request` and `Response`: those, their streams and the copies between node's objects and
 * them took about a fifth of the sink's time under load. The answers and the events written are
 * those of `createSinkHandler` for the same request; `toNodeListener` sends everything else (and
 * bodies an Express parser already read) through the web handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { declaresMoreThan } from './body';
import type { HeaderSource } from './content-type';
import { answerHeaders, internalError, type Answer, type Intake } from './intake';
import { requestUrl } from './node-request';

/** Node's parsed headers behind `get`: what `Headers.get` answers for the same request. */
function nodeHeaders(req: IncomingMessage): HeaderSource {
  return {
    get(name) {
      const value = req.headers[name];
      if (typeof value === 'string') return value;
      // Only set-cookie comes as an array; a web Headers joins it the same way.
      return Array.isArray(value) ? value.join(', ') : null;
    },
  };
}

export async function serveEvents(intake: Intake, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let answer: Answer;
  try {
    answer = await decide(intake, req);
  } catch (failure) {
    answer = internalError('unexpected error', failure);
  }
  send(answer, req, res);
}

async function decide(intake: Intake, req: IncomingMessage): Promise<Answer> {
  const headers = nodeHeaders(req);
  const head = intake.head({
    method: req.method ?? 'POST',
    headers,
    // Built only when the origin policy needs it: most requests have no Origin, or Sec-Fetch-Site.
    get url() {
      return requestUrl(req);
    },
  });
  if (head.answer !== undefined) {
    discard(req);
    return head.answer;
  }
  if (declaresMoreThan(headers, intake.maxBodyBytes)) {
    discard(req);
    return intake.tooLarge(head.cors);
  }
  const body = await readBody(req, intake.maxBodyBytes);
  if (body === 'too_large') return intake.tooLarge(head.cors);
  if (typeof body === 'string') return intake.unreadable(body, head.cors);
  return intake.body(body, head.cors);
}

/** The whole body, `'too_large'` past `max` bytes (the rest is discarded), or why it could not be read. */
function readBody(req: IncomingMessage, max: number): Promise<Uint8Array | 'too_large' | string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (result: Uint8Array | 'too_large' | string): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += bytes.byteLength;
      if (total > max) {
        finish('too_large');
        discard(req);
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = (): void => finish(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    const onError = (failure: Error): void => finish(failure.message);
    const onClose = (): void => finish('the client closed the connection before the body was complete');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** With no listener left, resuming drains the rest of the body into nothing, which keeps the connection usable. */
function discard(req: IncomingMessage): void {
  req.resume();
}

function send(answer: Answer, req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  try {
    res.statusCode = answer.status;
    // Refused before its body was read (413, 403...): close the connection after answering rather
    // than read and discard the rest, which could be endless.
    if (!req.complete) res.setHeader('connection', 'close');
    for (const [name, value] of answerHeaders(answer)) res.setHeader(name, value);
    res.end(answer.body === null ? undefined : JSON.stringify(answer.body));
  } catch {
    // The client went away mid-answer; there is nobody left to tell.
    res.destroy();
  }
}
