/**
 * Capture-phase listeners on window, added and removed together. In the capture phase the SDK hears
 * an event before the app's handlers do, and hears `visibilitychange` even when it is dispatched
 * without bubbling.
 */
export function listen(types: string[], listener: (event: Event) => void): () => void {
  types.forEach((type) => addEventListener(type, listener, true));
  return () => types.forEach((type) => removeEventListener(type, listener, true));
}
