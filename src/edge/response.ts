/**
 * What the response tells the browser: the trace id in the correlation header, and this hop as
 * `Server-Timing: traceparent;desc="..."`, which a page reads from its navigation timing entry to
 * join its page load to the trace (https://w3c.github.io/server-timing/).
 */

/**
 * A response whose headers are immutable (one straight from `fetch()` on Workers) is copied first;
 * one that can not be copied either is returned as it is: telemetry never changes the answer.
 */
export function traceResponse(response: Response, correlationHeader: string, traceId: string, traceparent: string): Response {
  const mark = (target: Response): Response => {
    target.headers.set(correlationHeader, traceId);
    target.headers.append('server-timing', `traceparent;desc="${traceparent}"`);
    return target;
  };
  try {
    return mark(response);
  } catch {
    try {
      response = mark(new Response(response.body, response));
    } catch {
      // Not even a copy: the response goes out as the handler made it.
    }
    return response;
  }
}
