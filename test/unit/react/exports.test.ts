// The public surface of `tracebeam/react`: a change here is a reviewed change of the API.
import { expect, it } from 'vitest';
import * as react from '../../../src/react/index';

it('exports exactly these runtime values', () => {
  expect(Object.keys(react).sort()).toEqual(['ErrorBoundary', 'TelemetryProvider', 'reactErrorHandler', 'useTelemetry', 'withErrorBoundary']);
});

it('is components and functions only: no client of its own', () => {
  for (const value of Object.values(react)) expect(typeof value).toBe('function');
});
