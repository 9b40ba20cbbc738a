/**
 * The traceparent the server gave the page: a `<meta name="traceparent">` it rendered, else the
 * `Server-Timing: traceparent;desc="00-..."` of the document's response, which an edge hop (the
 * Next.js middleware, a Worker) can set without touching the HTML. The browser shows it in the
 * navigation entry (https://w3c.github.io/server-timing/#dom-performanceservertiming); the value
 * is checked like any incoming traceparent.
 */
import { parseTraceparent } from '../core/trace-context';

export const serverTraceparent = (): ReturnType<typeof parseTraceparent> =>
  parseTraceparent(document.querySelector<HTMLMetaElement>('meta[name="traceparent"]')?.content) ??
  // Feature-detected: without the Performance Timeline there is no server trace to join.
  parseTraceparent(
    (performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined)?.serverTiming?.find((entry) => entry.name === 'traceparent')
      ?.description,
  );
