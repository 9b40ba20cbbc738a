/**
 * The call shapes of the transparency matrix. Each runs inside a page (its source is sent there,
 * so it may use only its arguments and the page's globals) and returns what the page could observe,
 * as JSON. `h` is the page's helper object (see page-helpers.ts); `c` names the other origins.
 */

/** The page's helpers (page-helpers.ts): plain JavaScript, typed loosely here. */
type Helpers = any;
export interface Context {
  /** Another origin, CORS-enabled. */
  other: string;
  /** An origin where nothing listens. */
  closed: string;
}
export interface Case {
  name: string;
  run: (h: Helpers, c: Context) => unknown;
  /** False where the page's own requests can not carry the trace (a no-cors request drops such headers). */
  traced?: boolean;
}

export const FETCH_CASES: Case[] = [
  { name: 'GET with a relative URL', run: (h) => h.fetch('/api/echo?a=1') },
  { name: 'GET with a URL object', run: (h) => h.fetch(new URL('/api/echo?b=2', location.href)) },
  {
    name: 'POST text with a plain headers object, left as it was',
    run: async (h) => {
      const init = { method: 'POST', body: 'hello', headers: { 'X-App': 'yes', 'Content-Type': 'text/plain' } };
      const before = JSON.stringify(init);
      return { result: await h.fetch('/api/echo', init), same: JSON.stringify(init) === before };
    },
  },
  {
    name: 'PUT with a Headers object, left as it was',
    run: async (h) => {
      const headers = new Headers({ 'x-app': 'yes' });
      headers.append('x-multi', 'a');
      headers.append('x-multi', 'b');
      return { result: await h.fetch('/api/echo', { method: 'PUT', headers, body: '{}' }), after: [...headers] };
    },
  },
  {
    name: 'headers as an array of pairs, left as they were',
    run: async (h) => {
      const headers = [
        ['x-app', 'yes'],
        ['x-multi', 'a'],
        ['x-multi', 'b'],
      ];
      return { result: await h.fetch('/api/echo', { headers }), after: JSON.stringify(headers) };
    },
  },
  {
    name: 'headers undefined, null, and an init of null',
    run: async (h) => [await h.fetch('/api/echo', { headers: undefined }), await h.fetch('/api/echo', { headers: null }), await h.fetch('/api/echo', null)],
  },
  {
    name: 'an invalid header name and value',
    run: async (h) => [await h.fetch('/api/echo', { headers: { 'bad name': 'x' } }), await h.fetch('/api/echo', { headers: { 'x-a': 'line\nbreak' } })],
  },
  { name: 'a forbidden request header is dropped', run: (h) => h.fetch('/api/echo', { headers: { Cookie: 'a=b', 'x-ok': '1' } }) },
  {
    name: 'a Request with headers and a body, and the Request after',
    run: async (h) => {
      const request = new Request('/api/echo?r=1', { method: 'POST', headers: { 'x-app': 'request' }, body: 'from request' });
      return { result: await h.fetch(request), bodyUsed: request.bodyUsed, headers: [...request.headers] };
    },
  },
  {
    name: 'a Request with an init: its headers replace the Request’s, a method alone keeps them',
    run: async (h) => [
      await h.fetch(new Request('/api/echo', { headers: { 'x-from': 'request' } }), { headers: { 'x-from': 'init' } }),
      await h.fetch(new Request('/api/echo', { headers: { 'x-from': 'request' } }), { method: 'DELETE' }),
    ],
  },
  {
    name: 'a Request sent twice, and one whose body was read',
    run: async (h) => {
      const twice = new Request('/api/echo', { method: 'POST', body: 'once' });
      const read = new Request('/api/echo', { method: 'POST', body: 'read' });
      await read.text();
      return [await h.fetch(twice), await h.fetch(twice), await h.fetch(read)];
    },
  },
  {
    name: 'a Request’s referrer and referrer policy are kept',
    run: async (h) => [
      await h.fetch(new Request('/api/echo', { referrerPolicy: 'no-referrer' })),
      await h.fetch(new Request('/api/echo', { referrer: '/custom-referrer' })),
      await h.fetch(new Request('/api/echo', { referrerPolicy: 'origin' })),
    ],
  },
  {
    name: 'an init’s referrer and referrer policy',
    run: async (h) => [await h.fetch('/api/echo', { referrer: '' }), await h.fetch('/api/echo', { referrerPolicy: 'origin' })],
  },
  {
    name: 'a FormData body',
    run: (h) => {
      const form = new FormData();
      form.append('field', 'value');
      form.append('file', new Blob(['content'], { type: 'text/plain' }), 'a.txt');
      return h.fetch('/api/echo', { method: 'POST', body: form });
    },
  },
  { name: 'a Blob body with a type', run: (h) => h.fetch('/api/echo', { method: 'POST', body: new Blob(['{"a":1}'], { type: 'application/json' }) }) },
  { name: 'a URLSearchParams body', run: (h) => h.fetch('/api/echo', { method: 'POST', body: new URLSearchParams({ a: '1', b: 'two words' }) }) },
  { name: 'a typed array body', run: (h) => h.fetch('/api/echo', { method: 'POST', body: new TextEncoder().encode('bytes') }) },
  {
    name: 'a ReadableStream body with duplex half',
    run: async (h) => {
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('streamed'));
          controller.close();
        },
      });
      return { result: await h.fetch('/api/echo', { method: 'POST', body, duplex: 'half' }), locked: body.locked };
    },
  },
  {
    name: 'a ReadableStream body without duplex, and a Request made from one',
    run: async (h) => {
      const stream = () => new ReadableStream({ pull: (controller) => controller.close() });
      let request;
      try {
        request = new Request('/api/echo', { method: 'POST', body: stream(), duplex: 'half' } as RequestInit);
      } catch (error) {
        request = h.error(error);
      }
      return [await h.fetch('/api/echo', { method: 'POST', body: stream() }), request instanceof Request ? await h.fetch(request) : request];
    },
  },
  { name: 'a GET with a body', run: (h) => h.fetch('/api/echo', { body: 'no' }) },
  {
    name: 'a signal aborted before the call',
    run: async (h) => {
      const controller = new AbortController();
      controller.abort();
      const settled = await h.settle(fetch('/api/echo', { signal: controller.signal }));
      return { ...settled.rejected, isReason: settled.reason === controller.signal.reason };
    },
  },
  {
    name: 'a signal aborted during the request',
    run: async (h) => {
      const controller = new AbortController();
      const pending = h.settle(fetch('/api/echo?delay=1000', { signal: controller.signal }));
      await h.sleep(100);
      controller.abort();
      const settled = await pending;
      return { ...settled.rejected, isReason: settled.reason === controller.signal.reason };
    },
  },
  {
    name: 'a signal aborted with the app’s own reason, and a Request’s signal',
    run: async (h) => {
      const reason = new Error('superseded');
      const first = new AbortController();
      const pending = h.settle(fetch('/api/echo?delay=1000', { signal: first.signal }));
      const second = new AbortController();
      const fromRequest = h.settle(fetch(new Request('/api/echo?delay=1000', { signal: second.signal })));
      await h.sleep(100);
      first.abort(reason);
      second.abort('a string');
      const [a, b] = [await pending, await fromRequest];
      return [a.reason === reason, a.rejected, b.reason === 'a string'];
    },
  },
  { name: 'AbortSignal.timeout', run: (h) => h.fetch('/api/echo?delay=1000', { signal: AbortSignal.timeout(100) }) },
  {
    name: 'an abort while the body is read',
    run: async (h) => {
      const controller = new AbortController();
      const response = await fetch('/api/echo', { signal: controller.signal });
      controller.abort();
      return (await h.settle(response.text())).rejected;
    },
  },
  {
    name: 'keepalive, and keepalive over 64 KiB',
    run: async (h) => [
      await h.fetch('/api/echo', { method: 'POST', body: 'bye', keepalive: true }),
      await h.fetch('/api/echo', { method: 'POST', body: 'x'.repeat(70_000), keepalive: true }),
    ],
  },
  { name: 'a redirect followed', run: (h) => h.fetch('/api/redirect') },
  {
    name: 'redirect manual and error',
    run: async (h) => [await h.fetch('/api/redirect', { redirect: 'manual' }), await h.fetch('/api/redirect', { redirect: 'error' })],
  },
  { name: 'a network failure', run: (h, c) => h.fetch(c.closed + '/x') },
  {
    name: 'URLs fetch refuses',
    run: async (h) => [await h.fetch('http://['), await h.fetch('http://user:pass@127.0.0.1:1/'), await h.fetch('ftp://127.0.0.1/'), await h.fetch()],
  },
  { name: 'a data: URL', run: (h) => h.fetch('data:text/plain,hello') },
  {
    name: 'this: unbound and on another object',
    run: async (h) => {
      const unbound = fetch;
      let other;
      try {
        other = await ({ fetch } as { fetch: typeof fetch }).fetch('/api/echo').then((r) => r.status);
      } catch (error) {
        other = h.error(error);
      }
      return [await unbound('/api/echo').then((r) => r.status), other, await window.fetch.call(window, '/api/echo').then((r) => r.status)];
    },
  },
  {
    name: 'statuses 404 and 503',
    run: async (h) => [await h.fetch('/api/echo?status=404'), await h.fetch('/api/echo?status=503', { method: 'POST', body: 'x' })],
  },
  {
    name: 'methods: HEAD, lower-case post and patch, and a forbidden one',
    run: async (h) => [
      await h.fetch('/api/echo', { method: 'HEAD' }),
      await h.fetch('/api/echo', { method: 'post', body: 'x' }),
      await h.fetch('/api/echo', { method: 'patch', body: 'x' }),
      await h.fetch('/api/echo', { method: 'CONNECT' }),
    ],
  },
  { name: 'another origin with CORS', run: (h, c) => h.fetch(c.other + '/api/echo?cors=1') },
  {
    name: 'another origin with a header that needs a preflight',
    run: (h, c) => h.fetch(c.other + '/api/echo', { method: 'PUT', headers: { 'x-app': 'yes' }, body: 'x' }),
  },
  { name: 'another origin in no-cors mode', run: (h, c) => h.fetch(c.other + '/api/echo', { mode: 'no-cors' }) },
  {
    name: 'the page’s origin in no-cors mode',
    run: (h) => h.fetch('/api/echo', { mode: 'no-cors', method: 'POST', body: 'x', headers: { 'x-app': 'dropped', 'content-type': 'text/plain' } }),
    traced: false,
  },
  {
    name: 'credentials and mode refused across origins',
    run: async (h, c) => [await h.fetch(c.other + '/api/echo', { credentials: 'include' }), await h.fetch(c.other + '/api/echo', { mode: 'same-origin' })],
  },
  { name: 'an integrity mismatch', run: (h) => h.fetch('/api/echo', { integrity: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }) },
  {
    name: 'the response body as a stream',
    run: async (h) => {
      const response = await fetch('/api/echo?stream=1');
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
      return { body: h.parse(text), bodyUsed: response.bodyUsed };
    },
  },
  {
    name: 'an init whose members are inherited: a class with getters, and Object.create',
    run: async (h) => {
      class Init {
        get method() {
          return 'POST';
        }
        get body() {
          return 'from a getter';
        }
        get headers() {
          return { 'x-app': 'getter', 'content-type': 'text/plain' };
        }
      }
      const proto = { method: 'PUT', body: 'inherited', headers: new Headers({ 'x-app': 'proto' }) };
      return [
        await h.fetch('/api/echo', new Init()),
        await h.fetch('/api/echo', Object.create(proto)),
        await h.fetch(new Request('/api/echo', { headers: { 'x-from': 'request' } }), Object.create({ method: 'PATCH', body: 'x' })),
      ];
    },
  },
  {
    name: 'an init member read once, as natively',
    run: async (h) => {
      let reads = 0;
      const init = {
        get method() {
          reads++;
          return 'POST';
        },
        body: 'counted',
      };
      return { result: await h.fetch('/api/echo', init), reads };
    },
  },
  {
    name: 'a Request with a referrer policy or an empty referrer, with an init',
    run: async (h) => [
      await h.fetch(new Request('/api/echo', { referrerPolicy: 'no-referrer' }), {}),
      await h.fetch(new Request('/api/echo', { referrer: '' }), {}),
      await h.fetch(new Request('/api/echo', { referrerPolicy: 'origin' }), { headers: undefined }),
      await h.fetch(new Request('/api/echo', { referrerPolicy: 'no-referrer' }), { method: 'GET' }),
      await h.fetch(new Request('/api/echo', { referrer: '' }), { headers: { 'x-app': '1' } }),
      await h.fetch(new Request('/api/echo', { referrerPolicy: 'no-referrer' }), { referrerPolicy: 'unsafe-url' }),
    ],
  },
  {
    name: 'a Request from another realm (an iframe), with a body and headers',
    run: async (h) => {
      const frame = document.createElement('iframe');
      document.body.append(frame);
      const Other = (frame.contentWindow as unknown as { Request: typeof Request }).Request;
      const make = () => new Other(location.origin + '/api/echo?realm=1', { method: 'POST', body: 'from the iframe', headers: { 'x-app': 'iframe' } });
      const results = [await h.fetch(make()), await h.fetch(make(), { method: 'PUT' }), await h.fetch(make(), { headers: { 'x-app': 'init' } })];
      frame.remove();
      return results;
    },
  },
  {
    name: 'an init that is no object rejects with a TypeError',
    run: async (h) => [
      await h.fetch('/api/echo', 5),
      await h.fetch('/api/echo', 'POST'),
      await h.fetch('/api/echo', true),
      await h.fetch('/api/echo', Symbol('s')),
      await h.fetch('/api/echo', 0n),
    ],
  },
  {
    name: 'headers as a Map and as a Headers of another realm',
    run: async (h) => {
      const frame = document.createElement('iframe');
      document.body.append(frame);
      const OtherHeaders = (frame.contentWindow as unknown as { Headers: typeof Headers }).Headers;
      const results = [
        await h.fetch('/api/echo', { headers: new Map([['x-app', 'map']]) as unknown as HeadersInit }),
        await h.fetch('/api/echo', { headers: new OtherHeaders({ 'x-app': 'iframe' }) }),
      ];
      frame.remove();
      return results;
    },
  },
  {
    name: 'headers whose names are inherited, symbols or not enumerable are not sent',
    run: (h) => {
      class Named {
        get 'x-inherited'() {
          return 'no';
        }
      }
      const headers = Object.assign(new Named(), { 'x-own': 'yes', [Symbol('s')]: 'no' });
      Object.defineProperty(headers, 'x-hidden', { value: 'no', enumerable: false });
      return h.fetch('/api/echo', { headers });
    },
  },
  { name: 'headers with a null prototype', run: (h) => h.fetch('/api/echo', { headers: Object.assign(Object.create(null), { 'x-app': 'bare' }) }) },
  {
    name: 'a header value from a getter, read once',
    run: async (h) => {
      let reads = 0;
      const headers = {
        get 'x-app'() {
          reads++;
          return 'counted';
        },
      };
      return { result: await h.fetch('/api/echo', { headers }), reads };
    },
  },
  {
    name: 'an init member and a header value whose getters throw: fetch rejects with that error, read once',
    run: async (h) => {
      let reads = 0;
      const thrown = new Error('from a getter');
      const member = {
        get method() {
          reads++;
          throw thrown;
        },
      };
      const header = {
        headers: {
          get 'x-app'() {
            reads++;
            throw thrown;
          },
        },
      };
      const settled = [await h.settle(fetch('/api/echo', member as RequestInit)), await h.settle(fetch('/api/echo', header as unknown as RequestInit))];
      return { outcomes: settled.map((s: { rejected?: unknown; reason?: unknown }) => [s.rejected, s.reason === thrown]), reads };
    },
  },
  {
    name: 'a Proxy as the init and as its headers',
    run: (h) => h.fetch('/api/echo', new Proxy({ method: 'POST', body: 'proxied', headers: new Proxy({ 'x-app': 'proxy' }, {}) }, {})),
  },
  { name: 'an array as the init', run: (h) => h.fetch('/api/echo', [] as unknown as RequestInit) },
  {
    name: 'cache modes, only-if-cached refused across the mode',
    run: async (h) => [
      await h.fetch('/api/echo', { cache: 'no-store' }),
      await h.fetch('/api/echo', { cache: 'reload' }),
      await h.fetch('/api/echo', { cache: 'no-cache' }),
      await h.fetch('/api/echo', { cache: 'force-cache' }),
      await h.fetch('/api/echo', { cache: 'only-if-cached' }),
      await h.fetch('/api/echo', { cache: 'bogus' as RequestCache }),
    ],
  },
  {
    name: 'priority high, low and a wrong one',
    run: async (h) => [
      await h.fetch('/api/echo', { priority: 'high' }),
      await h.fetch('/api/echo', { priority: 'low' }),
      await h.fetch('/api/echo', { priority: 'urgent' as RequestPriority }),
    ],
  },
  {
    name: 'ArrayBuffer, DataView and String object bodies',
    run: async (h) => {
      const bytes = new TextEncoder().encode('buffer').buffer;
      return [
        await h.fetch('/api/echo', { method: 'POST', body: bytes }),
        await h.fetch('/api/echo', { method: 'POST', body: new DataView(bytes) }),
        await h.fetch('/api/echo', { method: 'POST', body: new String('boxed') as string }),
      ];
    },
  },
  {
    name: 'a Request made from another Request, and one given an init body',
    run: async (h) => {
      const first = new Request('/api/echo?copy=1', { method: 'PUT', headers: { 'x-app': 'first' }, body: 'first' });
      return [
        await h.fetch(new Request(first, { headers: { 'x-app': 'second' } })),
        await h.fetch(new Request('/api/echo', { method: 'POST', body: 'request' }), { body: 'init' }),
      ];
    },
  },
  {
    name: 'window: null is allowed, any other window refused',
    run: async (h) => [await h.fetch('/api/echo', { window: null } as RequestInit), await h.fetch('/api/echo', { window: {} } as unknown as RequestInit)],
  },
  {
    name: 'referrers: about:client, another origin, and an unparsable one',
    run: async (h, c) => [
      await h.fetch('/api/echo', { referrer: 'about:client' }),
      await h.fetch('/api/echo', { referrer: c.other + '/elsewhere' }),
      await h.fetch('/api/echo', { referrer: 'http://[' }),
    ],
  },
  {
    name: 'the caller’s own traceparent is kept',
    run: async (h) => {
      const result = await h.fetch('/api/echo', { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
      return { result, received: result.body.headers.traceparent };
    },
  },
  {
    name: 'an input object with a toString of its own, converted once',
    run: async (h) => {
      let reads = 0;
      const input = {
        toString() {
          reads++;
          return '/api/echo?converted=1';
        },
      };
      return { result: await h.fetch(input), reads };
    },
  },
  { name: 'a header name given twice in different cases is combined', run: (h) => h.fetch('/api/echo', { headers: { 'X-Twice': 'a', 'x-twice': 'b' } }) },
  {
    name: 'relative URLs: dot segments and a fragment',
    run: async (h) => [await h.fetch('./api/echo?dot=1'), await h.fetch('/api/../api/echo?dots=1'), await h.fetch('/api/echo?frag=1#part')],
  },
  {
    name: 'the response read as a clone, as JSON and as bytes',
    run: async () => {
      const response = await fetch('/api/echo?read=1');
      const clone = response.clone();
      const json = await response.json();
      const bytes = await clone.arrayBuffer();
      return { method: json.method, bytes: bytes.byteLength > 0, bodyUsed: [response.bodyUsed, clone.bodyUsed] };
    },
  },
  { name: 'mode navigate is refused', run: (h) => h.fetch('/api/echo', { mode: 'navigate' as RequestMode }) },
  {
    name: 'an init that is a function',
    run: (h) =>
      h.fetch(
        '/api/echo',
        Object.assign(() => 1, { method: 'POST', body: 'fn' }),
      ),
  },
  { name: 'a same-origin redirect to another origin', run: (h, c) => h.fetch('/api/redirect?to=' + encodeURIComponent(c.other + '/api/echo?cors=1')) },
  {
    name: 'fetch prints as native code',
    run: () => [String(fetch), fetch.toString(), fetch.toString.toString().includes('[native code]'), Object.keys(fetch), typeof fetch.toString],
  },
  {
    name: 'what fetch returns, and what fetch is',
    run: async (h) => {
      const promise = fetch('/api/echo');
      const response = await promise;
      let constructed;
      try {
        constructed = new (fetch as unknown as new (url: string) => unknown)('/api/echo');
      } catch (error) {
        constructed = h.error(error);
      }
      return {
        promise: promise instanceof Promise && Object.getPrototypeOf(promise) === Promise.prototype,
        response: response instanceof Response,
        name: fetch.name,
        length: fetch.length,
        constructed,
        same: window.fetch === globalThis.fetch && self.fetch === fetch,
        descriptor: Object.entries(Object.getOwnPropertyDescriptor(window, 'fetch')!).map(([key, value]) => [key, typeof value]),
      };
    },
  },
];

export const XHR_CASES: Case[] = [
  { name: 'async GET: readyState and events in order', run: (h) => h.xhr('GET', '/api/echo?x=1') },
  {
    name: 'POST text with setRequestHeader',
    run: (h) => h.xhr('POST', '/api/echo', { body: 'hello', headers: { 'X-App': 'yes', 'Content-Type': 'text/plain' } }),
  },
  {
    name: 'a header set twice is combined',
    run: (h) =>
      h.xhr('GET', '/api/echo', {
        configure: (xhr: XMLHttpRequest) => {
          xhr.setRequestHeader('x-multi', 'a');
          xhr.setRequestHeader('X-Multi', 'b');
        },
      }),
  },
  {
    name: 'responseType json, arraybuffer, blob and document',
    run: async (h) =>
      Promise.all(
        [
          ['json', (x: XMLHttpRequest) => x.response?.method],
          ['arraybuffer', (x: XMLHttpRequest) => x.response?.byteLength > 0],
          ['blob', (x: XMLHttpRequest) => [x.response?.size > 0, x.response?.type]],
          ['document', (x: XMLHttpRequest) => x.response],
        ].map(async ([type, read]: any) => {
          let xhr: XMLHttpRequest | undefined;
          const state = await h.xhr('GET', '/api/echo', {
            configure: (x: XMLHttpRequest) => {
              xhr = x;
              x.responseType = type;
            },
          });
          return { ...state, read: read(xhr) };
        }),
      ),
  },
  { name: 'sync GET', run: (h) => h.xhr('GET', '/api/echo', { async: false }) },
  { name: 'sync POST answered 500', run: (h) => h.xhr('POST', '/api/echo?status=500', { async: false, body: 'x' }) },
  { name: 'sync network failure throws', run: (h, c) => h.xhr('GET', c.closed + '/x', { async: false }) },
  {
    name: 'open(method, url, undefined) is sync',
    run: (h) => {
      const xhr = new XMLHttpRequest();
      const tracker = h.track(xhr);
      xhr.open('GET', '/api/echo', undefined as unknown as boolean);
      xhr.send();
      tracker.note('returned');
      return { ...h.xhrState(xhr), log: tracker.log };
    },
  },
  { name: 'async network failure', run: (h, c) => h.xhr('GET', c.closed + '/x') },
  { name: 'statuses 404 and 503', run: async (h) => [await h.xhr('GET', '/api/echo?status=404'), await h.xhr('DELETE', '/api/echo?status=503')] },
  {
    name: 'abort during the request',
    run: (h) => h.xhr('GET', '/api/echo?delay=1000', { configure: (xhr: XMLHttpRequest) => setTimeout(() => xhr.abort(), 100) }),
  },
  {
    name: 'abort after open and after load',
    run: async (h) => {
      const xhr = new XMLHttpRequest();
      const tracker = h.track(xhr);
      xhr.open('GET', '/api/echo?first');
      xhr.abort();
      tracker.note('aborted ' + xhr.readyState);
      xhr.send();
      await tracker.done;
      xhr.abort();
      tracker.note('aborted ' + xhr.readyState);
      return { ...h.xhrState(xhr), log: tracker.log };
    },
  },
  { name: 'timeout', run: (h) => h.xhr('GET', '/api/echo?delay=1000', { configure: (xhr: XMLHttpRequest) => (xhr.timeout = 100) }) },
  { name: 'a redirect followed', run: (h) => h.xhr('GET', '/api/redirect') },
  {
    name: 'FormData, Blob, URLSearchParams and typed array bodies',
    run: async (h) => {
      const form = new FormData();
      form.append('field', 'value');
      return [
        await h.xhr('POST', '/api/echo', { body: form }),
        await h.xhr('POST', '/api/echo', { body: new Blob(['{"a":1}'], { type: 'application/json' }) }),
        await h.xhr('POST', '/api/echo', { body: new URLSearchParams({ a: '1' }) }),
        await h.xhr('POST', '/api/echo', { body: new TextEncoder().encode('bytes') }),
      ];
    },
  },
  { name: 'upload events', run: (h) => h.xhr('POST', '/api/echo', { body: 'x'.repeat(2000), upload: true }) },
  { name: 'withCredentials to the page’s origin', run: (h) => h.xhr('GET', '/api/echo', { configure: (xhr: XMLHttpRequest) => (xhr.withCredentials = true) }) },
  {
    name: 'withCredentials to another origin that does not allow it',
    run: (h, c) => h.xhr('GET', c.other + '/api/echo', { configure: (xhr: XMLHttpRequest) => (xhr.withCredentials = true) }),
  },
  { name: 'another origin with CORS', run: (h, c) => h.xhr('GET', c.other + '/api/echo?cors=1') },
  {
    name: 'another origin with a header that needs a preflight',
    run: (h, c) => h.xhr('PUT', c.other + '/api/echo', { body: 'x', headers: { 'x-app': 'yes' } }),
  },
  {
    name: 'one object reused for three requests',
    run: async (h) => {
      const xhr = new XMLHttpRequest();
      const tracker = h.track(xhr);
      const states = [];
      for (const query of ['a', 'b', 'status=500']) {
        xhr.open('GET', '/api/echo?' + query);
        xhr.send();
        await new Promise((resolve) => xhr.addEventListener('loadend', resolve, { once: true }));
        states.push(h.xhrState(xhr));
      }
      return { states, log: tracker.log };
    },
  },
  {
    name: 'opened again while in flight',
    run: async (h) => {
      const xhr = new XMLHttpRequest();
      const tracker = h.track(xhr);
      xhr.open('GET', '/api/echo?delay=500');
      xhr.send();
      await h.sleep(50);
      xhr.open('GET', '/api/echo?second');
      tracker.note('reopened ' + xhr.readyState);
      xhr.send();
      await new Promise((resolve) => xhr.addEventListener('loadend', resolve, { once: true }));
      await h.sleep(600);
      return { ...h.xhrState(xhr), log: tracker.log };
    },
  },
  {
    name: 'calls out of order throw as they do natively',
    run: async (h) => {
      const attempt = (fn: () => void) => {
        try {
          fn();
          return 'ok';
        } catch (error) {
          return h.error(error);
        }
      };
      const xhr = new XMLHttpRequest();
      const results = [attempt(() => xhr.send()), attempt(() => xhr.setRequestHeader('a', 'b'))];
      results.push(
        attempt(() => xhr.open('GET', 'http://[')),
        attempt(() => xhr.open('BAD METHOD', '/api/echo')),
        attempt(() => xhr.open('CONNECT', '/api/echo')),
      );
      xhr.open('GET', '/api/echo?ordered');
      results.push(
        attempt(() => xhr.setRequestHeader('bad name', 'x')),
        attempt(() => xhr.setRequestHeader('x-ok', 'line\nbreak')),
      );
      const done = new Promise((resolve) => xhr.addEventListener('loadend', resolve));
      results.push(
        attempt(() => xhr.send()),
        attempt(() => xhr.send()),
        attempt(() => xhr.setRequestHeader('late', 'x')),
      );
      await done;
      results.push(attempt(() => xhr.send()));
      return { results, state: h.xhrState(xhr) };
    },
  },
  { name: 'open with a URL object', run: (h) => h.xhr('GET', new URL('/api/echo?u=1', location.href)) },
  {
    name: 'the caller’s property handlers and listeners',
    run: async () => {
      const xhr = new XMLHttpRequest();
      const log: string[] = [];
      xhr.onreadystatechange = () => log.push('rsc' + xhr.readyState);
      xhr.onload = () => log.push('onload');
      xhr.onloadend = () => log.push('onloadend');
      xhr.addEventListener('load', (event) => log.push('listener ' + (event.target === xhr) + ' ' + (event as ProgressEvent).lengthComputable));
      xhr.open('GET', '/api/echo');
      xhr.send();
      await new Promise((resolve) => xhr.addEventListener('loadend', resolve));
      return log;
    },
  },
  {
    name: 'response headers and overrideMimeType',
    run: (h) => {
      let xhr: XMLHttpRequest;
      return h
        .xhr('GET', '/api/echo', {
          configure: (x: XMLHttpRequest) => {
            xhr = x;
            x.overrideMimeType('text/plain');
          },
        })
        .then((state: object) => ({
          ...state,
          headers: xhr
            .getAllResponseHeaders()
            .split('\r\n')
            .filter((line) => !line.startsWith('date')),
        }));
    },
  },
  { name: 'a Document body', run: (h) => h.xhr('POST', '/api/echo', { body: new DOMParser().parseFromString('<root><item/></root>', 'application/xml') }) },
  {
    name: 'ArrayBuffer and DataView bodies',
    run: async (h) => {
      const bytes = new TextEncoder().encode('buffer').buffer;
      return [await h.xhr('POST', '/api/echo', { body: bytes }), await h.xhr('POST', '/api/echo', { body: new DataView(bytes) })];
    },
  },
  { name: 'a forbidden header is ignored', run: (h) => h.xhr('GET', '/api/echo', { headers: { Cookie: 'a=b', 'x-ok': '1' } }) },
  {
    name: 'the caller’s own traceparent is kept',
    run: async (h) => {
      const state = await h.xhr('GET', '/api/echo', { headers: { TraceParent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
      return { state, received: state.body.headers.traceparent };
    },
  },
  { name: 'HEAD and a lower-case method', run: async (h) => [await h.xhr('HEAD', '/api/echo'), await h.xhr('post', '/api/echo', { body: 'x' })] },
  {
    name: 'open with a user name and password',
    run: async (h) => {
      const xhr = new XMLHttpRequest();
      const tracker = h.track(xhr);
      xhr.open('GET', '/api/echo?auth=1', true, 'user', 'secret');
      xhr.send();
      await tracker.done;
      return { ...h.xhrState(xhr), log: tracker.log };
    },
  },
  {
    name: 'sync requests refuse a timeout and a responseType',
    run: async (h) => [
      await h.xhr('GET', '/api/echo', { async: false, configure: (xhr: XMLHttpRequest) => (xhr.timeout = 100) }),
      await h.xhr('GET', '/api/echo', { async: false, configure: (xhr: XMLHttpRequest) => (xhr.responseType = 'json') }),
    ],
  },
  {
    name: 'abort from readystatechange at HEADERS_RECEIVED',
    run: (h) =>
      h.xhr('GET', '/api/echo', {
        configure: (xhr: XMLHttpRequest) => xhr.addEventListener('readystatechange', () => xhr.readyState === 2 && xhr.abort()),
      }),
  },
  {
    name: 'the next request opened and sent from onload',
    run: async (h) => {
      const xhr = new XMLHttpRequest();
      const tracker = h.track(xhr);
      const statuses: number[] = [];
      await new Promise((resolve) => {
        xhr.onload = () => {
          statuses.push(xhr.status);
          if (statuses.length === 2) return resolve(undefined);
          xhr.open('POST', '/api/echo?second=1');
          xhr.send('again');
        };
        xhr.open('GET', '/api/echo?first=1');
        xhr.send();
      });
      return { statuses, state: h.xhrState(xhr), log: tracker.log };
    },
  },
  { name: 'a redirect to a 404', run: (h) => h.xhr('GET', '/api/redirect?to=' + encodeURIComponent('/api/echo?status=404')) },
  {
    name: 'send with a null and an undefined body',
    run: async (h) => [await h.xhr('POST', '/api/echo', { body: null }), await h.xhr('PUT', '/api/echo', { body: undefined })],
  },
  { name: 'a same-origin redirect to another origin', run: (h, c) => h.xhr('GET', '/api/redirect?to=' + encodeURIComponent(c.other + '/api/echo?cors=1')) },
  {
    name: 'a same-origin redirect to another origin, with upload listeners',
    // Upload listeners make the cross-origin leg preflighted, which is what this case compares.
    // Whether Chromium fires upload events around that preflight depends on timing, with or
    // without the SDK, so they are left out here ('upload events' above compares them).
    run: async (h, c) => {
      const state = await h.xhr('POST', '/api/redirect?to=' + encodeURIComponent(c.other + '/api/echo?cors=1'), { body: 'x', upload: true });
      return { ...state, log: state.log.filter((entry: string) => !entry.startsWith('upload.')) };
    },
  },
  {
    name: 'the patched methods print as native code',
    run: () => {
      const proto = XMLHttpRequest.prototype;
      return [proto.open, proto.send, proto.setRequestHeader].map((f) => [String(f), f.toString(), Object.keys(f)]);
    },
  },
  {
    name: 'what XMLHttpRequest is',
    run: () => {
      const xhr = new XMLHttpRequest();
      const proto = XMLHttpRequest.prototype;
      return {
        methods: [proto.open, proto.send, proto.setRequestHeader, proto.abort].map((f) => [f.name, f.length]),
        own: Object.getOwnPropertyNames(xhr),
        protoKeys: Object.keys(proto),
        descriptors: ['open', 'send', 'setRequestHeader'].map((key) =>
          Object.entries(Object.getOwnPropertyDescriptor(proto, key)!).map(([k, v]) => [k, typeof v === 'boolean' ? v : typeof v]),
        ),
      };
    },
  },
];
