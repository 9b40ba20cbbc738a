/**
 * Resolves at the first SIGINT or SIGTERM. The listeners are removed then, so a second Ctrl-C
 * during a slow shutdown falls back to node's default and ends the process at once.
 */
export function untilSignal(target: NodeJS.Process = process): Promise<NodeJS.Signals> {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      for (const name of signals) target.off(name, onSignal);
      resolve(signal);
    };
    for (const name of signals) target.on(name, onSignal);
  });
}
