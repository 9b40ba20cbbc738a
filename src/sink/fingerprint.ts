/**
 * Groups occurrences of one bug: the error's type and message, and the function and file of its
 * top three frames. Line and column are left out, so a release that moves code keeps its groups;
 * digits are left out too (`Order 5123 not found`, `chunk 7f3a9c failed`, `bundle.4a41.js`), so one
 * bug with varying ids, counts or hashed file names is one group.
 *
 * The sink computes it (`error-details.ts`), from the frames after source maps when they were
 * mapped: the original names and files stay the same across releases, minified ones do not.
 * Clients that computed it in the page used the same hash of the same frames, so their groups and
 * the sink's agree where no maps apply and redaction left the message as it was (the page hashed
 * the message before redacting it; the sink hashes what it received).
 */
import type { ErrorInfo } from '../core/types';

/** Words that hold a digit: numbers, ids, hashes, uuid parts. Anchored at word starts, so it stays linear. */
const NUMBERS = /\b\w*\d\w*/g;

/** 8 hex digits: FNV-1a, 32 bits (http://www.isthe.com/chongo/tech/comp/fnv/), cheap and synchronous. */
export function fingerprint({ type, message, frames }: ErrorInfo): string {
  let text = String(type) + '|' + String(message);
  // A frame that is not an object (a custom sender's) counts as one without function and file.
  for (const frame of Array.isArray(frames) ? frames.slice(0, 3) : []) {
    const { function: fn, file } = frame !== null && typeof frame === 'object' ? frame : ({} as Record<string, unknown>);
    text += '|' + String(fn) + '|' + String(file);
  }
  text = text.replace(NUMBERS, '0');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
