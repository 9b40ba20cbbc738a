/**
 * W3C Trace Context, the Recommendation (https://www.w3.org/TR/trace-context/) as Level 2 has it
 * (https://www.w3.org/TR/trace-context-2/), and as the W3C test suite's main branch checks it:
 * `traceparent` and `tracestate` are parsed and written here, and so is the choice every server
 * hop makes: continue the caller's trace or start a new one. The browser and the edge share it.
 */
import { newSpanId, newTraceId } from './ids';
import type { TraceContext } from './types';

/**
 * A header as `Headers.get()` gives it: repeated fields joined by ", " (as RFC 9110 §5.3 combines
 * them), null when absent.
 */
export type HeaderValue = string | null | undefined;

/** One `tracestate` list-member: a vendor's key and its opaque value. */
export type TraceStateEntry = [key: string, value: string];

/** The trace of one server hop: the trace it belongs to and the span it opens. */
export interface Hop extends TraceContext {
  /** The span of this hop: new for every hop, the parent of every call the hop makes. */
  spanId: string;
  /** The caller's span, when the incoming `traceparent` was valid. */
  parentSpanId?: string;
  /** The `tracestate` to pass on: the caller's, normalized, when both headers were valid. */
  traceState?: string;
}

/**
 * The flags this implementation knows: `sampled` (01) from Level 1 and `random-trace-id` (02)
 * from Level 2, which must be passed on unchanged while the trace id is kept
 * (https://www.w3.org/TR/trace-context-2/#random-trace-id-flag). Every other bit is reserved and
 * is written as zero (https://www.w3.org/TR/trace-context/#other-flags).
 */
const KNOWN_FLAGS = 0x03;

/** Bit 0: we record every request we see, so a trace we start is sampled. */
const SAMPLED = 0x01;

/**
 * Bit 1, Level 2's `random-trace-id`: our trace ids are 16 random bytes, so a trace we start sets
 * it, as https://www.w3.org/TR/trace-context-2/#random-trace-id-flag says it SHOULD. An id adopted
 * from the correlation header may have been made any way, so it does not.
 */
const RANDOM = 0x02;

/**
 * Version, trace-id, parent-id and trace-flags as lowercase hex (HEXDIGLC: upper case is invalid),
 * then, for versions above 00 only, whatever a future version appends after a dash
 * (https://www.w3.org/TR/trace-context/#versioning-of-traceparent).
 */
const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(-.*)?$/;

/** "Spaces and horizontal tabs surrounding list-members are ignored" (RFC 9110 OWS). */
const OWS = /^[ \t]+|[ \t]+$/g;

/**
 * `key = ( lcalpha / DIGIT ) 0*255 ( keychar )`, where a keychar is a lowercase letter, a digit,
 * `_`, `-`, `*`, `/` or `@`: at most 256 characters, any number of `@` anywhere but first
 * (https://www.w3.org/TR/trace-context-2/#key). Level 1's tenant@system split is gone, so
 * `foo@`, `foo@@bar` and a 245-character tenant are keys.
 */
const KEY = /^[\da-z][\da-z_\-*/@]{0,255}$/;

/**
 * `value = 0*255(chr) nblk-chr`: printable ASCII without `,` and `=`, at most 256 characters,
 * not ending in a space. https://www.w3.org/TR/trace-context/#value
 */
const VALUE = /^[ -+\--<>-~]{0,255}[!-+\--<>-~]$/;

/** "There can be a maximum of 32 list-members in a list." */
const MAX_MEMBERS = 32;

/** "Vendors SHOULD propagate at least 512 characters of a combined header": what we pass on at most. */
const MAX_LENGTH = 512;

/** "Entries larger than 128 characters long SHOULD be removed first" when truncating. */
const LONG_MEMBER = 128;

const ZERO = /^0+$/;

/** `00-<trace_id>-<span_id>-<flags>`; version 00 is the only one we write. */
export function formatTraceparent(traceId: string, spanId: string, flags: number): string {
  return `00-${traceId}-${spanId}-${((flags & 0xff) + 0x100).toString(16).slice(1)}`;
}

/**
 * Parses one `traceparent` value, or returns null when it is invalid and the trace must restart:
 * a version that is not two lowercase hex digits or is `ff`, an id that is all zeros, not lowercase
 * hex or of the wrong length, a wrong separator, anything after the flags of version 00, or a
 * repeated header (the field is not a list, so "a, b" is no valid value). Versions above 00
 * are read for the fields version 00 defines, as the spec asks, so later versions still join the
 * trace. `flags` keeps only the known bits: that is what a hop may pass on.
 */
