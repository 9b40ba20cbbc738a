import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TelemetryEvent } from '../../../src/core/types';
import { createSinkHandler, type SinkHandlerOptions } from '../../../src/sink/handler';
import { toNodeListener } from '../../../src/sink/node';
import { closeServers, listen } from '../servers';
import { recordingWriter, validEvent } from './fixtures';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

afterEach(closeServers);

async function startSink(options: SinkHandlerOptions = {}): Promise<{ url: string; batches: TelemetryEvent[][] }> {
  const sink = recordingWriter();
  const url = await listen(toNodeListener(createSinkHandler({ write: sink.write, ...options })));
  return { url, batches: sink.batches };
}

function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function expectStillServing(url: string): Promise<void> {
  const response = await postJson(`${url}/api/log`, { events: [validEvent()] });
  expect(response.status).toBe(202);
  expect(await response.json()).toEqual({ accepted: 1, rejected: 0, duplicates: 0 });
}

/**
 * Reads a whole body the way express.json() or express.text() would, then hands over. body-parser
 * 1.x (Express 4) also sets `req._body`; 2.x (Express 5) does not.
 */
function preParsing(parse: (text: string, raw: Buffer) => unknown, listener: Listener, flag = true): Listener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      Object.assign(req, { body: parse(raw.toString('utf8'), raw) }, flag ? { _body: true } : {});
      listener(req, res);
    });
  };
}

