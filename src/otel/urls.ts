/**
 * The client's URL rules in the form the OpenTelemetry web instrumentations take: there a string
 * must equal the whole URL and a RegExp is matched against it (`urlMatches` in @opentelemetry/core),
 * while `propagateTo` strings are origins.
 */

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `propagateTo` as `propagateTraceHeaderCorsUrls`: an origin matches every URL of that origin, and no longer host. */
export const corsUrls = (propagateTo: ReadonlyArray<string | RegExp>): RegExp[] =>
  propagateTo.map((target) => (typeof target === 'string' ? new RegExp(`^${escape(target)}(?:[/?#]|$)`) : target));

/** The sink as an `ignoreUrls` entry: its path with any query or fragment, as the light model's exclusion. */
export const exactPath = (url: string): RegExp => {
  const { origin, pathname } = new URL(url);
  return new RegExp(`^${escape(origin + pathname)}(?:[?#]|$)`);
};
