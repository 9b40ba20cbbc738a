/**
 * Next.js middleware: the hop at the edge in front of the app. The route behind it must see the
 * same trace, so the trace headers are forwarded to it the one way Next.js offers,
 * `NextResponse.next({ request: { headers } })`
 * (https://nextjs.org/docs/app/api-reference/functions/next-response#next), and the response
 * carries the trace id like every wrapped handler's.
 */
import type { EdgeOptions } from './options';
import { withTelemetry, type RequestTelemetry } from './with-telemetry';

/** The part of `NextResponse` from `next/server` that is used; passed in, so Next.js is no dependency. */
export interface NextResponseLike {
  next(init?: { request?: { headers?: Headers } }): Response;
}

/** The app's own middleware: return a response (a redirect, a rewrite...) or nothing to go on to the route. */
export type NextMiddleware<Req extends Request, Ev> = (
  request: Req,
  event: Ev,
  telemetry: RequestTelemetry,
) => Response | undefined | void | Promise<Response | undefined | void>;

/**
 * `export default nextMiddleware(NextResponse, options)`, optionally with the app's middleware.
 * When that returns nothing, the request goes on to the route with `traceparent`, `tracestate`
 * and the correlation header of this hop; what it returns is used as it is (use
 * `telemetry.forward()` to keep the trace headers on a `NextResponse.rewrite` or `next` of its own).
 */
export function nextMiddleware<Req extends Request = Request, Ev = unknown>(
  NextResponse: NextResponseLike,
  options: EdgeOptions,
  middleware?: NextMiddleware<Req, Ev>,
): (request: Req, event: Ev) => Promise<Response> {
  // Typed with Request and unknown, which the app's Req and Ev narrow: the wrapper's type of a
  // generic Ev would stay an unresolved conditional type.
  return withTelemetry(async (...args: [Request, unknown, RequestTelemetry]) => {
    // The telemetry is the last argument, whatever number of arguments Next.js passes.
    const telemetry = args[args.length - 1] as RequestTelemetry;
    return (await middleware?.(args[0] as Req, args[1] as Ev, telemetry)) ?? NextResponse.next({ request: { headers: telemetry.forward() } });
  }, options);
}