describe('toNodeListener', () => {
  it('serves the sink on node:http', async () => {
    const { url, batches } = await startSink();
    const events = [validEvent(), validEvent()];
    const response = await postJson(`${url}/api/log`, { events });
    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ accepted: 2, rejected: 0, duplicates: 0 });
    expect(batches).toEqual([events]);
  });

  it('takes a sendBeacon-style text/plain body', async () => {
    const { url, batches } = await startSink();
    const response = await fetch(url, { method: 'POST', body: JSON.stringify({ events: [validEvent()] }) });
    expect(response.status).toBe(202);
    expect(batches).toHaveLength(1);
  });

  it('knows its own origin, so same-origin pages are served and others refused', async () => {
    const { url } = await startSink();
    expect((await postJson(url, { events: [validEvent()] }, { origin: url })).status).toBe(202);
    const refused = await postJson(url, { events: [validEvent()] }, { origin: 'http://localhost:5173' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'origin http://localhost:5173 is not allowed to send events' });
    await expectStillServing(url);
  });

  it('takes the origin a proxy forwards for', async () => {
    const { url } = await startSink();
    const response = await postJson(
      url,
      { events: [validEvent()] },
      {
        origin: 'https://app.example.com',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'app.example.com',
      },
    );
    expect(response.status).toBe(202);
  });

  it('is not fooled by a path that looks like another host', async () => {
    const { url } = await startSink();
    const response = await postJson(`${url}//evil.example/api/log`, { events: [validEvent()] }, { origin: 'http://evil.example' });
    expect(response.status).toBe(403);
  });

  it('answers CORS preflight for allowed origins only', async () => {
    const { url } = await startSink({ allowedOrigins: ['http://localhost:5173'] });
    const allowed = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    const refused = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(refused.status).toBe(403);
  });

  it('answers 413 from Content-Length and keeps serving', async () => {
    const { url, batches } = await startSink({ maxBodyBytes: 1_000 });
    const response = await postJson(url, { events: [validEvent({ note: 'x'.repeat(2_000) })] });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'body is larger than 1000 bytes: send smaller batches' });
    expect(batches).toHaveLength(0);
    await expectStillServing(url);
  });

  it('answers 413 to a chunked body without Content-Length and keeps serving', async () => {
    const handler = createSinkHandler({ write: () => undefined, maxBodyBytes: 100_000 });
    const seen: Array<string | undefined> = [];
    const url = await listen((req, res) => {
      seen.push(req.headers['content-length'], req.headers['transfer-encoding']);
      toNodeListener(handler)(req, res);
    });
    const chunk = new Uint8Array(16_384).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2_000_000) {
          controller.close();
          return;
        }
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(seen).toEqual([undefined, 'chunked']);
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toEqual({ error: 'body is larger than 100000 bytes: send smaller batches' });
    await expectStillServing(url);
  });

  it('answers 400 to malformed JSON and keeps serving', async () => {
    const { url } = await startSink();
    const response = await postJson(url, '{"events": [}');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^malformed JSON/);
    await expectStillServing(url);
  });

  it('answers 405 with Allow to other methods, including ones fetch cannot represent', async () => {
    const { url } = await startSink();
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    const trace = await new Promise<IncomingMessage>((resolve, reject) => {
      httpRequest(url, { method: 'TRACE' }, resolve).on('error', reject).end();
    });
    expect(trace.statusCode).toBe(405);
    expect(trace.headers.allow).toBe('POST, OPTIONS');
    trace.resume();
    await expectStillServing(url);
  });

  it('answers 500 when the handler itself throws, and keeps serving', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const sinkHandler = createSinkHandler({ write: () => undefined });
    let calls = 0;
    const url = await listen(
      toNodeListener(async (request) => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return sinkHandler(request);
      }),
    );
    const response = await postJson(url, { events: [validEvent()] });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'internal error in the sink' });
    await expectStillServing(url);
  });

  it('survives a client that disconnects mid-body', async () => {
    const { url, batches } = await startSink();
    await new Promise<void>((resolve) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '10000' } });
      req.on('error', () => resolve());
      req.write('{"events": [');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 20);
    });
    await expectStillServing(url);
    expect(batches).toHaveLength(1);
  });

  it('cancels a streamed answer as soon as its client leaves, even while the stream is idle', async () => {
    let cancelled!: () => void;
    const gone = new Promise<void>((resolve) => (cancelled = resolve));
    const encoder = new TextEncoder();
    const url = await listen(
      toNodeListener(
        async () =>
          new Response(
            new ReadableStream({
              // One line, then nothing until the client has left.
              start: (controller) => controller.enqueue(encoder.encode('data: first\n\n')),
              cancel: () => cancelled(),
            }),
            { headers: { 'content-type': 'text/event-stream' } },
          ),
      ),
    );
    const abort = new AbortController();
    const response = await fetch(url, { signal: abort.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n');
    abort.abort();
    const later = new Promise((resolve) => setTimeout(resolve, 2_000, 'still streaming'));
    expect(await Promise.race([gone.then(() => 'cancelled'), later])).toBe('cancelled');
  });

  describe('behind Express body parsers', () => {
    it.each([true, false])('uses a body express.json() already parsed (req._body set: %s)', async (flag) => {
      const sink = recordingWriter();
      const listener = toNodeListener(createSinkHandler({ write: sink.write }));
      const url = await listen(preParsing((text) => JSON.parse(text), listener, flag));
      const events = [validEvent()];
      const response = await postJson(url, { events });
      expect(response.status).toBe(202);
      expect(sink.batches).toEqual([events]);
    });

    it('uses a body express.text() or express.raw() already read', async () => {
      const sink = recordingWriter();
      const listener = toNodeListener(createSinkHandler({ write: sink.write }));
      const asText = await listen(preParsing((text) => text, listener));
      const asBuffer = await listen(preParsing((_text, raw) => raw, listener));
      expect((await postJson(asText, { events: [validEvent()] }, { 'content-type': 'text/plain' })).status).toBe(202);
      expect((await postJson(asBuffer, { events: [validEvent()] })).status).toBe(202);
      expect(sink.batches).toHaveLength(2);
    });

    it('still limits the size of a pre-parsed body', async () => {
      const listener = toNodeListener(createSinkHandler({ write: () => undefined, maxBodyBytes: 500 }));
      const url = await listen(preParsing((text) => JSON.parse(text), listener));
      const response = await postJson(url, { events: [validEvent({ note: 'x'.repeat(1_000) })] });
      expect(response.status).toBe(413);
    });

    it('reads the stream when a parser skipped the request but set req.body = {}', async () => {
      const sink = recordingWriter();
      const listener = toNodeListener(createSinkHandler({ write: sink.write }));
      // body-parser 1.x does this when the content type is not its own.
      const url = await listen((req, res) => {
        Object.assign(req, { body: {} });
        listener(req, res);
      });
      const response = await postJson(url, { events: [validEvent()] }, { 'content-type': 'text/plain;charset=UTF-8' });
      expect(response.status).toBe(202);
      expect(sink.batches).toHaveLength(1);
    });

    it('answers 500 with a hint when another middleware consumed the body', async () => {
      const listener = toNodeListener(createSinkHandler({ write: () => undefined }));
      const url = await listen((req, res) => {
        req.resume();
        req.on('end', () => listener(req, res));
      });
      const response = await postJson(url, { events: [validEvent()] });
      expect(response.status).toBe(500);
      expect(((await response.json()) as { error: string }).error).toMatch(/read by another middleware/);
    });
  });
});
