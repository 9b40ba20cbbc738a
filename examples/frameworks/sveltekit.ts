// SvelteKit 2 (src/hooks.client.ts) and Svelte 5 boundaries: report the errors they catch.
//   export const handleError = svelteKitErrorHandler(client);
//   <svelte:boundary onerror={svelteBoundaryErrorHandler(client)}>
import type { Client } from 'tracebeam';

/** What SvelteKit passes to the client's handleError hook, reduced to the fields read here. */
export interface SvelteKitErrorInput {
  error: unknown;
  event: { url: URL; route: { id: string | null } };
  status: number;
  message: string;
}

export function svelteKitErrorHandler(client: Client) {
  return ({ error, event, status }: SvelteKitErrorInput): void => {
    // A link to a page that does not exist arrives here too, with status 404: not a bug of the page.
    if (status === 404) return client.log('warn', 'route_not_found', { path: event.url.pathname });
    client.captureError(error, { mechanism: 'sveltekit.handleError', route: event.route.id, status });
  };
}

export function svelteBoundaryErrorHandler(client: Client) {
  return (error: unknown): void => client.captureError(error, { mechanism: 'svelte.boundary' });
}
