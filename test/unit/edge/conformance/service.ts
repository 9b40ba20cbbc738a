// The service the W3C Trace Context test suite talks to, built on `withTelemetry`: it takes a JSON
// list of `{url, arguments}` and POSTs each `arguments` to its `url`, one after the other (the
// harness's protocol, https://github.com/w3c/trace-context/tree/main/test). Each call goes out
// through `telemetry.fetch` or through the global fetch under AsyncLocalStorage.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withTelemetry, type RequestTelemetry } from '../../../../src/edge/index';
import { toNodeListener } from '../../../../src/sink/node';

export type FetchStyle = 'telemetry.fetch' | 'global fetch';

interface Action {
  url: string;
  arguments?: Action[];
}

/** Starts the service on a free port of 127.0.0.1; `sink` takes the events. Resolves to its URL and a stop(). */
export async function startTraceContextService(style: FetchStyle, sink: string): Promise<{ url: string; stop(): Promise<void> }> {
  const handler = withTelemetry(
    async (request: Request, telemetry: RequestTelemetry) => {
      const actions = ((await request.json().catch(() => [])) ?? []) as Action[];
      const send = style === 'telemetry.fetch' ? telemetry.fetch : (input: string, init: RequestInit) => fetch(input, init);
      for (const action of Array.isArray(actions) ? actions : [actions]) {
        const answer = await send(action.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(action.arguments ?? []),
        });
        await answer.arrayBuffer();
      }
      return Response.json({ ok: true });
    },
    // The harness answers on its own port: another origin, allowed here.
    { sink, service: 'trace-context-service', propagateTo: [/^http:\/\/127\.0\.0\.1:\d+\//], asyncLocalStorage: AsyncLocalStorage },
  );
  const server: Server = createServer(toNodeListener((request) => handler(request)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/test`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
