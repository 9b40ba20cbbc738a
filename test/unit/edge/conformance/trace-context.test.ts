// W3C Trace Context conformance of `withTelemetry`, written from the Recommendation's text
// (https://www.w3.org/TR/trace-context-2/) and covering every rule the W3C test suite checks, over
// real HTTP on 127.0.0.1: a client sends raw header lines (repeated fields, any casing) to the
// service, which calls back a recorder once per requested call. Both ways of calling out are run.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../servers';
import { closeServers, startSink, type Sink } from '../helpers';
import { startTraceContextService, type FetchStyle } from './service';

const TRACE = '12345678901234567890123456789012';
const PARENT = '1234567890123456';
const VALID = `00-${TRACE}-${PARENT}-01`;
const OUT = /^00-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;

/** What one callback brought: every header line as received, names lower-cased. */
type Lines = Array<[string, string]>;

let sink: Sink;
let recorder: string;
const callbacks = new Map<string, Lines>();
let next = 0;

beforeAll(async () => {
  sink = await startSink();
  recorder = await listen((req, res) => {
    const lines: Lines = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
    callbacks.set(req.url!, lines);
    req.resume();
    req.on('end', () => res.end('null'));
  });
});

afterAll(closeServers);

/** POSTs raw header lines to the service, asking it for `count` callbacks; resolves to what each callback got. */
function send(service: string, headers: Array<[string, string]>, count = 1): Promise<Lines[]> {
  const ids = Array.from({ length: count }, () => `/cb/${next++}`);
  const body = JSON.stringify(ids.map((id) => ({ url: recorder + id, arguments: [] })));
  return new Promise((resolve, reject) => {
    // A name given several values goes out as that many header lines, in order, with the name's casing.
    const raw: Record<string, string[]> = { 'content-type': ['application/json'] };
    for (const [name, value] of headers) (raw[name] ??= []).push(value);
    const req = httpRequest(service, { method: 'POST', headers: raw }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(ids.map((id) => callbacks.get(id)!)) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const all = (lines: Lines, name: string): string[] => lines.filter(([key]) => key === name).map(([, value]) => value);

/** The one traceparent a callback got (the Recommendation: "MUST send it"), parsed; and its tracestate. */
function context(lines: Lines): { trace: string; parent: string; flags: string; state: string | undefined } {
  const traceparent = all(lines, 'traceparent');
  expect(traceparent).toHaveLength(1);
  const match = OUT.exec(traceparent[0]);
  expect(match, traceparent[0]).not.toBeNull();
  const states = all(lines, 'tracestate');
  return { trace: match![1], parent: match![2], flags: match![3], state: states.length ? states.join(',') : undefined };
}

/** Members of a tracestate as [key, value], for the assertions below. */
const members = (state: string | undefined): Array<[string, string]> =>
  (state ?? '')
    .split(',')
    .filter(Boolean)
    .map((member) => [member.slice(0, member.indexOf('=')), member.slice(member.indexOf('=') + 1)]);

describe.each<FetchStyle>(['telemetry.fetch', 'global fetch'])('W3C Trace Context, calls through %s', (style) => {
  let service: string;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ url: service, stop } = await startTraceContextService(style, sink.url));
  });
  afterAll(() => stop());

  const one = async (headers: Array<[string, string]>) => context((await send(service, headers))[0]);
  const continued = async (headers: Array<[string, string]>) => {
    const out = await one(headers);
    expect(out.trace).toBe(TRACE);
    expect(out.parent).not.toBe(PARENT);
    return out;
  };
  const restarted = async (headers: Array<[string, string]>) => {
    const out = await one(headers);
    expect(out.trace).not.toBe(TRACE);
    expect(out.trace).not.toMatch(/^0+$/);
    return out;
  };
  const withState = (state: string | string[]): Array<[string, string]> => [
    ['traceparent', `00-${TRACE}-${PARENT}-00`],
    ...(Array.isArray(state) ? state : [state]).map((value) => ['tracestate', value] as [string, string]),
  ];

  describe('traceparent', () => {
    it('starts a valid trace when none came ("SHOULD generate traceparent headers for outbound requests")', async () => {
      const out = await one([]);
      expect(out.trace).not.toMatch(/^0+$/);
      expect(out.parent).not.toMatch(/^0+$/);
      // Sampled, and Level 2's random-trace-id: the id is 16 random bytes.
      expect(out.flags).toBe('03');
      expect(out.state).toBeUndefined();
    });

    it('continues a valid version 00 with a new parent-id, the trace-id and the flags', async () => {
      expect((await continued([['traceparent', VALID]])).flags).toBe('01');
      expect((await continued([['traceparent', `00-${TRACE}-${PARENT}-00`]])).flags).toBe('00');
    });

    it('reads the header name case-insensitively', async () => {
      for (const name of ['TraceParent', 'TrAcEpArEnT', 'TRACEPARENT']) await continued([[name, VALID]]);
    });

    it('ignores other names (trace-parent, trace.parent)', async () => {
      for (const name of ['trace-parent', 'trace.parent']) await restarted([[name, VALID]]);
    });

    it('restarts on a repeated traceparent (not a list)', async () => {
      await restarted([
        ['traceparent', VALID],
        ['traceparent', `00-${'1'.repeat(32)}-${PARENT}-01`],
      ]);
    });

    it('ignores optional whitespace around the value', async () => {
      for (const value of [` ${VALID}`, `\t${VALID}`, `${VALID} `, `${VALID}\t`, `\t ${VALID} \t`]) await continued([['traceparent', value]]);
    });

    it('reads a future version for the fields 00 defines, and writes 00', async () => {
      await continued([['traceparent', `cc-${TRACE}-${PARENT}-01`]]);
      await continued([['traceparent', `cc-${TRACE}-${PARENT}-01-what-the-future-will-be-like`]]);
      // A future version's fields are still separated by a dash.
      await restarted([['traceparent', `cc-${TRACE}-${PARENT}-01.what-the-future-will-not-be-like`]]);
    });

    it.each([
      ['version ff', `ff-${TRACE}-${PARENT}-01`],
      ['version 00 with more fields', `00-${TRACE}-${PARENT}-01-what-the-future-will-be-like`],
      ['version with illegal characters', `.0-${TRACE}-${PARENT}-01`],
      ['version with upper-case hex', `0A-${TRACE}-${PARENT}-01`],
      ['version too long', `000-${TRACE}-${PARENT}-01`],
      ['version too short', `0-${TRACE}-${PARENT}-01`],
      ['trace-id all zero', `00-${'0'.repeat(32)}-${PARENT}-01`],
      ['trace-id with illegal characters', `00-${TRACE.slice(0, 31)}.-${PARENT}-01`],
      ['upper-case trace-id', `00-ABCDEF78901234567890123456789012-${PARENT}-01`],
      ['trace-id too long', `00-${TRACE}3-${PARENT}-01`],
      ['trace-id too short', `00-${TRACE.slice(1)}-${PARENT}-01`],
      ['parent-id all zero', `00-${TRACE}-${'0'.repeat(16)}-01`],
      ['parent-id with illegal characters', `00-${TRACE}-${PARENT.slice(0, 15)}.-01`],
      ['upper-case parent-id', `00-${TRACE}-ABCDEF7890123456-01`],
      ['parent-id too long', `00-${TRACE}-${PARENT}7-01`],
      ['parent-id too short', `00-${TRACE}-${PARENT.slice(1)}-01`],
      ['flags with illegal characters', `00-${TRACE}-${PARENT}-.0`],
      ['flags too long', `00-${TRACE}-${PARENT}-001`],
      ['flags too short', `00-${TRACE}-${PARENT}-1`],
    ])('restarts the trace on %s, dropping tracestate', async (_why, value) => {
      const out = await restarted([
        ['traceparent', value],
        ['tracestate', 'foo=1'],
      ]);
      expect(out.state).toBeUndefined();
    });

    it('passes the random flag on (Level 2), and writes unknown flags as zero', async () => {
      expect((await continued([['traceparent', `00-${TRACE}-${PARENT}-02`]])).flags).toBe('02');
      expect((await continued([['traceparent', `00-${TRACE}-${PARENT}-03`]])).flags).toBe('03');
      expect((await continued([['traceparent', `00-${TRACE}-${PARENT}-ff`]])).flags).toBe('03');
      expect((await continued([['traceparent', `00-${TRACE}-${PARENT}-fc`]])).flags).toBe('00');
    });

    it('gives every outgoing request its own parent-id: with a valid, without and with an invalid traceparent', async () => {
      for (const headers of [[['traceparent', VALID]], [], [['traceparent', `00-${'0'.repeat(32)}-${PARENT}-01`]]] as Array<Array<[string, string]>>) {
        const outs = (await send(service, headers, 3)).map(context);
        expect(new Set(outs.map((out) => out.trace)).size).toBe(1);
        expect(new Set(outs.map((out) => out.parent)).size).toBe(3);
        if (headers.length && headers[0][1] === VALID) expect(outs[0].trace).toBe(TRACE);
        expect(outs[0].trace).not.toMatch(/^0+$/);
      }
    });
  });

  describe('tracestate', () => {
    it('is discarded without a traceparent ("it is invalid and MUST be discarded")', async () => {
      expect((await restarted([['tracestate', 'foo=1,bar=2']])).state).toBeUndefined();
    });

    it('is passed on with a valid traceparent, its name read case-insensitively', async () => {
      expect(members((await continued(withState('foo=1,bar=2'))).state)).toEqual([
        ['foo', '1'],
        ['bar', '2'],
      ]);
      for (const name of ['TraceState', 'TrAcEsTaTe', 'TRACESTATE']) {
        const out = await continued([
          ['traceparent', VALID],
          [name, 'foo=1'],
        ]);
        expect(members(out.state)).toEqual([['foo', '1']]);
      }
    });

    it('ignores other names (trace-state, trace.state)', async () => {
      for (const name of ['trace-state', 'trace.state'])
        expect(
          (
            await continued([
              ['traceparent', VALID],
              [name, 'foo=1'],
            ])
          ).state,
        ).toBeUndefined();
    });

    it('accepts empty headers, and sends none for them', async () => {
      expect((await continued(withState(''))).state).toBeUndefined();
      expect(members((await continued(withState(['foo=1', '']))).state)).toEqual([['foo', '1']]);
      expect(members((await continued(withState(['', 'foo=1']))).state)).toEqual([['foo', '1']]);
    });

    it('combines repeated headers in order (RFC 9110 §5.3)', async () => {
      const out = await continued(withState(['foo=1,bar=2', 'rojo=1,congo=2', 'baz=3']));
      expect(out.state).toBe('foo=1,bar=2,rojo=1,congo=2,baz=3');
    });

    it('passes duplicated keys on, in one header or across headers', async () => {
      expect((await continued(withState('foo=1,foo=1'))).state).toBe('foo=1,foo=1');
      expect((await continued(withState('foo=1,foo=2'))).state).toBe('foo=1,foo=2');
      expect((await continued(withState(['foo=1', 'foo=2']))).state).toBe('foo=1,foo=2');
    });

    it('takes every allowed character of keys and values', async () => {
      const key = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
      const value = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i))
        .filter((c) => c !== ',' && c !== '=')
        .join('');
      for (const k of [key, `${key}@a-z0-9_-*/`]) expect(members((await continued(withState(`${k}=${value}`))).state)).toEqual([[k, value]]);
    });

    it('ignores spaces and tabs around members', async () => {
      for (const value of ['foo=1 \t , \t bar=2, \t baz=3', 'foo=1\t \t,\t \tbar=2,\t \tbaz=3']) {
        expect(members((await continued(withState(value))).state)).toEqual([
          ['foo', '1'],
          ['bar', '2'],
          ['baz', '3'],
        ]);
      }
      for (const value of [' foo=1', '\tfoo=1', 'foo=1 ', 'foo=1\t', '\t foo=1 \t']) expect((await continued(withState(value))).state).toBe('foo=1');
    });

    it.each([
      ['a space in a key', 'foo =1,bar=2'],
      ['an upper-case key', 'FOO=1,bar=2'],
      ['a dot in a key', 'foo.bar=1,bar=2'],
      ['a key starting with @', '@foo=1,bar=2'],
      ['a key of 257 characters', `bar=2,${'z'.repeat(257)}=1`],
      ['a value with =', 'foo=bar=baz,bar=2'],
      ['an empty value', 'foo=,bar=2'],
      ['33 members', Array.from({ length: 33 }, (_, i) => `bar${String(i + 1).padStart(2, '0')}=${i}`).join(',')],
    ])('is discarded whole for %s', async (_why, value) => {
      const out = await continued(withState(value));
      expect(out.state).toBeUndefined();
      // The trace goes on: "failure to parse tracestate MUST NOT affect the parsing of traceparent".
      expect(out.trace).toBe(TRACE);
    });

    it('takes the keys Level 2 allows: @ anywhere but first, 256 characters in all', async () => {
      for (const key of [
        'foo@',
        'foo@@bar',
        'foo@bar@baz',
        'z'.repeat(256),
        `${'t'.repeat(241)}@${'v'.repeat(14)}`,
        `${'t'.repeat(242)}@v`,
        `t@${'v'.repeat(15)}`,
        '1tenant@1vendor',
      ]) {
        expect(members((await continued(withState(['foo=1', `${key}=1`]))).state)).toEqual([
          ['foo', '1'],
          [key, '1'],
        ]);
      }
    });

    it('keeps 32 members, in order, across headers', async () => {
      const list = Array.from({ length: 32 }, (_, i) => `bar${String(i + 1).padStart(2, '0')}=${String(i + 1).padStart(2, '0')}`);
      const out = await continued(
        withState([list.slice(0, 10).join(','), list.slice(10, 20).join(','), list.slice(20, 30).join(','), list.slice(30).join(',')]),
      );
      expect(out.state).toBe(list.join(','));
    });

    it('passes 512 characters on, and truncates longer ones by whole entries, those over 128 first', async () => {
      const fits = ['a', 'b', 'c', 'd'].map((key, i) => `${key}=${'v'.repeat(i === 3 ? 126 : 125)}`).join(',');
      expect(fits).toHaveLength(512);
      expect((await continued(withState(fits))).state).toBe(fits);
      const long = `l=${'x'.repeat(200)}`;
      const short = Array.from({ length: 8 }, (_, i) => `s${i}=${'s'.repeat(50)}`);
      // 8 short members (53 each) and the long one: 629 characters; without the long one: 431.
      expect((await continued(withState([short.slice(0, 4).join(','), long, short.slice(4).join(',')]))).state).toBe(short.join(','));
      const many = Array.from({ length: 12 }, (_, i) => `k${String(i).padStart(2, '0')}=${'v'.repeat(96)}`);
      expect((await continued(withState(many.join(',')))).state).toBe(many.slice(0, 5).join(','));
    });

    it('goes on every outgoing request, unchanged', async () => {
      const outs = (await send(service, withState('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'), 3)).map(context);
      expect(outs.map((out) => out.state)).toEqual(Array(3).fill('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'));
    });
  });
});
