import type { IncomingMessage, ServerResponse } from 'node:http';

/** Copies a web `Response` onto a node response, honouring backpressure. */
export async function writeResponse(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (res.headersSent || res.destroyed) {
    await response.body?.cancel();
    return;
  }
  res.statusCode = response.status;
  // Refused before its body was read (413, 403...): close the connection after answering rather
  // than read and discard the rest, which could be endless.
  if (!req.complete) res.setHeader('connection', 'close');
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);

  if (response.body === null || req.method === 'HEAD') {
    await response.body?.cancel();
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // A client that leaves while the body is idle (a live stream with nothing new) is heard at once,
  // not at the next write: the stream's source learns of it by its `cancel`.
  const cancel = (): void => void reader.cancel().catch(() => undefined);
  res.once('close', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } finally {
    res.off('close', cancel);
  }
}

/** Resolves when `res` can take more, or is closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
