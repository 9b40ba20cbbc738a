/**
 * The outbox: events the sink has not confirmed, kept for the next page of the origin. It lives in
 * localStorage because that is synchronous: a write in `pagehide` or `visibilitychange` is done
 * when the call returns, where an IndexedDB transaction started there may never commit (the page
 * is frozen or discarded first; https://developer.chrome.com/docs/web-platform/page-lifecycle-api#developer-recommendations-for-each-state).
 *
 * Each page writes one key of its own, so tabs never overwrite each other. A page takes the keys
 * that other pages left, each under a Web Lock of the key's name, so that two tabs opening at once
 * never both resend one stored batch (where Web Locks are missing, the sink's dedupe by event id
 * keeps such a race to one written copy). What is stored was built, scrubbed and serialized by the
 * client already: nothing here sees more than the sink would.
 */
import { newTraceId } from '../core/ids';
import type { Outbox } from '../core/transport/delivery';
import { type Entry, shed, toEntry, total } from '../core/transport/queue';

const PREFIX = 'tracebeam:outbox:';

/** Characters kept per page: a tenth of the 5 MB most browsers give an origin's localStorage. */
export const OUTBOX_MAX_CHARS = 500_000;

/** Older than this, events are no use to anyone reading a timeline: they go, and are counted. */
export const OUTBOX_TTL_MS = 24 * 60 * 60 * 1000;

/** Storage counts UTF-16 characters, not bytes: an entry's JSON and its comma. */
const chars = (entry: Entry): number => entry.json.length + 1;

/** The entries within `max` characters, in order, shed as the queue sheds. */
const fit = (entries: readonly Entry[], max: number): Entry[] => shed(entries, total(entries, chars) - max, chars);

interface Stored {
  v: 1;
  sink: string;
  saved: number;
  dropped: number;
  events: Array<{ id?: unknown; level?: unknown }>;
}

export interface OutboxEnvironment {
  /** Where localStorage is disabled (privacy modes, sandboxed frames), reading it throws: so it is a getter. */
  storage?: () => Storage;
  locks?: LockManager;
  now?: () => number;
}

export function createOutbox(
  sink: string,
  { storage = () => localStorage, locks = globalThis.navigator?.locks, now = Date.now }: OutboxEnvironment = {},
): Outbox {
  const key = PREFIX + newTraceId();

  /** Writes the events under this page's key; where they do not fit, the oldest non-errors go first. */
  function write(store: Storage, entries: readonly Entry[]): void {
    let kept = fit(entries, OUTBOX_MAX_CHARS);
    for (let attempt = 0; ; attempt++) {
      try {
        const events = kept.map((entry) => entry.json);
        const gone = entries.length - kept.length;
        return store.setItem(key, `{"v":1,"sink":${JSON.stringify(sink)},"saved":${now()},"dropped":${gone},"events":[${events}]}`);
      } catch (error) {
        // A full storage (the app's own data, the quota): half as much, twice at most.
        if (attempt === 2) throw error;
        kept = fit(kept, total(kept, chars) / 2);
      }
    }
  }

  function read(store: Storage, name: string): Stored | undefined {
    try {
      const stored = JSON.parse(store.getItem(name) ?? 'null') as Stored | null;
      if (stored?.v === 1 && Array.isArray(stored.events)) return stored;
    } catch {
      // Not ours, or torn: dropped below like an unreadable record.
    }
  }

  /** Reads another page's events into `into` (without repeats); expired or unreadable records count as dropped. */
  function take(store: Storage, name: string, into: Map<string, Entry>): number {
    const stored = read(store, name);
    if (stored && stored.sink !== sink) return -1; // another client's, on another sink
    const events = stored?.events.filter((event) => typeof event?.id === 'string' && /^[\da-f]{32}$/.test(event.id)) ?? [];
    if (!stored || now() - stored.saved >= OUTBOX_TTL_MS) return events.length;
    for (const event of events) into.set(event.id as string, toEntry(JSON.stringify(event), event.level === 'error'));
    return Number(stored.dropped) || 0;
  }

  return {
    save(entries) {
      try {
        if (entries.length) write(storage(), entries);
        else storage().removeItem(key);
        return true;
      } catch {
        // No storage to be had (disabled, full even for half): the events stay in memory and in flight.
        return false;
      }
    },

    /**
     * A key taken stays in storage, its lock held, until `settle`: if this page dies before the
     * events are safe, the next page takes the key again, and no other tab takes it meanwhile.
     */
    async restore() {
      const taken = new Map<string, Entry>();
      const claimed: Array<() => void> = [];
      let dropped = 0;
      try {
        const store = storage();
        const names = Array.from({ length: store.length }, (_, i) => store.key(i)).filter((name): name is string => !!name?.startsWith(PREFIX) && name !== key);
        for (const name of names) {
          const claim = (): Promise<void> | undefined => {
            const count = take(store, name, taken);
            if (count < 0) return;
            dropped += count;
            return new Promise<void>((release) =>
              claimed.push(() => {
                store.removeItem(name);
                release();
              }),
            );
          };
          if (!locks?.request) claim();
          // `ifAvailable`: a key another tab holds is that tab's. The lock is held until `settle`.
          else
            await new Promise<void>((next) => {
              locks
                .request(name, { ifAvailable: true }, (lock) => {
                  const held = lock ? claim() : undefined;
                  next();
                  return held;
                })
                .catch(() => next());
            });
        }
      } catch {
        // A storage that throws leaves nothing to restore; the client goes on in memory.
      }
      return {
        entries: [...taken.values()],
        dropped,
        settle() {
          for (const release of claimed.splice(0)) {
            try {
              release();
            } catch {
              // The key stays; its events come again from a later page, and the sink drops repeats.
            }
          }
        },
      };
    },
  };
}
