/**
 * Page exit, as reliably as browsers allow: `visibilitychange` to hidden is the last event that
 * fires on every platform (mobile tab switches and kills included), `pagehide` covers navigation in
 * browsers where it comes first, and `pageshow` brings a page back from the back/forward cache.
 * https://developer.chrome.com/docs/web-platform/page-lifecycle-api#advice-hidden
 */
import { listen } from './listen';

const EVENTS = ['visibilitychange', 'pagehide', 'pageshow'];

export function onVisibility(callback: (hidden: boolean) => void): () => void {
  const listener = ({ type }: Event): void => callback(type === 'pagehide' || (type !== 'pageshow' && document.visibilityState === 'hidden'));
  // `visibilitychange` bubbles from document to window, so one window listener hears all three.
  return listen(EVENTS, listener);
}
