import { ROOT_CONTEXT, SpanKind, TraceFlags, trace, type Context } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { sessionSampler } from '../../../src/otel/sampler';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

const under = (flags: number, isRemote = false): Context =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: '00f067aa0ba902b7', traceFlags: flags, isRemote });

const decide = (sampled: boolean, context: Context = ROOT_CONTEXT) =>
  sessionSampler(() => sampled).shouldSample(context, TRACE, 'span', SpanKind.INTERNAL, {}, []).decision;

describe('sessionSampler', () => {
  it('samples a root span when the session (and its trace) is sampled', () => {
    expect(decide(true)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('records but does not sample a root span when the session is not sampled', () => {
    // Recorded, so that a span ending in error is still exported; its traceparent says 00.
    expect(decide(false)).toBe(SamplingDecision.RECORD);
  });

  it('asks the session at every root span: a new session decides anew', () => {
    let sampled = false;
    const sampler = sessionSampler(() => sampled);
    const at = () => sampler.shouldSample(ROOT_CONTEXT, TRACE, 'span', SpanKind.INTERNAL, {}, []).decision;
    expect(at()).toBe(SamplingDecision.RECORD);
    sampled = true;
    expect(at()).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('follows a parent, local or remote, whatever the session says', () => {
    for (const remote of [false, true]) {
      expect(decide(false, under(TraceFlags.SAMPLED, remote))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(decide(true, under(TraceFlags.NONE, remote))).toBe(SamplingDecision.RECORD);
    }
  });

  it('describes itself', () => {
    expect(sessionSampler(() => true).toString()).toContain('TracebeamSession');
  });
});
