/**
 * Delivery: the queue of serialized events, the flush controller that decides when, the sender
 * that decides how, and the outbox that keeps for a later page whatever the sink has not
 * confirmed. An event is confirmed only by a successful answer: a beacon's `true` means queued,
 * not arrived, so what left by beacon stays in the outbox, and goes again by fetch if the page
 * comes back (the sink drops repeated ids).
 */
import { describeEntries } from '../debug';
import { say } from '../logger';
import { ENVELOPE_BYTES, EXIT_BUDGET_BYTES } from './envelope';
import { createFlushController, type FlushLimits, type FlushReason } from './flush-controller';
import { createQueue, type Entry } from './queue';
import { createSender, type SenderOptions } from './sender';

/** Where events wait for a later page of the same origin (see browser/outbox.ts). */
export interface Outbox {
  /** Keeps these events in place of what this page kept before; none clears. Synchronous, never throws; false when nothing could be written. */
  save(entries: readonly Entry[]): boolean;
  /** Takes what earlier pages left and no other tab took, and how many of theirs had to go (bounds, expiry). */
  restore(): Promise<Restored>;
}

export interface Restored {
  entries: Entry[];
  dropped: number;
  /** The restored events are safe (confirmed, or in this page's own keeping): their old records can go. */
  settle(): void;
}

export interface DeliveryOptions extends SenderOptions, FlushLimits {
  maxQueue: number;
  /** Says in the console what happens to each batch; the development build only. */
  debug?: boolean;
  outbox?: Outbox;
}

export interface Delivery {
  /** Serialized events to send. */
  add(entries: Entry[]): void;
  /** Events from the outbox: sent at once, and settled once they are safe. */
  restore(restored: Restored): void;
  /** How many events the full queue let go since the last call, for the client's `events_dropped`. */
  takeDropped(): number;
  /** Puts `next` in the place of `entry`, if that still waits to be sent (a notice whose count rose). */
  replace(entry: Entry, next: Entry): boolean;
  /** Sends everything that waits; resolves when it went, or when a send failed (a retry is then due). */
  flush(): Promise<void>;
  /** Hidden: everything leaves at once by beacon and is kept in the outbox. Visible: what is unconfirmed goes again. */
  setHidden(hidden: boolean): void;
  /** Keeps what is still unconfirmed in the outbox, and sends no more. */
  stop(): void;
}

/** Regular requests at once: a burst is sent sooner rather than evicted, without flooding the sink. */
const MAX_IN_FLIGHT = 4;

