import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipStack } from '../../../src/core/serialize';
import type { TelemetryEvent } from '../../../src/core/types';
import { completeError, completeErrors } from '../../../src/sink/error-details';
import { jsonLinesFile } from '../../../src/sink/file';
import { fingerprint } from '../../../src/sink/fingerprint';
import { createSinkHandler } from '../../../src/sink/handler';
import { parseStack } from '../../../src/sink/stack-lines';
import { post, recordingWriter, validEvent } from './fixtures';

const V8_STACK = [
  "TypeError: Cannot read properties of undefined (reading 'total')",
  '    at applyDiscount (https://shop.test/static/app.4a41.js:41:13)',
  '    at checkout (https://shop.test/static/app.4a41.js:15:2)',
  '    at HTMLButtonElement.<anonymous> (https://shop.test/static/app.4a41.js:20:7)',
].join('\n');

const errorEvent = (error: Record<string, unknown>): TelemetryEvent =>
  validEvent({
    level: 'error',
    event: 'client_error',
    error: { type: 'TypeError', message: "Cannot read properties of undefined (reading 'total')", handled: false, ...error },
  });

describe('completeError', () => {
  it('reads the frames from the stack and fingerprints the error', () => {
    const event = errorEvent({ stack: V8_STACK });
    const { error } = completeError(event);
    expect(error!.frames).toEqual([
      { function: 'applyDiscount', file: 'https://shop.test/static/app.4a41.js', line: 41, column: 13 },
      { function: 'checkout', file: 'https://shop.test/static/app.4a41.js', line: 15, column: 2 },
      { function: 'HTMLButtonElement.<anonymous>', file: 'https://shop.test/static/app.4a41.js', line: 20, column: 7 },
    ]);
    expect(error!.fingerprint).toMatch(/^[\da-f]{8}$/);
    expect(error!.fingerprint).toBe(fingerprint(error!));
  });

  it('gives frames as JSON would have them: no key set to undefined', () => {
    const { error } = completeError(errorEvent({ stack: 'Error: x\n    at https://shop.test/app.js:1:2\n    at Array.map (<anonymous>)' }));
    expect(error!.frames!.map((frame) => Object.keys(frame))).toEqual([
      ['file', 'line', 'column'],
      ['function', 'file'],
    ]);
  });

  it('gives the fingerprint a client gave when it parsed the same stack in the page', () => {
    const { error } = completeError(errorEvent({ stack: V8_STACK }));
    const inThePage = { type: 'TypeError', message: "Cannot read properties of undefined (reading 'total')", frames: parseStack(clipStack(V8_STACK)) };
    expect(error!.fingerprint).toBe(fingerprint(inThePage));
  });

  it('groups one bug thrown with other ids, from a build with other hashes and lines', () => {
    const a = completeError(errorEvent({ message: 'order 5123 not found', stack: V8_STACK }));
    const b = completeError(errorEvent({ message: 'order 77 not found', stack: V8_STACK.replaceAll('4a41', '9f0e').replace(':41:13', ':52:1') }));
    expect(a.error!.fingerprint).toBe(b.error!.fingerprint);
    const other = completeError(errorEvent({ message: 'order 5123 not found', stack: V8_STACK.replace('applyDiscount', 'applyCoupon') }));
    expect(other.error!.fingerprint).not.toBe(a.error!.fingerprint);
  });

  it('keeps what the event brought and fills only what is missing', () => {
    const frames = [{ function: 'old', file: 'https://shop.test/old.js', line: 1, column: 1 }];
    const both = errorEvent({ stack: V8_STACK, frames, fingerprint: 'f1' });
    expect(completeError(both)).toBe(both);

    const withFrames = completeError(errorEvent({ stack: V8_STACK, frames }));
    expect(withFrames.error!.frames).toBe(frames);
    expect(withFrames.error!.fingerprint).toBe(fingerprint({ type: 'TypeError', message: withFrames.error!.message, frames }));

    const withFingerprint = completeError(errorEvent({ stack: V8_STACK, fingerprint: 'f1' }));
    expect(withFingerprint.error!.fingerprint).toBe('f1');
    expect(withFingerprint.error!.frames).toHaveLength(3);
  });

  it('keeps the one frame an `error` event’s location gave, and fingerprints an error without a stack', () => {
    const at = [{ file: 'https://shop.test/app.js', line: 12, column: 5 }];
    const { error } = completeError(errorEvent({ type: 'string', message: 'oops', frames: at }));
    expect(error!.frames).toBe(at);
    expect(error!.fingerprint).toBe(fingerprint({ type: 'string', message: 'oops', frames: at }));
    const bare = completeError(errorEvent({ type: 'CrossOriginScriptError', message: 'Script error.' }));
    expect(bare.error).not.toHaveProperty('frames');
    expect(bare.error!.fingerprint).toBe(fingerprint({ type: 'CrossOriginScriptError', message: 'Script error.' }));
  });

  it('leaves events without an error object as they are, and never changes the event it is given', () => {
    for (const event of [validEvent(), validEvent({ error: null }), validEvent({ error: 'text' }), validEvent({ error: [1] })]) {
      expect(completeError(event)).toBe(event);
    }
    const event = errorEvent({ stack: V8_STACK });
    const copy = structuredClone(event);
    completeError(event);
    expect(event).toEqual(copy);
  });

  it('gives back the same array when nothing was missing, a new one otherwise', () => {
    const plain = [validEvent(), errorEvent({ frames: [], fingerprint: 'f1' })];
    expect(completeErrors(plain)).toBe(plain);
    const mixed = [validEvent(), errorEvent({ stack: V8_STACK })];
    const out = completeErrors(mixed);
    expect(out).not.toBe(mixed);
    expect(out[0]).toBe(mixed[0]);
    expect(out[1]!.error!.frames).toHaveLength(3);
  });
});

