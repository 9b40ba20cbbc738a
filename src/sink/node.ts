// Type imports only: this module is re-exported by the sink entry, which must also load in edge
// runtimes that have no node: modules.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeEventsPath } from './fast-path';
import { internalError } from './intake';
import { serveEvents } from './node-events';
import { bodyUnread, toRequest, type NodeBody } from './node-request';
import { writeResponse } from './node-response';
import { toResponse } from './respond';

/** A node:http request listener; also usable as Express middleware. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

type WebHandler = (request: Request) => Promise<Response>;

/**
 * Runs a web-standard handler (such as `createSinkHandler()`) under node:http or Express. The body
 * is streamed, not buffered, so the handler's size limit holds for chunked uploads too.
 */
export function toNodeListener(handler: WebHandler): NodeListener {
  // A handler of `createSinkHandler` takes POSTs straight from node's objects (node-events.ts).
  const intake = nodeEventsPath.find(handler);
  return (req, res) => {
    if (intake !== undefined && req.method === 'POST' && bodyUnread(req)) void serveEvents(intake, req, res);
    else void serve(handler, req, res);
  };
}

async function serve(handler: WebHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: NodeBody | undefined;
  let response: Response;
  try {
    const converted = toRequest(req);
    body = converted.body;
    response = converted.request === undefined ? converted.refusal : await handler(converted.request);
  } catch (failure) {
    response = toResponse(internalError('handler failed', failure));
  }
  try {
    await writeResponse(response, req, res);
  } catch {
    // The client went away mid-answer; there is nobody left to tell.
    res.destroy();
  } finally {
    body?.release();
  }
}
