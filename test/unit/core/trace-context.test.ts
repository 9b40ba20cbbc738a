// Cases drawn from the text of W3C Trace Context (the Recommendation, Level 1):
// https://www.w3.org/TR/trace-context/ — section names are given with each group.
import { describe, expect, it } from 'vitest';
import { continueTrace, formatTraceparent, formatTracestate, parseTraceparent, parseTracestate, type TraceStateEntry } from '../../../src/core/trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const VALID = `00-${TRACE}-${SPAN}-01`;

type Parsed = { traceId: string; spanId: string; flags: number } | null;
const ok = (flags = 1, traceId = TRACE, spanId = SPAN): Parsed => ({ traceId, spanId, flags });

// [why (spec section), header value, expected]
const TRACEPARENT_CASES: Array<[string, string | null | undefined, Parsed]> = [
  // §3.2.2 examples
  ['example: sampled', VALID, ok(1)],
  ['example: not sampled', `00-${TRACE}-${SPAN}-00`, ok(0)],
  ['example of §2: 0af76519...', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', ok(1, '0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331')],
  // §3.2.2.1 version
  ['version ff is forbidden', `ff-${TRACE}-${SPAN}-01`, null],
  ['version with a non-hex character', `.0-${TRACE}-${SPAN}-01`, null],
  ['version with a non-hex second character', `0.-${TRACE}-${SPAN}-01`, null],
  ['version of 3 digits', `000-${TRACE}-${SPAN}-01`, null],
  ['version of 1 digit', `0-${TRACE}-${SPAN}-01`, null],
  ['version in upper case (HEXDIGLC)', `0A-${TRACE}-${SPAN}-01`, null],
  // §3.2.4 versioning of traceparent: a higher version is parsed for the fields of 00
  ['future version cc', `cc-${TRACE}-${SPAN}-01`, ok(1)],
  ['future version with more fields after a dash', `cc-${TRACE}-${SPAN}-01-what-the-future-will-be-like`, ok(1)],
  ['future version: what follows the flags must be a dash', `cc-${TRACE}-${SPAN}-01.what-the-future-will-be-like`, null],
  ['future version shorter than 55 characters', `cc-${TRACE}-${SPAN}-0`, null],
  ['future version: unknown flags are set to zero', `01-${TRACE}-${SPAN}-ff`, ok(3)],
  ['version 00 with trailing data after a dash', `00-${TRACE}-${SPAN}-01-what-the-future-will-be-like`, null],
  ['version 00 with a trailing character', `${VALID}.`, null],
  // §3.2.2.3 trace-id
  ['trace-id all zeros', `00-${'0'.repeat(32)}-${SPAN}-01`, null],
  ['trace-id with a non-hex character first', `00-.${TRACE.slice(1)}-${SPAN}-01`, null],
  ['trace-id with a non-hex character last', `00-${TRACE.slice(0, 31)}.-${SPAN}-01`, null],
  ['trace-id of 33 digits', `00-${TRACE}3-${SPAN}-01`, null],
  ['trace-id of 31 digits', `00-${TRACE.slice(1)}-${SPAN}-01`, null],
  ['trace-id in upper case', `00-${TRACE.toUpperCase()}-${SPAN}-01`, null],
  // §3.2.2.4 parent-id
  ['parent-id all zeros', `00-${TRACE}-${'0'.repeat(16)}-01`, null],
  ['parent-id with a non-hex character', `00-${TRACE}-.${SPAN.slice(1)}-01`, null],
  ['parent-id of 17 digits', `00-${TRACE}-${SPAN}7-01`, null],
  ['parent-id of 15 digits', `00-${TRACE}-${SPAN.slice(1)}-01`, null],
  ['parent-id in upper case', `00-${TRACE}-00F067AA0BA902B7-01`, null],
  // §3.2.2.5 trace-flags
  ['flags with a non-hex character', `00-${TRACE}-${SPAN}-.0`, null],
  ['flags of 3 digits', `00-${TRACE}-${SPAN}-001`, null],
  ['flags of 1 digit', `00-${TRACE}-${SPAN}-1`, null],
  ['flags in upper case', `00-${TRACE}-${SPAN}-0A`, null],
  ['flags: sampled and random-trace-id (Level 2) are kept', `00-${TRACE}-${SPAN}-03`, ok(3)],
  ['flags: reserved bits are set to zero ("Other Flags")', `00-${TRACE}-${SPAN}-09`, ok(1)],
  ['flags: only reserved bits', `00-${TRACE}-${SPAN}-fc`, ok(0)],
  // separators
  ['underscore instead of dash', `00_${TRACE}_${SPAN}_01`, null],
  ['a separator missing', `00${TRACE}-${SPAN}-01`, null],
  // RFC 9110 OWS around a field value
  ['leading space and tab', ` \t${VALID}`, ok(1)],
  ['trailing space and tab', `${VALID} \t`, ok(1)],
  // a repeated header: Headers.get() joins the fields with ", "
  ['two traceparent headers, different trace ids', `00-${TRACE}-${SPAN}-01, 00-12345678901234567890123456789012-${SPAN}-01`, null],
  ['two identical traceparent headers', `${VALID}, ${VALID}`, null],
  ['two future-version traceparent headers', `cc-${TRACE}-${SPAN}-01, cc-${TRACE}-${SPAN}-01`, null],
  // absent or empty
  ['empty', '', null],
  ['absent (null)', null, null],
  ['absent (undefined)', undefined, null],
];

const ALL_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
const ALL_VALUE_CHARS = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i))
  .filter((c) => c !== ',' && c !== '=')
  .join('');
