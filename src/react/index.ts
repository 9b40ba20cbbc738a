export { TelemetryProvider, useTelemetry, type TelemetryProviderProps } from './context';
export { ErrorBoundary, type ErrorBoundaryProps, type FallbackProps, type ResetDetails } from './error-boundary';
export { withErrorBoundary } from './with-error-boundary';
export { reactErrorHandler, type ReactErrorHandlers, type RootErrorHandler, type RootErrorInfo } from './error-handler';
