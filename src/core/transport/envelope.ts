/**
 * Request bodies and their size on the wire. A regular batch is `{"events":[...]}`. At page exit
 * bytes are scarce: browsers let a page keep at most 64 KiB of beacons and keepalive requests in
 * flight, all together (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch, "inflight
 * keepalive bytes"), so the fields every event has in common (service, release, session, URL,
 * often the trace) are sent once, under `shared`, and a sink merges them back into each event.
 */

export const ENVELOPE_BYTES = '{"events":[]}'.length;

/** The largest request body: one beacon, with room left under 64 KiB for its headers. */
export const BEACON_MAX_BYTES = 60_000;

/**
 * What the SDK's own beacons and keepalive requests may take of the page's 64 KiB at one exit. The
 * rest is the app's: its own `fetch(..., { keepalive: true })` in `pagehide` must still fit, and
 * what does not fit here waits in the outbox for the next page instead.
 */
export const EXIT_BUDGET_BYTES = 40 * 1024;

export const toBody = (jsons: Array<string | undefined>, shared = ''): string => `{${shared && `"shared":${shared},`}"events":[${jsons}]}`;

/** The events as JSON without their common fields, and those fields as one JSON object. */
export function hoistShared(jsons: string[]): [string[], string] {
  if (jsons.length < 2) return [jsons, ''];
  const events: Array<Record<string, unknown>> = jsons.map((json) => JSON.parse(json));
  const shared: Record<string, unknown> = {};
  for (const key in events[0]) {
    const value = JSON.stringify(events[0][key]);
    if (key !== 'id' && events.every((event) => JSON.stringify(event[key]) === value)) shared[key] = events[0][key];
  }
  for (const event of events) for (const key in shared) delete event[key];
  return [events.map((event) => JSON.stringify(event)), JSON.stringify(shared)];
}

let encoder: TextEncoder | undefined;
let scratch: Uint8Array | undefined;

/** Bytes on the wire. The encoder writes into one small reused buffer: no copy of the text is kept. */
export function utf8Length(text: string): number {
  encoder ??= new TextEncoder();
  // A UTF-16 unit is at most 3 UTF-8 bytes; the rare text too long for the buffer is encoded whole.
  if (text.length > 4_096) return encoder.encode(text).length;
  return encoder.encodeInto(text, (scratch ??= new Uint8Array(12_288))).written;
}
