/**
 * The link from a handler made by `createSinkHandler` to its intake, for `toNodeListener`: a
 * WeakMap rather than a property, so the handler stays a plain function to its users and the
 * link is dropped with it. Made on first use: nothing runs when the module is imported.
 */
import type { Intake } from './intake';

let intakes: WeakMap<object, Intake> | undefined;

export const nodeEventsPath = {
  attach<T extends object>(handler: T, intake: Intake): T {
    (intakes ??= new WeakMap()).set(handler, intake);
    return handler;
  },
  /** The intake behind `handler`, when `createSinkHandler` made it. */
  find(handler: object): Intake | undefined {
    return intakes?.get(handler);
  },
};
