/**
 * `xhrTracing()`: every XMLHttpRequest (axios, older libraries) gets the trace headers where they
 * may go and one `http_request` event. `open`, `setRequestHeader` and `send` are wrapped on the
 * prototype; each calls the original with the same `this` and arguments, so states, events,
 * exceptions and sync requests are the browser's own.
 */
import type { Integration } from '../core/types';
import { type EndRequest, looksNative, type RequestError, requestTracer } from './propagation';

/** One `open()`: its method, URL, the headers the caller set, and, once sent, how it ends. */
interface Pending {
  method: string;
  url: URL;
  headers: Record<string, string>;
  end?: EndRequest;
}

type Method = 'open' | 'send' | 'setRequestHeader';

/** The events that end a request (https://xhr.spec.whatwg.org/#events), and what each means. */
const ENDINGS: Record<string, RequestError | undefined> = { load: undefined, error: 'network_error', abort: 'aborted', timeout: 'timeout' };

export function xhrTracing(): Integration {
  return {
    name: 'xhrTracing',
    setup(client) {
      let trace = requestTracer(client);
      const proto = XMLHttpRequest.prototype;
      const { open, send, setRequestHeader } = proto;
      const originals = { open, send, setRequestHeader };
      // A WeakMap, not a property: the app's XHR objects show nothing of ours.
      const requests = new WeakMap<XMLHttpRequest, Pending>();
      // One listener per object, added at its first open and kept: it ends whichever request is
      // current. The app's handlers may run first and open the object again for the next request
      // (`open` then ends the previous one): an ending seen while OPENED belongs to no current request.
      function ended(this: XMLHttpRequest, event: Event): void {
        if (this.readyState !== 1 /* OPENED */) requests.get(this)?.end?.(this.status, ENDINGS[event.type]);
      }
      const patches: typeof originals = {
        open(this: XMLHttpRequest, method: string, url: string | URL) {
          const previous = requests.get(this);
          // Opening again cancels a request in flight, without an event
          // (https://xhr.spec.whatwg.org/#the-open()-method); from `onreadystatechange` at DONE it
          // comes before the request's last event, so its outcome is read now, before open resets it.
          const outcome: [number, RequestError?] =
            previous && this.readyState === 4 /* DONE */ ? [this.status, this.status ? undefined : 'network_error'] : [0, 'aborted'];
          // `apply` with `arguments`: `open(m, u)` is async, `open(m, u, undefined)` is sync.
          open.apply(this, arguments as unknown as Parameters<typeof open>);
          try {
            if (previous) previous.end?.(...outcome);
            else for (const type in ENDINGS) this.addEventListener(type, ended);
            requests.set(this, { method, url: new URL(url, document.baseURI), headers: {} });
          } catch {
            requests.delete(this);
          }
        },
        setRequestHeader(this: XMLHttpRequest, name: string, value: string) {
          setRequestHeader.call(this, name, value);
          const pending = requests.get(this);
          if (pending) pending.headers[String(name).toLowerCase()] = value;
        },
        send(this: XMLHttpRequest) {
          const pending = requests.get(this);
          let end: EndRequest | undefined;
          try {
            // Only the first send after open starts a request; another one throws below, untraced.
            if (pending && !pending.end) {
              // The caller's headers as recorded; ours go through the original, unrecorded.
              end = pending.end = trace(pending.method, pending.url, {
                get: (name) => pending.headers[name],
                set: (name, value) => setRequestHeader.call(this, name, value),
              });
            }
          } catch {
            // A header the state does not allow: `send` below throws for the same reason.
          }
          try {
            return send.apply(this, arguments as unknown as Parameters<typeof send>);
          } catch (error) {
            // A sync request that fails throws instead of firing events (https://xhr.spec.whatwg.org/#request-error-steps).
            end?.(0, 'network_error');
            throw error;
          }
        },
      };
      for (const key in patches) looksNative(patches[key as Method], originals[key as Method]);
      Object.assign(proto, patches);
      return () => {
        // As for fetch: a wrapper added on top of ours stays, and ours passes calls through.
        trace = () => undefined;
        for (const key in patches) {
          if (proto[key as Method] === patches[key as Method]) (proto[key as Method] as unknown) = originals[key as Method];
        }
      };
    },
  };
}
