/** Reads a request body without ever holding more than the limit in memory. */
import type { HeaderSource } from './content-type';

/** Whether the request's own Content-Length is over `maxBytes`: such a body is refused before a byte is read. */
export function declaresMoreThan(headers: HeaderSource, maxBytes: number): boolean {
  const declared = headers.get('content-length');
  return declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes;
}

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too_large' } | { ok: false; reason: 'unreadable'; message: string };

export async function readLimitedBody(request: Request, maxBytes: number): Promise<BodyResult> {
  if (declaresMoreThan(request.headers, maxBytes)) {
    // Cancelling tells the runtime it may drop the rest.
    cancelQuietly(request.body);
    return { ok: false, reason: 'too_large' };
  }
  if (request.body === null) return { ok: true, bytes: new Uint8Array(0) };

  // Content-Length can be absent (chunked) or wrong, so the limit is also enforced while reading.
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'too_large' };
      }
      chunks.push(value);
    }
  } catch (error) {
    return { ok: false, reason: 'unreadable', message: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, bytes: concat(chunks, total) };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function cancelQuietly(body: ReadableStream<Uint8Array> | null): void {
  if (body === null || body.locked) return;
  body.cancel().catch(() => undefined);
}
