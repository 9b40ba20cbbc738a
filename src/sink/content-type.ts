/**
 * The media types the sink reads. `text/plain` is there for `navigator.sendBeacon`, which sends
 * `text/plain;charset=UTF-8` so that cross-origin beacons need no preflight.
 */
const ACCEPTED = new Set(['application/json', 'text/plain']);

/** Where request headers are read from: a web `Headers`, or node's parsed headers behind `get`. */
export interface HeaderSource {
  get(name: string): string | null;
}

export type ContentTypeCheck = { ok: true } | { ok: false; message: string };

export function checkContentType(headers: HeaderSource): ContentTypeCheck {
  const header = headers.get('content-type');
  if (header === null || header.trim() === '') {
    return { ok: false, message: 'missing Content-Type: send application/json or text/plain' };
  }
  const mediaType = header.split(';', 1)[0]!.trim().toLowerCase();
  if (!ACCEPTED.has(mediaType)) {
    return { ok: false, message: `unsupported Content-Type "${clip(header)}": send application/json or text/plain` };
  }
  // A compressed body would only fail later as malformed JSON; say what is actually wrong.
  const encoding = headers.get('content-encoding');
  if (encoding !== null && encoding.trim() !== '' && encoding.trim().toLowerCase() !== 'identity') {
    return { ok: false, message: `unsupported Content-Encoding "${clip(encoding)}": send the body uncompressed` };
  }
  return { ok: true };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
