/**
 * Where a request's background work goes: `ctx.waitUntil` (Cloudflare Workers), `event.waitUntil`
 * (Next.js middleware) or `context.waitUntil` (Vercel Edge functions). Deno and Bun have none and
 * need none: the process outlives the response.
 */
export type WaitUntil = (promise: Promise<unknown>) => void;

interface Lifetime {
  waitUntil(promise: Promise<unknown>): void;
}

/** The first of the handler's arguments after the request that has a `waitUntil`. */
export function findWaitUntil(args: unknown[]): WaitUntil {
  const owner = args.find((arg, index) => index > 0 && typeof (arg as Partial<Lifetime> | null)?.waitUntil === 'function') as Lifetime | undefined;
  return (promise) => {
    try {
      // Called as a method: workerd refuses a `waitUntil` detached from its context object.
      owner?.waitUntil(promise);
    } catch {
      // The request context is gone; the promise still runs for as long as the runtime lets it.
    }
  };
}
