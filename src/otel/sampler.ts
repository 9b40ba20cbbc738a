/**
 * Sampling in OTel mode follows the client's `sampleRate`, decided once per session, through a
 * parent-based sampler (https://opentelemetry.io/docs/specs/otel/trace/sdk/#parentbased): a span
 * with a parent follows it, a root span follows the session and the interaction trace's own
 * `sampled` flag (a server that rendered `<meta name="traceparent">` with flags 00 did not sample).
 *
 * What is not sampled is still recorded (RECORD_ONLY, not NOT_RECORD): its `traceparent` says 00,
 * but a span that ends with an ERROR status is exported all the same, because error events are
 * always kept.
 */
import { ParentBasedSampler, SamplingDecision, type Sampler } from '@opentelemetry/sdk-trace-web';

const record = (sampled: boolean) => ({ decision: sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.RECORD });

/** `isSampled` says, at each root span, whether the session and the current trace are sampled. */
export function sessionSampler(isSampled: () => boolean): Sampler {
  const recordOnly: Sampler = { shouldSample: () => record(false), toString: () => 'RecordOnly' };
  return new ParentBasedSampler({
    root: { shouldSample: () => record(isSampled()), toString: () => 'TracebeamSession' },
    remoteParentNotSampled: recordOnly,
    localParentNotSampled: recordOnly,
  });
}
