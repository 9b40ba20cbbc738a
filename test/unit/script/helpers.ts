import { createCoreClient } from '../../../src/core/client';
import type { Client, ClientOptions } from '../../../src/core/types';
import { recordingFetch } from '../core/recording-fetch';

/** A `start` for `createGlobal`: a core client that sends to a recorder. */
export function recordingStart() {
  const recorder = recordingFetch(202);
  const clients: Client[] = [];
  return {
    start: (options: ClientOptions): Client => {
      const client = createCoreClient(options, { fetch: recorder.fetch });
      clients.push(client);
      return client;
    },
    clients,
    async events() {
      await Promise.all(clients.map((client) => client.flush()));
      return recorder.events();
    },
  };
}
