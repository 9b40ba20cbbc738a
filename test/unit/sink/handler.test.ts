import { describe, expect, it, vi } from 'vitest';
import type { TelemetryEvent } from '../../../src/core/types';
import { createSinkHandler, type SinkAnswer, type SinkHandler } from '../../../src/sink/handler';
import { eventWithout, hexId, post, recordingWriter, SINK_URL, validEvent } from './fixtures';

const APP = 'http://localhost:5173';

async function json(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as Record<string, unknown>;
}

/** After any failure the same handler must still take a good batch. */
async function expectStillServing(handler: SinkHandler): Promise<void> {
  const response = await handler(post({ events: [validEvent()] }));
  expect(response.status).toBe(202);
  expect(await response.json()).toEqual({ accepted: 1, rejected: 0, duplicates: 0 });
}

function bytesRequest(bytes: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Request {
  return new Request(SINK_URL, { method: 'POST', headers, body: bytes });
}

/** A request body that never ends, in 64 KiB chunks, recording how much was pulled from it. */
function endlessBody(): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0;
  let cancelled = false;
  const chunk = new Uint8Array(65_536).fill(0x20);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

describe('createSinkHandler: accepting events', () => {
  it('writes valid events in order and answers 202 with the counts', async () => {
    const sink = recordingWriter();
    const handler = createSinkHandler({ write: sink.write });
    const events = [
      validEvent(),
      validEvent({ level: 'error', event: 'client_error', error: { type: 'TypeError', message: 'x is undefined', fingerprint: 'f1' } }),
    ];

    const response = await handler(post({ events }));

    expect(response.status).toBe(202);
    expect(await json(response)).toEqual({ accepted: 2, rejected: 0, duplicates: 0 });
    expect(sink.batches).toEqual([events]);
  });

  it.each(['application/json', 'text/plain;charset=UTF-8', 'Application/JSON; Charset=utf-8', 'TEXT/PLAIN', ' application/json ; charset="utf-8"'])(
    'reads a body sent as %s',
    async (contentType) => {
      const sink = recordingWriter();
      const handler = createSinkHandler({ write: sink.write });
      const response = await handler(post({ events: [validEvent()] }, { headers: { 'content-type': contentType } }));
      expect(response.status).toBe(202);
      expect(sink.batches).toHaveLength(1);
    },
  );

  it('passes the app’s own attributes through unchanged', async () => {
    const sink = recordingWriter();
    const handler = createSinkHandler({ write: sink.write });
    const event = validEvent({ cart_items: 3, tenant: { id: 't1' }, tags: ['a'] });
    await handler(post({ events: [event] }));
    expect(sink.batches[0]![0]).toEqual(event);
  });

  it('answers an empty batch without calling write', async () => {
    const write = vi.fn();
    const handler = createSinkHandler({ write });
    const response = await handler(post({ events: [] }));
    expect(response.status).toBe(202);
    expect(await json(response)).toEqual({ accepted: 0, rejected: 0, duplicates: 0 });
    expect(write).not.toHaveBeenCalled();
  });

  it('prints one JSON line per event on stdout by default', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const handler = createSinkHandler();
    const events = [validEvent(), validEvent()];
    const response = await handler(post({ events }));
    expect(response.status).toBe(202);
    expect(log.mock.calls).toEqual(events.map((event) => [JSON.stringify(event)]));
  });

  it('waits for an async write before answering', async () => {
    let release!: () => void;
    const written = new Promise<void>((resolve) => (release = resolve));
    const handler = createSinkHandler({ write: () => written });
    let settled = false;
    const answer = handler(post({ events: [validEvent()] })).then((response) => {
      settled = true;
      return response;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    release();
    expect((await answer).status).toBe(202);
  });
});

describe('createSinkHandler: invalid events', () => {
  it('writes the valid events, counts the rest and says what is wrong with each', async () => {
    const sink = recordingWriter();
    const handler = createSinkHandler({ write: sink.write });
    const good = validEvent();
    const response = await handler(post({ events: [eventWithout('id'), good, validEvent({ level: 'fatal' })] }));

    expect(response.status).toBe(202);
    const body = (await json(response)) as unknown as SinkAnswer;
    expect(body.accepted).toBe(1);
    expect(body.rejected).toBe(2);
    expect(body.duplicates).toBe(0);
    expect(body.errors).toEqual([
      { index: 0, message: 'missing id' },
      { index: 2, message: 'level: "fatal" is not one of ["debug","info","warn","error"]' },
    ]);
    expect(sink.batches).toEqual([[good]]);
  });

  it.each<[string, unknown, RegExp]>([
    ['missing fields', { level: 'info' }, /^missing id, timestamp, event, service, trace_id, sdk$/],
    ['a bad id', validEvent({ id: 'not-an-id' }), /^id: "not-an-id" must be 32 lowercase hex digits$/],
    ['a 33-digit trace id', validEvent({ trace_id: 'a'.repeat(33) }), /^trace_id: "a{33}" must be 32 lowercase hex digits/],
    ['an upper-case trace id', validEvent({ trace_id: '4BF92F3577B34DA6A3CE929D0E0E4736' }), /^trace_id: .* must be 32 lowercase hex digits/],
    ['an all-zero trace id', validEvent({ trace_id: '0'.repeat(32) }), /not all zero/],
    ['a short span id', validEvent({ span_id: 'abc' }), /^span_id: "abc" must be 16 lowercase hex digits/],
    ['an unknown level', validEvent({ level: 'fatal' }), /^level: "fatal" is not one of/],
    ['a number for the level', validEvent({ level: 3 }), /^level: 3 is not one of/],
    ['a number for service', validEvent({ service: 42 }), /^service: must be of type string, not number$/],
    ['an empty service', validEvent({ service: '' }), /^service: String is too short/],
    ['a timestamp without milliseconds', validEvent({ timestamp: '2024-05-01T12:00:00Z' }), /^timestamp: .* must be ISO 8601 UTC with milliseconds/],
    ['a camelCase event name', validEvent({ event: 'checkoutStarted' }), /^event: "checkoutStarted" must be a snake_case name/],
    ['sdk without version', validEvent({ sdk: { name: 'tracebeam' } }), /^missing sdk\.version$/],
    [
      'a string status code',
      validEvent({ http: { method: 'GET', url: '/api', status_code: '200' } }),
      /^http\.status_code: must be of type integer, not string$/,
    ],
    ['a negative frame line', validEvent({ error: { type: 'E', message: 'm', frames: [{ line: -1 }] } }), /^error\.frames\[0\]\.line: -1 is less than 0$/],
    ['null', null, /^must be an object, not null$/],
    ['a string', 'hello', /^must be an object, not string$/],
    ['an array', [validEvent()], /^must be an object, not array$/],
  ])('rejects an event with %s', async (_name, event, message) => {
    const handler = createSinkHandler({ write: () => undefined });
    const response = await handler(post({ events: [event] }));
    expect(response.status).toBe(202);
    const body = (await json(response)) as unknown as SinkAnswer;
    expect(body).toMatchObject({ accepted: 0, rejected: 1, duplicates: 0 });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.index).toBe(0);
    expect(body.errors![0]!.message).toMatch(message);
    await expectStillServing(handler);
  });

  it('lists at most ten errors but counts every rejected event', async () => {
    const handler = createSinkHandler({ write: () => undefined });
    const events = Array.from({ length: 15 }, () => validEvent({ level: 'loud' }));
    const body = (await json(await handler(post({ events })))) as unknown as SinkAnswer;
    expect(body.rejected).toBe(15);
    expect(body.errors!.map((error) => error.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps each message short', async () => {
    const handler = createSinkHandler({ write: () => undefined });
    const event = { id: 'x'.repeat(5000), trace_id: 'y'.repeat(5000), level: 'z'.repeat(5000), service: 7, sdk: 1 };
    const body = (await json(await handler(post({ events: [event] })))) as unknown as SinkAnswer;
    expect(body.errors![0]!.message.length).toBeLessThanOrEqual(301);
  });
});

describe('createSinkHandler: bodies it cannot read', () => {
  it.each<[string, string, RegExp]>([
    ['malformed JSON', '{"events": [', /^malformed JSON: /],
    ['a trailing comma', '{"events": [],}', /^malformed JSON: /],
    ['an empty body', '', /^empty body: expected \{"events": \[\.\.\.\]\}$/],
    ['a blank body', '  \n ', /^empty body/],
    ['a JSON array', JSON.stringify([validEvent()]), /^body must be a JSON object, not an array/],
    ['a JSON number', '42', /^body must be a JSON object, not a number/],
    ['JSON null', 'null', /^body must be a JSON object, not null/],
    ['a JSON string', '"events"', /^body must be a JSON object, not a string/],
    ['an object without events', '{"event": []}', /^body has no "events"/],
    ['events as a string', '{"events": "[]"}', /^"events" must be an array, not a string/],
    ['events as an object', '{"events": {"0": {}}}', /^"events" must be an array, not an object/],
    ['events as null', '{"events": null}', /^"events" must be an array, not null/],
  ])('answers 400 to %s', async (_name, body, message) => {
    const write = vi.fn();
    const handler = createSinkHandler({ write });
    const response = await handler(post(body));
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatch(message);
    expect(write).not.toHaveBeenCalled();
    await expectStillServing(handler);
  });

  it('answers 400 to a body that is not UTF-8', async () => {
    const handler = createSinkHandler({ write: () => undefined });
    const response = await handler(bytesRequest(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), { 'content-type': 'application/json' }));
    expect(response.status).toBe(400);
    expect((await json(response)).error).toBe('body is not valid UTF-8');
    await expectStillServing(handler);
  });

  it('reads each body on its own after one that ends inside a UTF-8 sequence', async () => {
    const sink = recordingWriter();
    const handler = createSinkHandler({ write: sink.write });
    // "{" then the first two bytes of "€": a decoder that carried them over would spoil the next body.
    const cut = await handler(bytesRequest(new Uint8Array([0x7b, 0xe2, 0x82]), { 'content-type': 'application/json' }));
    expect((await json(cut)).error).toBe('body is not valid UTF-8');
    const event = validEvent({ note: '€' });
    const response = await handler(post({ events: [event] }));
    expect(response.status).toBe(202);
    expect(sink.batches).toEqual([[event]]);
  });

  it('answers 400 when the body stream fails mid-way', async () => {
    const handler = createSinkHandler({ write: () => undefined });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"events": ['));
        controller.error(new Error('connection reset'));
      },
    });
    const request = new Request(SINK_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatch(/^could not read the body: connection reset/);
    await expectStillServing(handler);
  });
});

describe('createSinkHandler: body size', () => {
  it('answers 413 from Content-Length without reading the body', async () => {
    const write = vi.fn();
    const handler = createSinkHandler({ write, maxBodyBytes: 1_000 });
    const body = endlessBody();
    const request = new Request(SINK_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '1001' },
      body: body.stream,
      duplex: 'half',
    } as RequestInit);

    const response = await handler(request);

    expect(response.status).toBe(413);
    expect((await json(response)).error).toBe('body is larger than 1000 bytes: send smaller batches');
    expect(body.pulled()).toBe(0);
    expect(body.cancelled()).toBe(true);
    expect(write).not.toHaveBeenCalled();
    await expectStillServing(handler);
  });

  it('stops reading a body without Content-Length once it passes the limit', async () => {
    const handler = createSinkHandler({ write: () => undefined });
    const body = endlessBody();
    const request = new Request(SINK_URL, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: body.stream, duplex: 'half' } as RequestInit);

    const response = await handler(request);

    expect(response.status).toBe(413);
    expect((await json(response)).error).toBe('body is larger than 1048576 bytes: send smaller batches');
    // The body never ends: answering at all proves it was not buffered whole.
    expect(body.pulled()).toBeLessThanOrEqual(1_048_576 + 2 * 65_536);
    expect(body.cancelled()).toBe(true);
    await expectStillServing(handler);
  });

  it('stops reading when Content-Length understates the body', async () => {
    const handler = createSinkHandler({ write: () => undefined, maxBodyBytes: 100_000 });
    const body = endlessBody();
    const request = new Request(SINK_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '10' },
      body: body.stream,
      duplex: 'half',
    } as RequestInit);
    expect((await handler(request)).status).toBe(413);
    expect(body.cancelled()).toBe(true);
  });

  it('accepts a body of exactly maxBodyBytes', async () => {
    const sink = recordingWriter();
    const handler = createSinkHandler({ write: sink.write, maxBodyBytes: 2_000 });
    const text = JSON.stringify({ events: [validEvent()] });
    const padded = text.padEnd(2_000, ' ');
    expect((await handler(post(padded))).status).toBe(202);
    expect((await handler(post(`${padded} `))).status).toBe(413);
    expect(sink.batches).toHaveLength(1);
  });

  it('counts bytes, not characters', async () => {
    const handler = createSinkHandler({ write: () => undefined, maxBodyBytes: 1_000 });
    // 400 characters of 3 bytes each.
    const body = JSON.stringify({ events: [validEvent({ note: '€'.repeat(400) })] });
    expect(body.length).toBeLessThan(1_000);
    expect((await handler(bytesRequest(new TextEncoder().encode(body), { 'content-type': 'application/json' }))).status).toBe(413);
  });
});