export function createDelivery(options: DeliveryOptions): Delivery {
  const queue = createQueue(options.maxQueue);
  const sender = createSender(options);
  const controller = createFlushController(options, (reason) => (reason === 'page_hidden' ? exit() : void sendBatch(reason)));
  /** Each batch in flight, and what its answer resolves to: true when no retry is needed. */
  const inFlight = new Map<Entry[], Promise<boolean>>();
  /** What left by beacon (or a keepalive request still unanswered) and is not confirmed yet. */
  const beaconed = new Set<Entry>();
  let hidden = false;
  let stopped = false;
  let dropped = 0;
  let exitRoom = EXIT_BUDGET_BYTES;
  let stored = false;
  /** Restored events not yet confirmed, and how to tell the outbox when they are. */
  let restoring: Restored | undefined;

  const changed = (): void => controller.waiting(queue.entries.length, queue.bytes);
  const enqueue = (entries: Entry[], front?: boolean): void => void (dropped += queue.add(entries, front));

  const flying = (): Entry[] => [...inFlight.keys()].flat();

  /** In flight, left by beacon, or waiting: each once. */
  const unconfirmed = (): Entry[] => [...new Set([...beaconed, ...flying(), ...queue.entries])];

  /** Entries of a batch in flight come back with its answer, not from anywhere else. */
  function notFlying(entries: Entry[]): Entry[] {
    const out = new Set(flying());
    return entries.filter((entry) => !out.has(entry));
  }

  function save(): void {
    const entries = unconfirmed();
    // Nothing kept and nothing to keep: no storage write at all.
    if (!options.outbox || (!entries.length && !stored)) return;
    stored = entries.length > 0;
    const saved = options.outbox.save(entries);
    if (__DEV__ && options.debug && (stored || !saved)) {
      if (saved) say('debug', `kept ${entries.length} unconfirmed events in the outbox: ${describeEntries(entries)}`);
      else say('warn', `the outbox could not write to localStorage (disabled or full): ${entries.length} unconfirmed events live in this page only`);
    }
    // This page's own record now holds what it restored: the records it came from can go.
    if (saved) settle();
  }

  function settle(): void {
    restoring?.settle();
    restoring = undefined;
  }

  /** Restored events are safe once none of them waits for confirmation. */
  function settleIfConfirmed(): void {
    if (!restoring) return;
    const waiting = new Set(unconfirmed());
    if (!restoring.entries.some((entry) => waiting.has(entry))) settle();
  }

  /** Starts one batch, if one waits and fewer than MAX_IN_FLIGHT are out. */
  function sendBatch(reason: FlushReason): Promise<boolean> | undefined {
    if (stopped || hidden || inFlight.size >= MAX_IN_FLIGHT || !queue.entries.length) return;
    const batch = queue.take(options.maxEvents, options.maxBytes - ENVELOPE_BYTES);
    const answered = sender.send(batch).then((result) => {
      inFlight.delete(batch);
      if (typeof result === 'number') {
        // What also left by beacon meanwhile waits in `beaconed` for the page to come back.
        enqueue(
          batch.filter((entry) => !beaconed.has(entry)),
          true,
        );
        if (__DEV__ && options.debug) {
          say('warn', `${batch.length} events not delivered (${reason}): no answer, or 408, 429 or 5xx from the sink; retry in ${Math.round(result)} ms`);
        }
        controller.retryIn(result);
        save();
        return false;
      }
      batch.forEach((entry) => beaconed.delete(entry));
      if (__DEV__ && options.debug) {
        if (result === 'sent') say('info', `sent ${batch.length} events (${reason}): ${describeEntries(batch)}`);
        else say('error', `the sink refused ${batch.length} events (${reason}) and they are dropped: is the sink's URL right, and does it allow this origin?`);
      }
      controller.recovered();
      settleIfConfirmed();
      if (stored) save();
      changed();
      return true;
    });
    inFlight.set(batch, answered);
    // Still a full batch waiting: the next one goes now, beside this one.
    changed();
    return answered;
  }

  /**
   * Page hidden or leaving: synchronous sends of what is unconfirmed and not yet beaconed, errors
   * first, within the SDK's share of the keepalive allowance; then everything unconfirmed goes to
   * the outbox, for this page's return or the next page of the origin.
   */
  function exit(): void {
    const waiting = queue.take(Infinity, Infinity);
    const entries = flying()
      .filter((entry) => !beaconed.has(entry))
      .concat(waiting)
      .sort((a, b) => +b.isError - +a.isError);
    for (const { entries: sent, bytes, answer } of sender.exit(entries, exitRoom)) {
      exitRoom -= bytes;
      sent.forEach((entry) => beaconed.add(entry));
      if (__DEV__ && options.debug)
        say(
          'info',
          `sent ${sent.length} events (page_hidden) by ${!answer ? 'beacon' : options.transport ? "the app's transport" : 'keepalive fetch'}: ${describeEntries(sent)}`,
        );
      void answer?.then((result) => {
        if (__DEV__ && options.debug && typeof result === 'number')
          say('warn', `${sent.length} events sent at page exit got no answer; they go again if the page comes back`);
        sent.forEach((entry) => beaconed.delete(entry));
        // A keepalive request that failed: the page is still here, so it waits for its return.
        if (typeof result === 'number') enqueue(notFlying(sent), true);
        save();
      });
    }
    enqueue(
      waiting.filter((entry) => !beaconed.has(entry)),
      true,
    );
    save();
  }

  return {
    add(entries) {
      if (stopped || !entries.length) return;
      enqueue(entries);
      if (hidden) exit();
      else changed();
    },
    restore(restored) {
      if (stopped || !restored.entries.length) return restored.settle();
      restoring = restored;
      enqueue(restored.entries);
      if (hidden) exit();
      else void sendBatch('restored');
    },
    replace: (entry, next) => queue.replace(entry, next),
    takeDropped() {
      const count = dropped;
      dropped = 0;
      return count;
    },
    async flush() {
      if (stopped) return;
      if (hidden) return exit();
      while (queue.entries.length || inFlight.size) {
        if (!(await (sendBatch('manual') ?? Promise.race(inFlight.values())))) return;
      }
    },
    setHidden(value) {
      if (stopped || value === hidden) return;
      hidden = value;
      if (!hidden) {
        exitRoom = EXIT_BUDGET_BYTES;
        enqueue(notFlying([...beaconed]), true);
        beaconed.clear();
      }
      controller.setHidden(hidden);
      if (!hidden) changed();
    },
    stop() {
      if (stopped) return;
      save();
      stopped = true;
      controller.stop();
    },
  };
}