const members = (count: number): string => Array.from({ length: count }, (_, i) => `k${i}=${i}`).join(',');

// [why (spec section), header value, expected entries or null for "discard the whole header"]
const TRACESTATE_CASES: Array<[string, string | null | undefined, TraceStateEntry[] | null]> = [
  // §3.3.1.3 examples
  ['one member', 'rojo=00f067aa0ba902b7', [['rojo', '00f067aa0ba902b7']]],
  [
    'two members, order kept',
    'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
    [
      ['rojo', '00f067aa0ba902b7'],
      ['congo', 't61rcWkgMzE'],
    ],
  ],
  // §3.3.1.1 list: OWS around members, empty members
  [
    'spaces and tabs around members are ignored',
    'foo=1 \t , \t bar=2, \t baz=3',
    [
      ['foo', '1'],
      ['bar', '2'],
      ['baz', '3'],
    ],
  ],
  ['leading OWS', '\t foo=1', [['foo', '1']]],
  ['trailing OWS is not part of the value', 'foo=1 \t', [['foo', '1']]],
  ['empty header is accepted', '', []],
  ['whitespace-only header', ' \t ', []],
  [
    'empty list members are allowed',
    'foo=1,,bar=2,',
    [
      ['foo', '1'],
      ['bar', '2'],
    ],
  ],
  ['absent', null, []],
  // §3.3.1.3 repeated headers combined (as Headers.get() does)
  [
    'combined fields keep their order',
    'foo=1,bar=2, rojo=1,congo=2, baz=3',
    [
      ['foo', '1'],
      ['bar', '2'],
      ['rojo', '1'],
      ['congo', '2'],
      ['baz', '3'],
    ],
  ],
  ['an empty field among combined fields', 'foo=1, ', [['foo', '1']]],
  // at most 32 list-members
  ['32 members are kept', members(32), Array.from({ length: 32 }, (_, i) => [`k${i}`, String(i)] as TraceStateEntry)],
  ['33 members: discarded', members(33), null],
  // Level 2 key: ( lcalpha / DIGIT ) 0*255 ( keychar ), keychar with `@`; at most 256 characters
  ['key with every allowed character', `${ALL_KEY_CHARS}=1`, [[ALL_KEY_CHARS, '1']]],
  ['key with every allowed character and an @ part', `${ALL_KEY_CHARS}@a-z0-9_-*/=1`, [[`${ALL_KEY_CHARS}@a-z0-9_-*/`, '1']]],
  ['key of 256 characters', `${'z'.repeat(256)}=1`, [['z'.repeat(256), '1']]],
  ['key of 257 characters: discarded', `foo=1,${'z'.repeat(257)}=1`, null],
  ['241 + @ + 14 characters', `${'t'.repeat(241)}@${'v'.repeat(14)}=1`, [[`${'t'.repeat(241)}@${'v'.repeat(14)}`, '1']]],
  [
    'a 242-character part before @ (Level 1 refused it)',
    `foo=1,${'t'.repeat(242)}@v=1`,
    [
      ['foo', '1'],
      [`${'t'.repeat(242)}@v`, '1'],
    ],
  ],
  [
    'a 15-character part after @ (Level 1 refused it)',
    `foo=1,t@${'v'.repeat(15)}=1`,
    [
      ['foo', '1'],
      [`t@${'v'.repeat(15)}`, '1'],
    ],
  ],
  ['@ parts of 256 characters in all', `${'t'.repeat(250)}@${'v'.repeat(5)}=1`, [[`${'t'.repeat(250)}@${'v'.repeat(5)}`, '1']]],
  ['@ parts of 257 characters in all: discarded', `foo=1,${'t'.repeat(250)}@${'v'.repeat(6)}=1`, null],
  ['key may start with a digit', '1vendor=1', [['1vendor', '1']]],
  ['part after @ may start with a digit', 'tenant@1vendor=1', [['tenant@1vendor', '1']]],
  ['upper-case key', 'FOO=1', null],
  ['space inside the key', 'foo =1', null],
  ['dot in the key', 'foo.bar=1', null],
  ['key starting with @: discarded', '@foo=1,bar=2', null],
  [
    'key ending with @',
    'foo@=1,bar=2',
    [
      ['foo@', '1'],
      ['bar', '2'],
    ],
  ],
  [
    'two @ in a row',
    'foo@@bar=1,bar=2',
    [
      ['foo@@bar', '1'],
      ['bar', '2'],
    ],
  ],
  [
    'two @ in the key',
    'foo@bar@baz=1,bar=2',
    [
      ['foo@bar@baz', '1'],
      ['bar', '2'],
    ],
  ],
  ['empty key', '=1', null],
  // §3.3.1.3.2 value
  ['value with every allowed character, leading space kept', `foo=${ALL_VALUE_CHARS}`, [['foo', ALL_VALUE_CHARS.trimEnd()]]],
  ['value of 256 characters', `foo=${'v'.repeat(256)}`, [['foo', 'v'.repeat(256)]]],
  ['value of 257 characters', `foo=${'v'.repeat(257)}`, null],
  ['value with =', 'foo=bar=baz', null],
  ['empty value', 'foo=,bar=3', null],
  ['member without =', 'foo,bar=3', null],
  ['value with a tab inside', 'foo=a\tb', null],
  ['value with a non-ASCII character', 'foo=é', null],
  // A repeated key is read, not refused: the list is passed on as it came
  [
    'duplicated key, same value',
    'foo=1,foo=1',
    [
      ['foo', '1'],
      ['foo', '1'],
    ],
  ],
  [
    'duplicated key across combined fields',
    'foo=1, foo=2',
    [
      ['foo', '1'],
      ['foo', '2'],
    ],
  ],
  ['32 members counting duplicates', `${members(31)},k0=0`, [...Array.from({ length: 31 }, (_, i) => [`k${i}`, String(i)] as TraceStateEntry), ['k0', '0']]],
  ['33 members counting duplicates: discarded', `${members(32)},k0=0`, null],
];

