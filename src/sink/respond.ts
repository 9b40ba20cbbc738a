/** JSON answers of the sink. Every answer, success or failure, is a small JSON object. */
export function jsonResponse(status: number, body: unknown, headers?: HeadersInit): Response {
  const out = new Headers(headers);
  out.set('content-type', 'application/json; charset=utf-8');
  // Answers describe one request; a cache must never replay them for another.
  out.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { status, headers: out });
}

export function errorResponse(status: number, message: string, headers?: HeadersInit): Response {
  return jsonResponse(status, { error: message }, headers);
}
