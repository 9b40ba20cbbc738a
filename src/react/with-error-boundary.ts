/** `withErrorBoundary(Component, options)`: the component wrapped in an `<ErrorBoundary>`. */
import { createElement, type ComponentType } from 'react';
import { ErrorBoundary, type ErrorBoundaryProps } from './error-boundary';

export function withErrorBoundary<P extends object>(Wrapped: ComponentType<P>, options: Omit<ErrorBoundaryProps, 'children'> = {}): ComponentType<P> {
  const Wrapper = (props: P) => createElement(ErrorBoundary, options, createElement(Wrapped, props));
  // What React DevTools and component stacks show.
  Wrapper.displayName = `withErrorBoundary(${Wrapped.displayName || Wrapped.name || 'Component'})`;
  return Wrapper;
}
