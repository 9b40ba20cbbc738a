/**
 * When to send: the first of `maxEvents` waiting, `maxBytes` waiting, `flushIntervalMs` since the
 * first of them arrived, or the page being hidden; and, after a failure, not before the retry the
 * sender asked for. Every flush names its reason. How a batch travels is the sender's business.
 */

export type FlushReason = 'count' | 'bytes' | 'timer' | 'page_hidden' | 'retry' | 'restored' | 'manual';

export interface FlushLimits {
  maxEvents: number;
  maxBytes: number;
  flushIntervalMs: number;
}

export interface FlushController {
  /** What waits now, after events were added or taken. */
  waiting(count: number, bytes: number): void;
  /** The last send failed: the next one waits `ms`. */
  retryIn(ms: number): void;
  /** A send went through: the thresholds speak again. */
  recovered(): void;
  /** Hidden: one `page_hidden` flush now. Visible again: a retry that fell due meanwhile runs at once. */
  setHidden(hidden: boolean): void;
  stop(): void;
}

export function createFlushController(limits: FlushLimits, flush: (reason: FlushReason) => void, now = Date.now): FlushController {
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending retry falls due; a page hidden meanwhile may have slept through its timer. */
  let retryAt: number | undefined;
  let hidden = false;
  let stopped = false;

  function schedule(reason: FlushReason, ms: number): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      // While hidden every event already left at once (see `setHidden`); a retry stays due, and runs on return.
      if (hidden) return;
      if (reason === 'retry') retryAt = undefined;
      flush(reason);
    }, ms);
    // In Node and edge runtimes a pending flush must not keep the process alive.
    (timer as { unref?: () => void }).unref?.();
  }

  return {
    waiting(count, bytes) {
      if (stopped || hidden || retryAt !== undefined) return;
      if (count >= limits.maxEvents) flush('count');
      else if (bytes >= limits.maxBytes) flush('bytes');
      else if (!count) {
        clearTimeout(timer);
        timer = undefined;
      } else if (!timer) schedule('timer', limits.flushIntervalMs);
    },
    retryIn(ms) {
      retryAt = now() + ms;
      if (!stopped) schedule('retry', ms);
    },
    recovered() {
      retryAt = undefined;
    },
    setHidden(value) {
      hidden = value;
      if (stopped) return;
      if (hidden) return flush('page_hidden');
      if (retryAt !== undefined && retryAt <= now()) {
        clearTimeout(timer);
        timer = undefined;
        retryAt = undefined;
        flush('retry');
      }
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
