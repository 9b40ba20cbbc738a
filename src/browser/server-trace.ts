/**
 * The traceparent the server gave the page: a `<meta name="traceparent">` it rendered, else the
 * `Server-Timing: traceparent;desc="00-..."` of the document's response, which an edge hop (the
 * Next.js middleware, a Worker) can set without touching the HTML. The browser shows it in the
 * navigation entry (https://w3c.github.io/server-timing/#dom-performanceservertiming); the value
 * is checked like any incoming traceparent.
 */
import { parseTraceparent } from '../core/trace-context';

export function serverTraceparent(): ReturnType<typeof parseTraceparent> {
  const meta = parseTraceparent(document.querySelector<HTMLMetaElement>('meta[name="traceparent"]')?.content);
  if (meta) return meta;
  try {
    const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    return parseTraceparent(navigation?.serverTiming?.find((entry) => entry.name === 'traceparent')?.description);
  } catch {
    // No Performance Timeline here (an old browser, a test DOM): no server trace to join.
    return null;
  }
}