describe('completeError on stacks that fight back', () => {
  it('reads a 1 MB one-line stack in one pass, as the clipped text the page would have sent', () => {
    const started = performance.now();
    const huge = 'Error: x\n    at ' + 'z ('.repeat(350_000);
    const { error } = completeError(errorEvent({ stack: huge }));
    expect(error!.frames!.length).toBeLessThanOrEqual(2);
    for (const frame of error!.frames!) expect((frame.function ?? '').length + (frame.file ?? '').length).toBeLessThanOrEqual(2_100);
    const gecko = completeError(errorEvent({ stack: 'x'.repeat(400_000) + '@' + 'y@'.repeat(200_000) + 'z'.repeat(400_000) }));
    expect(gecko.error!.fingerprint).toMatch(/^[\da-f]{8}$/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('reads 100,000 lines, blank, frames or neither, quickly and keeps at most 50 frames', () => {
    const started = performance.now();
    const frames = completeError(errorEvent({ stack: 'Error: deep\n' + '    at recurse (https://shop.test/app.js:1:1)\n'.repeat(100_000) }));
    expect(frames.error!.frames).toHaveLength(50);
    const blank = completeError(errorEvent({ stack: '\n'.repeat(100_000) }));
    expect(blank.error).not.toHaveProperty('frames');
    const spaces = completeError(errorEvent({ stack: ' \t\n'.repeat(100_000) + '    at f (a.js:1:2)' }));
    expect(spaces.error!.fingerprint).toMatch(/^[\da-f]{8}$/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('reads binary noise without throwing', () => {
    let noise = '';
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      noise += String.fromCharCode(seed % 65_536);
    }
    for (const stack of [noise, '\u0000at \u0000@\ud800:1:2\n\uffff', `Error\n    at ${noise} (x.js:1:2)`]) {
      const { error } = completeError(errorEvent({ stack }));
      expect(error!.fingerprint).toMatch(/^[\da-f]{8}$/);
      // What is written must be JSON that reads back.
      expect(() => JSON.parse(JSON.stringify(error))).not.toThrow();
    }
  });

  it.each([42, null, true, { at: 'x' }, ['    at f (a.js:1:2)']])('gives no frames for a stack of %j, and still a fingerprint', (stack) => {
    const { error } = completeError(errorEvent({ stack }));
    expect(error).not.toHaveProperty('frames');
    expect(error!.fingerprint).toMatch(/^[\da-f]{8}$/);
  });

  it('fingerprints frames a custom sender got wrong without throwing', () => {
    const { error } = completeError(errorEvent({ frames: [null, 'text', 7, { function: { toString: 1 } }] }));
    expect(error!.fingerprint).toMatch(/^[\da-f]{8}$/);
  });

  it('writes an event whose message can not become text as it came', () => {
    const event = errorEvent({
      message: {
        toString: () => {
          throw new Error('no');
        },
      },
      stack: V8_STACK,
    });
    expect(completeError(event)).toBe(event);
  });

  it('keeps keys named like prototypes as plain data, and pollutes nothing', () => {
    const body = `{"events":[${JSON.stringify(errorEvent({ stack: V8_STACK })).slice(0, -1)},"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}}]}`;
    const [event] = (JSON.parse(body) as { events: TelemetryEvent[] }).events;
    const error = event!.error as unknown as Record<string, unknown>;
    Object.defineProperty(error, '__proto__', { value: { polluted: 3 }, enumerable: true, configurable: true, writable: true });
    const out = completeError(event!);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(out.error)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.hasOwn(out.error!, '__proto__')).toBe(true);
    expect(out.error!.frames).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(out))).toMatchObject({ constructor: { prototype: { polluted: 2 } } });
  });
});

describe('the sink’s writers get the frames and the fingerprint', () => {
  it('createSinkHandler fills them in before `write`', async () => {
    const { write, batches } = recordingWriter();
    const handler = createSinkHandler({ write });
    const response = await handler(post({ events: [errorEvent({ stack: V8_STACK }), validEvent(), errorEvent({ stack: V8_STACK, fingerprint: 'mine' })] }));
    expect(await response.json()).toEqual({ accepted: 3, rejected: 0, duplicates: 0 });
    const [error, plain, own] = batches[0]!;
    expect(error!.error).toMatchObject({
      frames: expect.arrayContaining([expect.objectContaining({ function: 'applyDiscount' })]),
      fingerprint: expect.stringMatching(/^[\da-f]{8}$/),
    });
    expect(plain).not.toHaveProperty('error');
    expect(own!.error!.fingerprint).toBe('mine');
  });

  it('refuses a non-string stack with a clear answer, and keeps serving', async () => {
    const { write, batches } = recordingWriter();
    const handler = createSinkHandler({ write });
    const refused = await handler(post({ events: [errorEvent({ stack: { lines: ['at f (a.js:1:2)'] } })] }));
    expect(refused.status).toBe(202);
    expect(await refused.json()).toMatchObject({ accepted: 0, rejected: 1, errors: [{ index: 0, message: expect.stringContaining('stack') }] });
    const next = await handler(post({ events: [errorEvent({ stack: V8_STACK })] }));
    expect(await next.json()).toMatchObject({ accepted: 1 });
    expect(batches.flat()[0]!.error!.frames).toHaveLength(3);
  });

  it('takes a body with prototype-named keys and writes them back as data', async () => {
    const { write, batches } = recordingWriter();
    const handler = createSinkHandler({ write });
    const event = JSON.stringify(errorEvent({ stack: V8_STACK }));
    const body = `{"events":[${event.replace('"handled":false', '"handled":false,"__proto__":{"polluted":1}')}]}`;
    const response = await handler(post(body));
    expect(await response.json()).toMatchObject({ accepted: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const written = batches[0]![0]!;
    expect(written.error!.frames).toHaveLength(3);
    expect(JSON.stringify(written)).toContain('"__proto__":{"polluted":1}');
  });

  it('the JSON-lines file holds them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracebeam-details-'));
    try {
      const path = join(dir, 'events.jsonl');
      const file = jsonLinesFile(path);
      const handler = createSinkHandler({ write: file });
      const sent = errorEvent({ stack: V8_STACK });
      expect((await handler(post({ events: [sent] }))).status).toBe(202);
      await file.close?.();
      const [line] = (await readFile(path, 'utf8')).trim().split('\n');
      const stored = JSON.parse(line!) as TelemetryEvent;
      expect(stored).toEqual({
        ...sent,
        error: { ...sent.error, frames: parseStack(V8_STACK), fingerprint: fingerprint({ ...sent.error!, frames: parseStack(V8_STACK) }) },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
