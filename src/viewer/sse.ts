/**
 * A Server-Sent Events stream (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * one `events` message per batch the sink writes. Web-standard: a `Response` with a stream body.
 */

export interface EventStream {
  response: Response;
  /** Ends the stream from the server's side (the sink is stopping). */
  close(): void;
}

export interface EventStreamOptions {
  /** Called with a function that sends one message; returns the function that stops sending. */
  start(send: (event: string, data: unknown) => void): () => void;
  /** Called once, however the stream ended. */
  onEnd?: () => void;
  /** A comment line this often keeps proxies from timing the connection out. */
  keepAliveMs?: number;
}

/** Past this many unread messages the page is gone or stuck; it reconnects and loads afresh if it is alive. */
const MAX_BACKLOG = 500;

export function eventStream({ start, onEnd, keepAliveMs = 15_000 }: EventStreamOptions): EventStream {
  const encoder = new TextEncoder();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let stop: (() => void) | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let ended = false;

  const end = (): void => {
    if (ended) return;
    ended = true;
    if (timer !== undefined) clearInterval(timer);
    stop?.();
    onEnd?.();
  };
  const write = (text: string): void => {
    if (ended || controller === undefined) return;
    if ((controller.desiredSize ?? 0) < -MAX_BACKLOG) {
      close();
      return;
    }
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      end();
    }
  };
  const close = (): void => {
    if (ended) return;
    try {
      controller?.close();
    } catch {
      // Already closed by the reader.
    }
    end();
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        // The page reconnects after 2 s when the connection drops (the sink restarting).
        write('retry: 2000\n\n');
        stop = start((event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        timer = setInterval(() => write(': keep-alive\n\n'), keepAliveMs);
        // A Node timer would otherwise keep a process alive that has nothing else to do.
        (timer as { unref?: () => void }).unref?.();
      },
      cancel() {
        end();
      },
    },
    { highWaterMark: 1 },
  );
  const response = new Response(body, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
  return { response, close };
}
