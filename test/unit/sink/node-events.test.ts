/**
 * POSTs under `toNodeListener(createSinkHandler(...))` skip the web Request and Response. The
 * same requests sent to that listener and to one that goes through the web handler (any
 * function other than the handler itself does) get the same answers and leave the same bytes in
 * the file, bad requests included.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jsonLinesFile } from '../../../src/sink/file';
import { createSinkHandler, type SinkHandlerOptions } from '../../../src/sink/handler';
import { toNodeListener } from '../../../src/sink/node';
import { closeServers, listen } from '../servers';
import { validEvent } from './fixtures';

afterEach(closeServers);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracebeam-node-events-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Sent {
  path?: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Send the body in chunks without a Content-Length. */
  chunked?: boolean;
}

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

// Framing differs and is no part of the answer: the web path streams its body (chunked).
const FRAMING = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

function send(url: string, sent: Sent): Promise<Got> {
  return new Promise((resolve, reject) => {
    const target = new URL(sent.path ?? '/api/log', url);
    const body = sent.body ?? '';
    const headers: Record<string, string | string[]> = { 'content-type': 'application/json', ...sent.headers };
    if (!sent.chunked && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const req = httpRequest(target, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const kept = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !FRAMING.has(name)));
        resolve({ status: res.statusCode ?? 0, headers: kept, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    if (sent.chunked) {
      const bytes = Buffer.from(body);
      for (let i = 0; i < bytes.length; i += 1000) req.write(bytes.subarray(i, i + 1000));
      req.end();
    } else req.end(body);
  });
}

async function twoSinks(options: SinkHandlerOptions = {}): Promise<{ fast: string; web: string; files: [string, string] }> {
  const files: [string, string] = [join(dir, `fast-${Math.random()}.jsonl`), join(dir, `web-${Math.random()}.jsonl`)];
  const fastHandler = createSinkHandler({ ...options, write: jsonLinesFile(files[0]) });
  const webHandler = createSinkHandler({ ...options, write: jsonLinesFile(files[1]) });
  const fast = await listen(toNodeListener(fastHandler));
  // A wrapper is not the handler `createSinkHandler` made: it goes through Request and Response.
  const web = await listen(toNodeListener((request) => webHandler(request)));
  return { fast, web, files };
}

const text = (value: unknown): string => JSON.stringify(value);
const batch = (...events: unknown[]): string => text({ events });

describe('the node:http path for POSTs of events', () => {
  it('answers as the web handler does, and writes the same bytes, for good and bad requests', async () => {
    const { fast, web, files } = await twoSinks({ maxBodyBytes: 20_000, allowedOrigins: ['https://app.example.com'] });
    const repeated = validEvent();
    const requests: Array<[string, Sent]> = [
      ['a batch', { body: batch(validEvent(), validEvent({ note: 'tab\there, "quoted", é, 😀' })) }],
      ['the same event again', { body: batch(repeated) }],
      ['a repeat', { body: batch(repeated, repeated) }],
      ['valid and invalid events', { body: batch(validEvent(), { id: 'nope' }, validEvent({ level: 'loud' }), 42, null) }],
      [
        'shared fields',
        { body: text({ shared: { service: 'web', sdk: { name: 'tracebeam', version: '1' } }, events: [{ ...validEvent(), service: undefined }] }) },
      ],
      ['"shared" of the wrong type', { body: text({ shared: [1], events: [] }) }],
      ['an empty batch', { body: batch() }],
      ['a __proto__ key', { body: `{"events":[${text(validEvent()).slice(0, -1)},"__proto__":{"x":1}}]}` }],
      ['malformed JSON', { body: '{"events": [' }],
      ['an empty body', { body: '' }],
      ['a body that is not UTF-8', { body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }],
      ['no events', { body: '{"event":[]}' }],
      ['events not an array', { body: '{"events":{}}' }],
      ['an array body', { body: '[]' }],
      ['deep nesting', { body: `{"events":[${'['.repeat(70)}${']'.repeat(70)}]}` }],
      ['a body over the limit, declared', { body: batch(...Array.from({ length: 80 }, () => validEvent())) }],
      ['a body over the limit, chunked', { body: batch(...Array.from({ length: 80 }, () => validEvent())), chunked: true }],
      ['a chunked body within the limit', { body: batch(validEvent(), validEvent()), chunked: true }],
      ['text/plain, as sendBeacon sends', { headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: batch(validEvent()) }],
      ['an unknown content type', { headers: { 'content-type': 'application/xml' }, body: '<events/>' }],
      ['no content type', { headers: { 'content-type': '' }, body: batch(validEvent()) }],
      ['a compressed body', { headers: { 'content-encoding': 'gzip' }, body: batch(validEvent()) }],
      ['an allowed origin', { headers: { origin: 'https://app.example.com' }, body: batch(validEvent()) }],
      ['a refused origin', { headers: { origin: 'https://evil.example.com' }, body: batch(validEvent()) }],
      ['the "null" origin', { headers: { origin: 'null' }, body: batch(validEvent()) }],
      ['a same-origin page by Sec-Fetch-Site', { headers: { origin: 'https://page.example.com', 'sec-fetch-site': 'same-origin' }, body: batch(validEvent()) }],
      ['a cross-site page by Sec-Fetch-Site', { headers: { origin: 'https://page.example.com', 'sec-fetch-site': 'cross-site' }, body: batch(validEvent()) }],
      [
        'a page behind a proxy',
        { headers: { origin: 'https://shop.example.com', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example.com' }, body: batch(validEvent()) },
      ],
    ];
    for (const [name, sent] of requests) {
      // Each server has its own dedupe memory: the same requests in the same order on both.
      const [a, b] = [await send(fast, sent), await send(web, sent)];
      expect({ name, ...a }).toEqual({ name, ...b });
    }
    // Same-origin by Host: each server's own address.
    const own = batch(validEvent());
    for (const url of [fast, web]) {
      const answer = await send(url, { headers: { origin: url }, body: own });
      expect(answer.status).toBe(202);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    const [fastBytes, webBytes] = await Promise.all(files.map((file) => readFile(file)));
    expect(fastBytes.length).toBeGreaterThan(0);
    expect(fastBytes.equals(webBytes!)).toBe(true);
  });

  it('keeps serving after a client leaves in the middle of its body', async () => {
    const { fast } = await twoSinks();
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${fast}/`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '5000' }, agent: false });
      req.on('error', () => resolve());
      req.write('{"events":[', () =>
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 50),
      );
    });
    const after = await send(fast, { body: batch(validEvent()) });
    expect(after.status).toBe(202);
    expect(JSON.parse(after.body)).toEqual({ accepted: 1, rejected: 0, duplicates: 0 });
  });

  it('answers 503 with Retry-After when the writer fails, and takes the retry', async () => {
    let fail = true;
    const handler = createSinkHandler({
      write: () => {
        if (fail) throw new Error('disk full');
      },
    });
    const url = await listen(toNodeListener(handler));
    const body = batch(validEvent());
    const refused = await send(url, { body });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    fail = false;
    const retried = await send(url, { body });
    expect(JSON.parse(retried.body)).toEqual({ accepted: 1, rejected: 0, duplicates: 0 });
  });
});
