/**
 * zone.js takes over promise rejections, and by default (since it stopped wrapping them) hands its
 * bridge to window's `unhandledrejection` listeners the bare rejection value, from which it cannot
 * build a PromiseRejectionEvent (the `promise` member is required); the bridge swallows the
 * TypeError and no listener hears of the rejection: https://github.com/angular/angular/issues/51357
 * and #55590, both open. That would blind `errors()` in OTel mode, so while zone.js carries the
 * context the bridge is replaced by one that dispatches a proper event on window.
 */

interface ZoneStatic {
  __symbol__(name: string): string;
  [key: string]: unknown;
}

/** What zone.js passes: its wrapper Error (with `rejection` and `promise`), or the bare rejection. */
type Rejection = { rejection?: unknown; promise?: Promise<unknown> } | undefined;

/** Installs the bridge; returns what puts zone.js's own back. A no-op without zone.js or PromiseRejectionEvent. */
export function bridgeZoneRejections(): () => void {
  const zone = (globalThis as { Zone?: ZoneStatic }).Zone;
  if (!zone || typeof PromiseRejectionEvent !== 'function') return () => {};
  const key = zone.__symbol__('unhandledPromiseRejectionHandler');
  const original = zone[key];
  const bridge = (error: Rejection): void => {
    const wrapped = !!error?.promise && 'rejection' in error;
    dispatchEvent(
      new PromiseRejectionEvent('unhandledrejection', {
        // The bare value comes without its promise; the event needs one, and one that is settled.
        promise: wrapped ? error!.promise! : Promise.resolve(),
        reason: wrapped ? error!.rejection : error,
      }),
    );
  };
  zone[key] = bridge;
  return () => {
    if (zone[key] === bridge) zone[key] = original;
  };
}
