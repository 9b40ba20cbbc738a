/**
 * `<ErrorBoundary>`: shows a fallback instead of a subtree that threw while rendering (or in an
 * effect or lifecycle method), and reports the error once, with React's component stack, under
 * the trace that was current.
 */
import { Component, type ContextType, type ErrorInfo, type ReactNode } from 'react';
import { orInert, TelemetryContext } from './context';
import { reportReactError } from './report';

export interface FallbackProps {
  error: unknown;
  /** Renders the children again. */
  reset: () => void;
}

export type ResetDetails = { reason: 'reset' } | { reason: 'keys'; prev?: readonly unknown[]; next?: readonly unknown[] };

export interface ErrorBoundaryProps {
  children?: ReactNode;
  /** What to show instead of the children: an element, or a function of the error and `reset`. */
  fallback?: ReactNode | ((props: FallbackProps) => ReactNode);
  /** Called after the error was reported. */
  onError?: (error: unknown, info: { componentStack: string }) => void;
  /** Called before the children render again, by `reset` or because a reset key changed. */
  onReset?: (details: ResetDetails) => void;
  /** When any of these changes (by `Object.is`) while the fallback shows, the children render again. */
  resetKeys?: readonly unknown[];
}

interface State {
  /** Boxed, because `null` and `undefined` can be thrown too. */
  caught?: { error: unknown };
}

const changed = (previous: readonly unknown[] = [], next: readonly unknown[] = []): boolean =>
  previous.length !== next.length || previous.some((item, index) => !Object.is(item, next[index]));

export class ErrorBoundary extends Component<ErrorBoundaryProps, State> {
  // A getter, not a static field: compiled to an assignment after the class, a field would keep the
  // class in bundles of apps that never use it.
  static get contextType(): typeof TelemetryContext {
    return TelemetryContext;
  }
  declare context: ContextType<typeof TelemetryContext>;
  state: State = {};

  static getDerivedStateFromError(error: unknown): State {
    return { caught: { error } };
  }

  componentDidCatch(error: unknown, { componentStack }: ErrorInfo): void {
    reportReactError(orInert(this.context), error, true, 'react.ErrorBoundary', componentStack);
    this.props.onError?.(error, { componentStack: componentStack || '' });
  }

  componentDidUpdate(prev: ErrorBoundaryProps, prevState: State): void {
    // Not in the update that caught the error: the change of key that made the children throw
    // would otherwise reset them at once, into the same error.
    if (this.state.caught && prevState.caught && changed(prev.resetKeys, this.props.resetKeys)) {
      this._reset({ reason: 'keys', prev: prev.resetKeys, next: this.props.resetKeys });
    }
  }

  private _reset(details: ResetDetails): void {
    if (!this.state.caught) return;
    this.props.onReset?.(details);
    this.setState({ caught: undefined });
  }

  render(): ReactNode {
    const { caught } = this.state;
    if (!caught) return this.props.children;
    const { fallback } = this.props;
    // A `reset` that takes no arguments: a fallback may hand it to onClick as it is.
    return typeof fallback === 'function' ? fallback({ error: caught.error, reset: () => this._reset({ reason: 'reset' }) }) : (fallback ?? null);
  }
}
