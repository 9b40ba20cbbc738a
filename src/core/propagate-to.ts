/**
 * Whether a URL of another origin gets the trace headers, by the `propagateTo` rule every runtime
 * shares: a string is an exact origin (as the options resolved it), a RegExp is tested on the
 * whole URL. `search`, not `test`: it ignores `lastIndex`, so a RegExp with the `g` flag gives the
 * same answer every time.
 *
 * Origins are compared as the start of the absolute URL (`origin + "/"`), which is the same thing
 * for http(s) URLs; reading `URL#origin` instead costs half a microsecond per read in Chromium, and
 * this runs for every request. (A URL with credentials in it counts as another origin: fetch
 * refuses those anyway.)
 */
export const allowedBy = (href: string, propagateTo: ReadonlyArray<string | RegExp>): boolean =>
  propagateTo.some((target) => (typeof target === 'string' ? href.startsWith(target + '/') : href.search(target) >= 0));
