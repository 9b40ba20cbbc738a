// The wrapper keeps the handler's signature for each runtime (checked by the type checker, which
// runs over the tests), and hands the telemetry as one more argument after the runtime's own.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { withTelemetry, type RequestTelemetry } from '../../../src/edge/index';

const options = { sink: 'https://logs.example.com/api/log', service: 'types' };

interface Env {
  KV: string;
}
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}
interface NextRequest extends Request {
  nextUrl: URL;
}
interface NextFetchEvent {
  waitUntil(promise: Promise<unknown>): void;
}
interface ServeHandlerInfo {
  remoteAddr: { hostname: string };
}

describe('withTelemetry keeps the signature', () => {
  it('Cloudflare Workers: (request, env, ctx)', () => {
    const withScope = withTelemetry(
      async (_request: Request, env: Env, _ctx: ExecutionContext, telemetry: RequestTelemetry) => new Response(env.KV + telemetry.traceId),
      options,
    );
    expectTypeOf(withScope).toEqualTypeOf<(request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>>();
    const without = withTelemetry(async (_request: Request, env: Env, _ctx: ExecutionContext) => new Response(env.KV), options);
    expectTypeOf(without).toEqualTypeOf<(request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>>();
    // As an exported handler object, the parameters are typed from context.
    const worker: { fetch: (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response> } = {
      fetch: withTelemetry((_request, env, _ctx, telemetry) => telemetry.fetch(env.KV), options),
    };
    expect(typeof worker.fetch).toBe('function');
  });

  it('Next.js middleware and Vercel Edge: (request, event)', () => {
    const middleware = withTelemetry(
      (request: NextRequest, _event: NextFetchEvent, telemetry: RequestTelemetry) => (telemetry.traceId ? undefined : Response.redirect(request.nextUrl)),
      options,
    );
    expectTypeOf(middleware).toEqualTypeOf<(request: NextRequest, event: NextFetchEvent) => Promise<Response | undefined>>();
  });

  it('Deno and Bun: (request, info)', () => {
    const serve = withTelemetry((_request: Request, info: ServeHandlerInfo) => new Response(info.remoteAddr.hostname), options);
    expectTypeOf(serve).toEqualTypeOf<(request: Request, info: ServeHandlerInfo) => Promise<Response>>();
  });

  it('hands the telemetry after the arguments the runtime passed', async () => {
    const seen: unknown[][] = [];
    const handler = withTelemetry(
      (...args: [Request, string, RequestTelemetry]) => {
        seen.push(args);
        return new Response();
      },
      { ...options, beforeSend: () => null },
    );
    await handler(new Request('https://a.example.com/'), 'second');
    expect(seen[0][1]).toBe('second');
    expect(seen[0][2]).toMatchObject({ traceId: expect.any(String), fetch: expect.any(Function), forward: expect.any(Function) });
  });
});
