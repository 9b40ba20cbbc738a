/**
 * Groups occurrences of one bug: the error's type and message, and the function and file of its
 * top three frames. Line and column are left out, so a release that moves code keeps its groups;
 * digits are left out too (`Order 5123 not found`, `chunk 7f3a9c failed`, `bundle.4a41.js`), so one
 * bug with varying ids, counts or hashed file names is one group.
 */
import type { ErrorInfo } from './types';

/** Words that hold a digit: numbers, ids, hashes, uuid parts. Anchored at word starts, so it stays linear. */
const NUMBERS = /\b\w*\d\w*/g;

/** 8 hex digits: FNV-1a, 32 bits (http://www.isthe.com/chongo/tech/comp/fnv/), cheap and synchronous. */
export function fingerprint({ type, message, frames = [] }: ErrorInfo): string {
  let text = type + '|' + message;
  for (const frame of frames.slice(0, 3)) text += '|' + frame.function + '|' + frame.file;
  text = text.replace(NUMBERS, '0');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
