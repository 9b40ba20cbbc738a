/**
 * The session: an id kept in sessionStorage (so it spans reloads and route changes of one tab),
 * renewed after 30 minutes without events or 4 hours in all. The session also holds one random
 * draw, so the sampling decision is taken once per session and holds on every page of it.
 */
import { randomHex } from '../core/ids';

const KEY = 'tracebeam.session';
const IDLE_MS = 30 * 60_000;
const MAX_MS = 4 * 60 * 60_000;

interface Session {
  id: string;
  start: number;
  last: number;
  /** Uniform in [0, 1): the session is sampled in when it is below `sampleRate`. */
  draw: number;
}

export function createSession(now = Date.now): { id(): string; isSampled(rate: number): boolean } {
  let session: Session | undefined;
  let saved = 0;

  function current(): Session {
    const time = now();
    session ??= load();
    if (!session || time - session.last > IDLE_MS || time - session.start > MAX_MS) {
      session = { id: randomHex(16), start: time, last: time, draw: Math.random() };
      saved = 0;
    }
    session.last = time;
    // Writing on every event would cost more than it tells: a few seconds' precision is plenty.
    if (time - saved > 5_000) {
      saved = time;
      store(session);
    }
    return session;
  }

  return { id: () => current().id, isSampled: (rate) => current().draw < rate };
}

// Storage throws in sandboxed iframes and some private modes: the session then lives in memory.
function load(): Session | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    return typeof value?.id === 'string' && typeof value.draw === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

function store(session: Session): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // In memory only.
  }
}
