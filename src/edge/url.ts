/**
 * What an event keeps of a request's URL: the path, and the query with the values of parameters
 * named like secrets scrubbed by the same rule the browser applies (`redactUrl`, see "Privacy" in
 * the design). The fragment never reaches a server.
 */
import { redactUrl } from '../core/redact';

export const requestPath = (url: URL): string => url.pathname + redactUrl(url.search);
