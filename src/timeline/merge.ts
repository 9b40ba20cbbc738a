import type { TimelineRecord } from './record';

/**
 * One timeline from several inputs, oldest first. The sort is stable and the inputs are joined in
 * the order given, so records with equal times keep the order of their input and of the inputs.
 * Records with no time at all (an input whose first lines carry none) come first.
 */
export function mergeRecords(inputs: readonly (readonly TimelineRecord[])[]): TimelineRecord[] {
  return inputs.flat().sort((a, b) => (a.time ?? -Infinity) - (b.time ?? -Infinity) || 0);
}
