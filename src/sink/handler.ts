import { readLimitedBody } from './body';
import { nodeEventsPath } from './fast-path';
import { createIntake, internalError, type SinkHandlerOptions } from './intake';
import { toResponse } from './respond';

export type { SinkAnswer, SinkHandlerOptions, SinkWriter } from './intake';
export { DEFAULT_DEDUPE_SIZE, DEFAULT_MAX_BODY_BYTES, MAX_BODY_DEPTH, RETRY_AFTER_SECONDS } from './intake';

/** A web-standard request handler: a Next.js route handler, a Worker's fetch, or under `toNodeListener`. */
export type SinkHandler = (request: Request) => Promise<Response>;

/** Throws on bad options, at start-up; the returned handler itself never throws. */
export function createSinkHandler(options: SinkHandlerOptions = {}): SinkHandler {
  const intake = createIntake(options);

  async function handle(request: Request): Promise<Response> {
    const head = intake.head(request);
    if (head.answer !== undefined) {
      discardBody(request);
      return toResponse(head.answer);
    }
    const body = await readLimitedBody(request, intake.maxBodyBytes);
    if (!body.ok) {
      return toResponse(body.reason === 'too_large' ? intake.tooLarge(head.cors) : intake.unreadable(body.message, head.cors));
    }
    return toResponse(await intake.body(body.bytes, head.cors));
  }

  const handler: SinkHandler = async (request) => {
    try {
      return await handle(request);
    } catch (failure) {
      return toResponse(internalError('unexpected error', failure));
    }
  };
  // `toNodeListener` finds the intake here and serves POSTs of events without web objects.
  return nodeEventsPath.attach(handler, intake);
}

/** Lets the runtime drop an unread body instead of keeping it buffered for nobody. */
function discardBody(request: Request): void {
  if (request.body !== null && !request.bodyUsed && !request.body.locked) {
    request.body.cancel().catch(() => undefined);
  }
}