describe('createSinkHandler: content type', () => {
  it('answers 415 when Content-Type is missing', async () => {
    const handler = createSinkHandler({ write: () => undefined });
    const response = await handler(bytesRequest(new TextEncoder().encode(JSON.stringify({ events: [validEvent()] }))));
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.status).toBe(415);
    expect((await json(response)).error).toBe('missing Content-Type: send application/json or text/plain');
    await expectStillServing(handler);
  });

  it.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'text/html', 'application/xml'])(
    'answers 415 to %s',
    async (contentType) => {
      const write = vi.fn();
      const handler = createSinkHandler({ write });
      const response = await handler(post({ events: [validEvent()] }, { headers: { 'content-type': contentType } }));
      expect(response.status).toBe(415);
      expect((await json(response)).error).toMatch(/^unsupported Content-Type ".*": send application\/json or text\/plain$/);
      expect(write).not.toHaveBeenCalled();
      await expectStillServing(handler);
    },
  );

  it('answers 415 to a compressed body', async () => {
    const handler = createSinkHandler({ write: () => undefined });
    const response = await handler(post({ events: [] }, { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }));
    expect(response.status).toBe(415);
    expect((await json(response)).error).toMatch(/Content-Encoding "gzip"/);
  });
});

describe('createSinkHandler: origins and CORS', () => {
  it('takes requests without Origin (curl, servers) and adds no CORS headers', async () => {
    const handler = createSinkHandler({ write: () => undefined });
    const response = await handler(post({ events: [validEvent()] }));
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('takes same-origin requests by default', async () => {
    const handler = createSinkHandler({ write: () => undefined });
    const response = await handler(post({ events: [validEvent()] }, { headers: { 'content-type': 'application/json', origin: 'https://sink.example.com' } }));
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([APP, 'null', 'http://sink.example.com', 'https://sink.example.com:8443'])('refuses origin %s by default with 403', async (origin) => {
    const write = vi.fn();
    const handler = createSinkHandler({ write });
    const response = await handler(post({ events: [validEvent()] }, { headers: { 'content-type': 'application/json', origin } }));
    expect(response.status).toBe(403);
    expect((await json(response)).error).toBe(`origin ${origin} is not allowed to send events`);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(write).not.toHaveBeenCalled();
    await expectStillServing(handler);
  });

  it('takes listed origins and names them in Access-Control-Allow-Origin', async () => {
    const handler = createSinkHandler({ write: () => undefined, allowedOrigins: [`${APP}/`, 'https://app.example.com'] });
    const response = await handler(post({ events: [validEvent()] }, { headers: { 'content-type': 'text/plain', origin: APP } }));
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('vary')).toBe('Origin');

    const other = await handler(post({ events: [validEvent()] }, { headers: { 'content-type': 'text/plain', origin: 'https://evil.example.com' } }));
    expect(other.status).toBe(403);
  });

  it('takes any origin with "*"', async () => {
    const handler = createSinkHandler({ write: () => undefined, allowedOrigins: '*' });
    const response = await handler(post({ events: [validEvent()] }, { headers: { 'content-type': 'application/json', origin: 'https://anything.example' } }));
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://anything.example');
  });

  it('puts CORS headers on error answers too, so the page can read them', async () => {
    const handler = createSinkHandler({ write: () => undefined, allowedOrigins: [APP] });
    const response = await handler(post('{oops', { headers: { 'content-type': 'application/json', origin: APP } }));
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('answers an allowed preflight with 204 and the CORS headers', async () => {
    const handler = createSinkHandler({ allowedOrigins: [APP] });
    const response = await handler(
      new Request(SINK_URL, {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(response.headers.get('vary')).toBe('Origin');
    expect(await response.text()).toBe('');
  });

  it('answers a preflight from a disallowed origin with 403', async () => {
    const handler = createSinkHandler({ allowedOrigins: [APP] });
    const response = await handler(
      new Request(SINK_URL, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await json(response)).error).toMatch(/not allowed/);
  });

  it('answers OPTIONS without Origin with 204 and Allow', async () => {
    const handler = createSinkHandler();
    const response = await handler(new Request(SINK_URL, { method: 'OPTIONS' }));
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('createSinkHandler: methods', () => {
  it.each(['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405 and Allow', async (method) => {
    const write = vi.fn();
    const handler = createSinkHandler({ write });
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const response = await handler(
      new Request(SINK_URL, { method, headers: { 'content-type': 'application/json' }, body: hasBody ? JSON.stringify({ events: [validEvent()] }) : null }),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
    if (method !== 'HEAD') expect((await json(response)).error).toMatch(`method ${method} is not allowed`);
    expect(write).not.toHaveBeenCalled();
    await expectStillServing(handler);
  });
});

describe('createSinkHandler: repeated ids', () => {
  it('writes an id repeated within one body once', async () => {
    const sink = recordingWriter();
    const handler = createSinkHandler({ write: sink.write });
    const event = validEvent();
    const body = (await json(await handler(post({ events: [event, { ...event }, validEvent(), event] })))) as unknown as SinkAnswer;
    expect(body).toEqual({ accepted: 2, rejected: 0, duplicates: 2 });
    expect(sink.batches[0]!.filter((written) => written.id === event.id)).toHaveLength(1);
  });

  it('drops ids seen in an earlier body, so a retried batch is written once', async () => {
    const sink = recordingWriter();
    const handler = createSinkHandler({ write: sink.write });
    const events = [validEvent(), validEvent()];
    await handler(post({ events }));
    const fresh = validEvent();

    const body = (await json(await handler(post({ events: [...events, fresh] })))) as unknown as SinkAnswer;

    expect(body).toEqual({ accepted: 1, rejected: 0, duplicates: 2 });
    expect(sink.batches).toEqual([events, [fresh]]);
  });

  it('answers a batch of only repeats without calling write', async () => {
    const sink = recordingWriter();
    const handler = createSinkHandler({ write: sink.write });
    const events = [validEvent()];
    await handler(post({ events }));
    const response = await handler(post({ events }));
    expect(response.status).toBe(202);
    expect(await json(response)).toEqual({ accepted: 0, rejected: 0, duplicates: 1 });
    expect(sink.batches).toHaveLength(1);
  });

  it('does not let a rejected event reserve its id', async () => {
    const sink = recordingWriter();
    const handler = createSinkHandler({ write: sink.write });
    const id = hexId();
    const body = (await json(await handler(post({ events: [validEvent({ id, level: 'nope' }), validEvent({ id })] })))) as unknown as SinkAnswer;
    expect(body).toMatchObject({ accepted: 1, rejected: 1, duplicates: 0 });
  });

  it('forgets the oldest ids beyond dedupeSize', async () => {
    const sink = recordingWriter();
    const handler = createSinkHandler({ write: sink.write, dedupeSize: 2 });
    const [a, b, c] = [validEvent(), validEvent(), validEvent()];
    await handler(post({ events: [a, b, c] }));
    expect(await json(await handler(post({ events: [c] })))).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await json(await handler(post({ events: [a] })))).toMatchObject({ accepted: 1, duplicates: 0 });
  });

  it('counts a retry that races the first write as a duplicate', async () => {
    let release!: () => void;
    const batches: TelemetryEvent[][] = [];
    const handler = createSinkHandler({
      write: (events) => {
        batches.push(events);
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    const events = [validEvent()];
    const first = handler(post({ events }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await handler(post({ events }));
    expect(await json(second)).toEqual({ accepted: 0, rejected: 0, duplicates: 1 });
    release();
    expect((await first).status).toBe(202);
    expect(batches).toHaveLength(1);
  });
});

describe('createSinkHandler: failing writes', () => {
  it.each([
    [
      'throws',
      () => {
        throw new Error('disk full');
      },
    ],
    ['rejects', () => Promise.reject(new Error('disk full'))],
  ])('answers 503 with Retry-After when write %s, and accepts the retry', async (_name, failure) => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const batches: TelemetryEvent[][] = [];
    let fail = true;
    const handler = createSinkHandler({
      write: (events) => {
        if (fail) return failure();
        batches.push(events);
      },
    });
    const events = [validEvent(), validEvent()];

    const failed = await handler(post({ events }));
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('5');
    expect((await json(failed)).error).toBe('could not store the events: retry later');
    expect(error).toHaveBeenCalledWith('tracebeam sink: write failed', expect.objectContaining({ message: 'disk full' }));

    fail = false;
    const retried = await handler(post({ events }));
    expect(retried.status).toBe(202);
    expect(await json(retried)).toEqual({ accepted: 2, rejected: 0, duplicates: 0 });
    expect(batches).toEqual([events]);
  });

  it('still remembers ids written before a failed batch', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let fail = false;
    const handler = createSinkHandler({
      write: () => {
        if (fail) throw new Error('disk full');
      },
    });
    const old = validEvent();
    await handler(post({ events: [old] }));
    fail = true;
    const fresh = validEvent();
    expect((await handler(post({ events: [old, fresh] }))).status).toBe(503);
    fail = false;
    expect(await json(await handler(post({ events: [old, fresh] })))).toEqual({ accepted: 1, rejected: 0, duplicates: 1 });
  });
});

describe('createSinkHandler: deep nesting', () => {
  const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it.each([
    ['an attribute', (depth: number) => `{"events":[${JSON.stringify(validEvent()).slice(0, -1)},"deep":${nested(depth)}}]}`],
    ['the body itself', (depth: number) => nested(depth)],
    ['an event of objects', (depth: number) => `{"events":[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]}`],
  ])('answers 400 to %s nested 100,000 levels, and writes nothing', async (_name, body) => {
    const sink = recordingWriter();
    const handler = createSinkHandler({ write: sink.write });
    const response = await handler(post(body(100_000)));
    expect(response.status).toBe(400);
    expect((await json(response)).error).toBe('body nests objects or arrays deeper than 64 levels');
    expect(sink.batches).toEqual([]);
    await expectStillServing(handler);
  });

  it('keeps an attribute nested to the limit, and brackets inside strings do not count', async () => {
    const sink = recordingWriter();
    const handler = createSinkHandler({ write: sink.write });
    // The body, the events array and the event are three levels; the attribute has the rest.
    const event = validEvent({ deep: JSON.parse(nested(61)), text: '[[[[{{{{\\"'.repeat(50) });
    const response = await handler(post({ events: [event] }));
    expect(response.status).toBe(202);
    expect(sink.batches).toEqual([[event]]);
    const over = validEvent({ deep: JSON.parse(nested(62)) });
    expect((await handler(post({ events: [over] }))).status).toBe(400);
  });
});

describe('createSinkHandler: options', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['maxBodyBytes of 0', { maxBodyBytes: 0 }, /maxBodyBytes must be an integer of at least 1, got 0/],
    ['a fractional maxBodyBytes', { maxBodyBytes: 1.5 }, /maxBodyBytes/],
    ['a negative dedupeSize', { dedupeSize: -1 }, /dedupeSize must be an integer of at least 0/],
    ['a non-function write', { write: 'stdout' }, /write must be a function/],
    ['an origin that is not a URL', { allowedOrigins: ['localhost:5173'] }, /allowedOrigins entry "localhost:5173"/],
    ['an origin that is not http', { allowedOrigins: ['ftp://files.example.com'] }, /must be an http\(s\) origin/],
    ['a single origin string', { allowedOrigins: APP }, /allowedOrigins must be an array of origins or '\*'/],
  ])('throws at creation for %s', (_name, options, message) => {
    expect(() => createSinkHandler(options as never)).toThrow(message);
  });
});
