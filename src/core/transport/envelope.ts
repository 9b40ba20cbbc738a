/**
 * Request bodies. A regular batch is `{"events":[...]}`. At page exit bytes are scarce: browsers
 * let a page keep at most 64 KiB of beacons and keepalive requests in flight, all together
 * (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch, "inflight keepalive bytes"), so
 * the fields every event has in common (service, release, session, URL, often the trace) are sent
 * once, under `shared`, and a sink merges them back into each event.
 */

export const ENVELOPE_BYTES = '{"events":[]}'.length;

export const toBody = (jsons: Array<string | undefined>, shared = ''): string =>
  `{${shared && `"shared":${shared},`}"events":[${jsons}]}`;

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
