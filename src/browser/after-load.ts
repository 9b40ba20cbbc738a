/**
 * Runs work the page's own load should not wait for (fetching a lazy chunk) once the page has
 * loaded: after the `load` event, or at once when the document is already complete.
 *
 * A page hidden before its load (a tab switched away from during a slow load, a quick bounce) runs
 * it at once instead: what reports on hide has to be in place before the next hide, and the load
 * event of a hidden page may be a long way off (background tabs are throttled).
 * https://developer.chrome.com/docs/web-platform/page-lifecycle-api#advice-hidden
 */
import { listen } from './listen';

/** Calls `run` once, at the first of the moments above; the returned function cancels it. */
export function afterLoad(run: () => void): () => void {
  if (typeof document === 'undefined' || document.readyState === 'complete') {
    run();
    return () => undefined;
  }
  const unlisten = listen(['load', 'visibilitychange', 'pagehide'], ({ type }) => {
    // (The load events of images and scripts stop at the document: window hears only the page's.)
    if (type === 'visibilitychange' && document.visibilityState !== 'hidden') return;
    unlisten();
    run();
  });
  return unlisten;
}
