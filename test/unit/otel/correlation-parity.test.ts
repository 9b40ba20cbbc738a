// @vitest-environment happy-dom
// The two trace models agree on what a backend that only logs the correlation header sees: for a
// `traceparent` the caller set, valid or not, the light model's request tracer and OTel mode's
// propagator write the same `x-trace-id`.
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { Client } from '../../../src/core/types';
import { requestTracer } from '../../../src/browser/propagation';
import { correlationPropagator } from '../../../src/otel/propagator';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

const CALLERS = [
  '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  ' 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00 ',
  '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-later-fields',
  '00-00000000000000000000000000000000-b7ad6b7169203331-01',
  '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
  'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  '00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01',
  '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra',
  'garbage',
  '',
];

function lightModel(caller: string): string | null {
  const client = {
    options: { sink: 'https://logs.test/api/log', propagateTo: [], correlationHeader: 'x-trace-id' },
    currentTrace: () => ({ traceId: TRACE, spanId: SPAN, flags: 1 }),
    capture: () => {},
  } as unknown as Client;
  const headers = new Headers({ traceparent: caller });
  requestTracer(client)('GET', new URL('/api/items', location.href), headers);
  return headers.get('x-trace-id');
}

function otelMode(caller: string): string | null {
  const headers = new Headers({ traceparent: caller });
  const active = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED });
  correlationPropagator('x-trace-id').inject(active, headers, { set: (h: Headers, k: string, v: string) => h.set(k, v) });
  return headers.get('x-trace-id');
}

describe('the correlation header in both trace models', () => {
  it.each(CALLERS)('is the same for a caller traceparent %j', (caller) => {
    expect(otelMode(caller)).toBe(lightModel(caller));
  });

  it('is the caller trace id when it parses, else the current trace id', () => {
    expect(CALLERS.map(otelMode)).toEqual([
      '0af7651916cd43dd8448eb211c80319c',
      '0af7651916cd43dd8448eb211c80319c',
      '0af7651916cd43dd8448eb211c80319c',
      TRACE,
      TRACE,
      TRACE,
      TRACE,
      TRACE,
      TRACE,
      TRACE,
    ]);
  });
});
