/**
 * The `tracebeam` global of the script-tag build: `init` and the client's methods, callable before
 * `init` (or before the SDK has even loaded, through the pre-load snippet). Calls made before
 * there is a client wait in one queue with the snippet's recordings and are replayed by `init`.
 */
import { copyAttributes } from '../core/event';
import { report } from '../core/logger';
import type { Attributes, Client, ClientOptions, Level } from '../core/types';
import { isPreloadStub, MAX_RECORDED, type PreloadStub } from '../snippet/protocol';
import { describeCall, replay } from './replay';

export interface ScriptGlobal {
  init(options: ClientOptions): Client;
  log(level: Level, event: string, attributes?: Attributes): void;
  captureError(error: unknown, attributes?: Attributes): void;
  setUser(user: { id: string } | null): void;
  setContext(context: Attributes): void;
  /** The current trace id; undefined before `init`. */
  traceId(): string | undefined;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** `start` creates the client (`init`); `previous` is what `window.tracebeam` held before, e.g. the snippet's stub. */
export function createGlobal(start: (options: ClientOptions) => Client, previous: unknown): ScriptGlobal {
  const pending: Omit<PreloadStub, '_off'> & { _off?: () => void } = isPreloadStub(previous) ? previous : { _q: [], _d: 0 };
  let client: Client | undefined;

  const forward =
    <M extends 'log' | 'captureError' | 'setUser' | 'setContext'>(method: M) =>
    (...args: Parameters<Client[M]>): void => {
      if (client) return (client[method] as (...a: unknown[]) => void)(...args);
      if (pending._q.length >= MAX_RECORDED) return void pending._d++;
      // Read now, in the caller's task, as the client reads a call: what the app's objects held then
      // is what is sent, and `init` is not left to read a hundred wide objects in one long task.
      try {
        const input = describeCall(method, args);
        pending._q.push(input ? ['capture', [input], Date.now()] : [method, method === 'setContext' ? [copyAttributes(args[0])] : args, Date.now()]);
      } catch {
        // The client would have dropped this call too (its methods never throw into the page).
      }
    };

  return {
    init(options) {
      if (client) {
        report('tracebeam.init() was called again; the first configuration stays.');
        return client;
      }
      client = start(options);
      // The client's `errors()` listener is in place: the snippet's goes, in the same task, so that
      // no page event is recorded by both or by neither.
      pending._off?.();
      replay(client, pending._q, pending._d);
      pending._d = 0;
      return client;
    },
    log: forward('log'),
    captureError: forward('captureError'),
    setUser: forward('setUser'),
    setContext: forward('setContext'),
    traceId: () => client?.traceId(),
    flush: async () => client?.flush(),
    shutdown: async () => client?.shutdown(),
  };
}