export function parseTraceparent(value: HeaderValue): (TraceContext & { spanId: string }) | null {
  const match = TRACEPARENT.exec(value?.replace(OWS, '') ?? '');
  if (!match || match[1] === 'ff' || (match[1] === '00' && match[5] !== undefined) || ZERO.test(match[2]) || ZERO.test(match[3])) {
    return null;
  }
  return { traceId: match[2], spanId: match[3], flags: parseInt(match[4], 16) & KNOWN_FLAGS };
}

/** A list-member is valid when its key and value follow the grammar. */
const validMember = ([key, value]: TraceStateEntry): boolean => KEY.test(key) && VALUE.test(value);

/**
 * Parses `tracestate`, repeated fields combined in order as RFC 9110 §5.3 asks. Empty and
 * whitespace-only members are allowed and skipped. Returns null when the header must be discarded
 * as a whole: a member that breaks the grammar, or more than 32 members. Processing model step 3
 * (https://www.w3.org/TR/trace-context-2/#a-traceparent-is-received) lets a vendor discard the
 * entire header that "cannot be parsed", and the W3C suite checks that it is (`@foo=1,bar=2` loses
 * `bar`): a list we can not read is no list whose other members we can vouch for.
 * A repeated key is no parse failure: the list is read as it came, duplicates included, and passed
 * on so (the spec lets a vendor drop duplicates it did not write, and never asks it to).
 */
export function parseTracestate(value: HeaderValue): TraceStateEntry[] | null {
  const entries: TraceStateEntry[] = [];
  for (const raw of (value ?? '').split(',')) {
    const member = raw.replace(OWS, '');
    if (!member) continue;
    const split = member.indexOf('=');
    const entry: TraceStateEntry = [member.slice(0, split), member.slice(split + 1)];
    if (split < 0 || !validMember(entry)) return null;
    entries.push(entry);
  }
  return entries.length > MAX_MEMBERS ? null : entries;
}

/**
 * Joins list-members into a header of at most 512 characters, truncating whole entries the way
 * https://www.w3.org/TR/trace-context-2/#tracestate-limits asks: entries longer than 128
 * characters go first, right-most first, then entries from the end, until the rest fits.
 */
const joinTracestate = (entries: readonly TraceStateEntry[]): string => {
  const members = entries.map((entry) => entry.join('='));
  const fits = (): boolean => members.join(',').length <= MAX_LENGTH;
  for (let i = members.length; i-- && !fits();) if (members[i].length > LONG_MEMBER) members.splice(i, 1);
  while (!fits()) members.pop();
  return members.join(',');
};

/**
 * Writes `tracestate` from entries, newest first. Invalid members are left out, a key keeps only
 * its left-most (newest) entry, past 32 members the right-most go, and past 512 characters whole
 * entries go as `joinTracestate` says, so that adding an entry in front
 * (`[[key, value], ...parsed]`) is a valid mutation
 * (https://www.w3.org/TR/trace-context-2/#mutating-the-tracestate-field).
 */
export function formatTracestate(entries: readonly TraceStateEntry[]): string {
  const seen = new Set<string>();
  return joinTracestate(entries.filter((entry) => validMember(entry) && !seen.has(entry[0]) && !!seen.add(entry[0])).slice(0, MAX_MEMBERS));
}

/**
 * The processing model of a hop (https://www.w3.org/TR/trace-context/#processing-model): a valid
 * `traceparent` is continued with a new span id and its flags, and its `tracestate` passed on; an
 * invalid or missing one starts a new trace and drops `tracestate` ("MUST NOT attempt to parse
 * tracestate"). A new trace adopts `fallbackTraceId` (the correlation header) when it is 32 hex
 * digits and not all zero, so a caller that only sends `x-trace-id` still joins its own trace.
 */
export function continueTrace(traceparent: HeaderValue, tracestate?: HeaderValue, fallbackTraceId?: string | null): Hop {
  const parent = parseTraceparent(traceparent);
  if (parent) {
    const state = parseTracestate(tracestate);
    return {
      traceId: parent.traceId,
      spanId: newSpanId(),
      parentSpanId: parent.spanId,
      flags: parent.flags,
      // Passed on as received, less empty members, optional whitespace and what is over 512 characters.
      traceState: (state && joinTracestate(state)) || undefined,
    };
  }
  const fallback = fallbackTraceId?.replace(OWS, '').toLowerCase() ?? '';
  const adopted = /^[\da-f]{32}$/.test(fallback) && !ZERO.test(fallback);
  return { traceId: adopted ? fallback : newTraceId(), spanId: newSpanId(), flags: adopted ? SAMPLED : SAMPLED | RANDOM };
}
