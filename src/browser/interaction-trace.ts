/**
 * The current trace of the page: it starts at page load (continuing the server's trace when the
 * page carries `<meta name="traceparent">` or its response `Server-Timing: traceparent`) and is
 * replaced at every route change and every user interaction, so that an error and the API calls
 * of one click share one trace id.
 */
import { newTraceId } from '../core/ids';
import type { Client, TraceContext } from '../core/types';
import { listen } from './listen';
import { serverTraceparent } from './server-trace';

/** The trace the page starts with: the server's, when it rendered one into the page or sent it in `Server-Timing`. */
export function pageLoadTrace(): TraceContext {
  const server = serverTraceparent();
  // The server's span is the parent of what the page does, not a span of the page's own.
  return server ? { traceId: server.traceId, flags: server.flags } : { traceId: newTraceId(), flags: 1 };
}

/** Makes the interaction trace the client's trace source; returns what undoes it. */
export function followInteractions(client: Client): () => void {
  let current = pageLoadTrace();
  const remove = client.addTraceSource(() => current);
  const stop = onNewTrace(() => {
    current = { traceId: newTraceId(), flags: current.flags };
  });
  return () => {
    stop();
    remove();
  };
}

/**
 * Calls `renew` at each interaction (click, submit, Enter) and route change (pushState,
 * replaceState, popstate that change the URL). Listeners run in the capture phase on window, so
 * the new trace is in place before the app's own handlers start their requests.
 * Returns the function that undoes it all.
 */
export function onNewTrace(renew: () => void): () => void {
  let url = location.href;
  const onRoute = (): void => {
    if (location.href !== url) renew();
    url = location.href;
  };
  const onEvent = (event: Event): void => {
    if (event.type !== 'keydown' || (event as KeyboardEvent).key === 'Enter') renew();
  };
  const unlisten = [listen(['click', 'submit', 'keydown'], onEvent), listen(['popstate'], onRoute)];
  const restore = (['pushState', 'replaceState'] as const).map((method) => {
    const original = history[method];
    const patched = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      onRoute();
      return result;
    };
    history[method] = patched;
    // A wrapper someone added on top of ours stays; it still reaches the original through us.
    return () => {
      if (history[method] === patched) history[method] = original;
    };
  });
  return () => unlisten.concat(restore).forEach((undo) => undo());
}