describe('parseTraceparent', () => {
  it.each(TRACEPARENT_CASES)('%s', (_why, header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected);
  });
});

describe('parseTracestate', () => {
  it.each(TRACESTATE_CASES)('%s', (_why, header, expected) => {
    expect(parseTracestate(header)).toEqual(expected);
  });
});

describe('formatTraceparent', () => {
  it('writes version 00 with two-digit lowercase flags', () => {
    expect(formatTraceparent(TRACE, SPAN, 1)).toBe(VALID);
    expect(formatTraceparent(TRACE, SPAN, 0)).toBe(`00-${TRACE}-${SPAN}-00`);
    expect(formatTraceparent(TRACE, SPAN, 0x1ff)).toBe(`00-${TRACE}-${SPAN}-ff`);
  });

  it('round-trips through parseTraceparent', () => {
    const parsed = parseTraceparent(formatTraceparent(TRACE, SPAN, 3));
    expect(parsed).toEqual(ok(3));
  });
});

describe('formatTracestate', () => {
  it('writes members without optional whitespace', () => {
    expect(
      formatTracestate([
        ['rojo', '00f067aa0ba902b7'],
        ['congo', 't61rcWkgMzE'],
      ]),
    ).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  });

  it('keeps the left-most (newest) entry of a key: an update moves it to the front', () => {
    const received = parseTracestate('rojo=1,congo=2')!;
    expect(formatTracestate([['congo', '3'], ...received])).toBe('congo=3,rojo=1');
  });

  it('drops the right-most members past 32 when an entry is added', () => {
    const received = parseTracestate(members(32))!;
    const written = formatTracestate([['mine', 'x'], ...received]);
    expect(written.split(',')).toHaveLength(32);
    expect(written.startsWith('mine=x,k0=0')).toBe(true);
    expect(written).not.toContain('k31=');
  });

  it('drops members past 512 characters, those over 128 first', () => {
    const written = formatTracestate([['mine', 'x'.repeat(200)], ...Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v'.repeat(50)] as TraceStateEntry)]);
    // 10 members of 53 characters and 9 commas: 539, too long with or without `mine`; `mine` goes first, then k9.
    expect(written).toBe(Array.from({ length: 9 }, (_, i) => `k${i}=${'v'.repeat(50)}`).join(','));
  });

  it('leaves out invalid members', () => {
    expect(
      formatTracestate([
        ['Bad', '1'],
        ['ok', ''],
        ['ok', 'a,b'],
        ['good', '1'],
      ]),
    ).toBe('good=1');
  });

  it('round-trips what parseTracestate accepted', () => {
    const header = `foo=1,${ALL_KEY_CHARS}@vendor= leading space kept`;
    expect(formatTracestate(parseTracestate(header)!)).toBe(header);
  });
});

describe('continueTrace', () => {
  it('continues a valid traceparent with a new span id and the same flags', () => {
    const hop = continueTrace(`00-${TRACE}-${SPAN}-00`, 'rojo=1');
    expect(hop).toEqual({ traceId: TRACE, spanId: expect.stringMatching(/^[\da-f]{16}$/), parentSpanId: SPAN, flags: 0, traceState: 'rojo=1' });
    expect(hop.spanId).not.toBe(SPAN);
  });

  it('gives each hop its own span id', () => {
    expect(continueTrace(VALID).spanId).not.toBe(continueTrace(VALID).spanId);
  });

  it('downgrades a future version to 00 fields, keeping the known flags', () => {
    expect(continueTrace(`cc-${TRACE}-${SPAN}-ff-more`)).toMatchObject({ traceId: TRACE, parentSpanId: SPAN, flags: 3 });
  });

  it('passes tracestate on normalized: combined, without empty members and whitespace', () => {
    expect(continueTrace(VALID, 'congo=t61rcWkgMzE ,, rojo=00f067aa0ba902b7 , ').traceState).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
  });

  it('drops an invalid tracestate but keeps the trace ("failure to parse tracestate MUST NOT affect traceparent")', () => {
    expect(continueTrace(VALID, '@foo=1,bar=2')).toMatchObject({ traceId: TRACE, parentSpanId: SPAN, traceState: undefined });
  });

  it('passes duplicated keys on as they came', () => {
    expect(continueTrace(VALID, 'foo=1, foo=2,bar=3').traceState).toBe('foo=1,foo=2,bar=3');
  });

  it('passes 512 characters on whole', () => {
    // 4 members of 127 characters and 3 commas: 511; one more character in the last value: 512.
    const header = ['a', 'b', 'c', 'd'].map((key, i) => `${key}=${'v'.repeat(i === 3 ? 126 : 125)}`).join(',');
    expect(header).toHaveLength(512);
    expect(continueTrace(VALID, header).traceState).toBe(header);
  });

  it('past 512 characters, drops members over 128 characters first, right-most first', () => {
    const long = (key: string): string => `${key}=${'x'.repeat(200)}`;
    const short = (key: string): string => `${key}=${'s'.repeat(50)}`;
    // 3 long (202 each) and 3 short (52 each) members: 767 characters with commas.
    const header = [long('l1'), short('s1'), long('l2'), short('s2'), long('l3'), short('s3')].join(',');
    // Dropping l3 leaves 564, dropping l2 too leaves 361: l1 stays, every short member stays.
    expect(continueTrace(VALID, header).traceState).toBe([long('l1'), short('s1'), short('s2'), short('s3')].join(','));
  });

  it('past 512 characters without long members, drops members from the end', () => {
    // 12 members of 100 characters ("kNN=" and 96 v's): only 5 fit in 512 (5 * 100 + 4 = 504).
    const header = Array.from({ length: 12 }, (_, i) => `k${String(i).padStart(2, '0')}=${'v'.repeat(96)}`).join(',');
    const kept = continueTrace(VALID, header).traceState!;
    expect(kept).toBe(header.split(',').slice(0, 5).join(','));
    expect(kept.length).toBeLessThanOrEqual(512);
  });

  it('has no tracestate when the header is empty', () => {
    expect(continueTrace(VALID, '').traceState).toBeUndefined();
  });

  it('starts a sampled trace with a random id (Level 2 random flag) when traceparent is invalid, dropping tracestate', () => {
    const hop = continueTrace(`00-${'0'.repeat(32)}-${SPAN}-01`, 'rojo=1');
    expect(hop.traceId).toMatch(/^[\da-f]{32}$/);
    expect(hop.traceId).not.toBe('0'.repeat(32));
    expect(hop.flags).toBe(3);
    expect(hop.parentSpanId).toBeUndefined();
    expect(hop.traceState).toBeUndefined();
  });

  it('starts a trace when traceparent is absent ("tracestate without traceparent MUST be discarded")', () => {
    const hop = continueTrace(null, 'foo=1');
    expect(hop.flags).toBe(3);
    expect(hop.parentSpanId).toBeUndefined();
    expect(hop.traceState).toBeUndefined();
  });

  it('starts a new trace for a repeated traceparent', () => {
    expect(continueTrace(`${VALID}, ${VALID}`).traceId).not.toBe(TRACE);
  });

  it('adopts the correlation header as the new trace id when it is 32 hex digits, without the random flag', () => {
    expect(continueTrace(null, null, '12345678901234567890123456789012')).toMatchObject({ traceId: '12345678901234567890123456789012', flags: 1 });
    expect(continueTrace('garbage', null, 'ABCDEF78901234567890123456789012').traceId).toBe('abcdef78901234567890123456789012');
  });

  it('prefers a valid traceparent to the correlation header', () => {
    expect(continueTrace(VALID, null, '12345678901234567890123456789012').traceId).toBe(TRACE);
  });

  it.each([
    ['too short', '1234567890123456789012345678901'],
    ['too long', '123456789012345678901234567890123'],
    ['not hex', 'g2345678901234567890123456789012'],
    ['all zeros', '0'.repeat(32)],
    ['a uuid with dashes', '12345678-9012-3456-7890-123456789012'],
  ])('ignores a correlation header that is %s', (_why, value) => {
    const { traceId } = continueTrace(null, null, value);
    expect(traceId).toMatch(/^[\da-f]{32}$/);
    expect(traceId).not.toBe(value);
  });
});
