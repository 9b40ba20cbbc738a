/**
 * The one reader of `error.stack` text in the project: the frames the sink gives an event that
 * arrives without them, the places of its lines, and the text with those places rewritten (source
 * maps), keeping everything else: the message, the indentation, the engine's layout.
 *
 * Engines write stacks differently and no standard says how (https://github.com/tc39/proposal-error-stacks):
 * - V8 (Chromium, Node): a header line, then `    at fn (file:line:col)` or `    at file:line:col`;
 *   `eval at outer (file:line:col), <anonymous>:l:c` where code came from eval or `new Function`.
 * - SpiderMonkey (Firefox) and JavaScriptCore (Safari): `fn@file:line:col`, one per line, no header;
 *   `@file` for anonymous code, `file line 4 > eval:1:2` for eval (Firefox), `map@[native code]`.
 */
import type { StackFrame } from '../core/types';

export interface StackPlace {
  file: string;
  line: number;
  column: number;
}

export interface StackReplacement {
  place: StackPlace;
  /** The function name to show instead; `undefined` keeps the line's own. */
  name?: string;
}

/** `at` [`async `] [fn ` (`] [`async `] location [`:line`[`:col`]] [`)`] */
const V8 = /^at (async )?(?:(.+?) \()?(?:async )?(.*?)(?::(\d+))?(?::(\d+))?\)?$/;

/**
 * [cause `*`] [fn `@`] location [`:line`[`:col`]]. Firefox marks frames of async callers with
 * their cause: `async*fn@…`, `promise callback*fn@…`. The location starts at the first `@` that is
 * followed by a URL scheme (or `[native code]`), or else after the last `@`: function names may
 * hold an `@` (`o['a@b']()`), and so may URLs (`/node_modules/@scope/pkg.js`).
 */
const GECKO = /^([^@*]*\*)?(?:(.*?)@)?((?:[a-z][\w+.-]*:\/|\[).*?|[^@]*?)(?::(\d+))?(?::(\d+))?$/i;

/**
 * A V8 stack starts with the message, which may hold anything, even an `@`: only `at` lines count.
 * `[ \t]`, not `\s`: `\s` crosses line ends, and a stack of blank lines would make it quadratic.
 */
const V8_STACK = /^[ \t]*at /m;

/** V8 names an eval's caller: `eval at fn (http://x/a.js:3:5), <anonymous>:1:1`; that is the place to show. */
const V8_EVAL = /\((\S*):(\d+):(\d+)\)/;

/** Firefox: `http://x/a.js line 26 > eval line 2 > eval`, where line 26 holds the outermost eval. */
const GECKO_EVAL = /^(.*?) line (\d+) > /;

/** Beyond this, frames are deep framework internals that no one reads. */
const MAX_FRAMES = 50;

/** One frame line, in parts, so that it can be read as a frame or written again with another place. */
interface FrameLine {
  /** The indentation. */
  lead: string;
  /** V8's `async ` before the name, or Firefox's cause (`async*`). */
  prefix: string;
  /** The name as written; `undefined` when the line has none (no `fn (`, no `@`). */
  name: string | undefined;
  file: string;
  line?: string;
  column?: string;
}

function readLine(text: string, v8: boolean): FrameLine | undefined {
  const body = text.trim();
  const match = (v8 ? V8 : GECKO).exec(body);
  // A Gecko line is a frame when it names a function, a line or native code (Safari writes a bare
  // `eval code` line for the evaluated script, with nothing to locate it).
  if (!match || (!v8 && match[2] == null && !match[4] && match[3]![0] !== '[')) return undefined;
  const lead = text.slice(0, text.length - text.trimStart().length);
  return { lead, prefix: match[1] ?? '', name: match[2], file: match[3]!, line: match[4], column: match[5] };
}

/**
 * The frame a line stands for; an eval's frame is the line that called eval. Parts a line lacks are
 * absent, not `undefined`: writers and schema validators get the frame as JSON would have it.
 */
function frameOf(parts: FrameLine, v8: boolean): StackFrame {
  let { file, line, column } = parts;
  const evaluated = (v8 ? V8_EVAL : GECKO_EVAL).exec(file);
  if (evaluated) [, file, line, column] = evaluated;
  const frame: StackFrame = {};
  if (parts.name) frame.function = parts.name;
  if (file) frame.file = file;
  if (line) frame.line = +line;
  if (column) frame.column = +column;
  return frame;
}

/** Where a line points to in its own text: a file, a line and a column, not through an eval. */
function placeOfParts(parts: FrameLine | undefined, v8: boolean): StackPlace | undefined {
  if (parts === undefined || !parts.file || !parts.line || !parts.column) return undefined;
  if ((v8 ? V8_EVAL : GECKO_EVAL).test(parts.file)) return undefined;
  return { file: parts.file, line: Number(parts.line), column: Number(parts.column) };
}

/** The frames of a stack, top first, at most 50; none for anything that is not a string. */
export function parseStack(stack: unknown): StackFrame[] {
  const frames: StackFrame[] = [];
  if (typeof stack !== 'string') return frames;
  const v8 = V8_STACK.test(stack);
  for (const text of stack.split('\n')) {
    const parts = readLine(text, v8);
    if (parts === undefined) continue;
    frames.push(frameOf(parts, v8));
    if (frames.length === MAX_FRAMES) break;
  }
  return frames;
}

/** The place of each line of a stack (or of React's component stack), `undefined` where a line has none. */
export function stackPlaces(stack: string): Array<StackPlace | undefined> {
  const v8 = V8_STACK.test(stack);
  return stack.split('\n').map((text) => placeOfParts(readLine(text, v8), v8));
}

/** The stack with each line that `replace` answers for rewritten; `replace` is told the line's own name too. */
export function rewriteStack(stack: string, replace: (place: StackPlace, name?: string) => StackReplacement | undefined): string {
  const v8 = V8_STACK.test(stack);
  return stack
    .split('\n')
    .map((text) => {
      const parts = readLine(text, v8);
      const place = placeOfParts(parts, v8);
      const replacement = place === undefined ? undefined : replace(place, parts!.name || undefined);
      if (replacement === undefined) return text;
      const { lead, prefix, name: own } = parts!;
      const location = `${replacement.place.file}:${replacement.place.line}:${replacement.place.column}`;
      // V8 writes `new ` as part of a constructor's name; the original name keeps it.
      const name = replacement.name === undefined ? own : own?.startsWith('new ') ? `new ${replacement.name}` : replacement.name;
      if (v8) return name ? `${lead}at ${prefix}${name} (${location})` : `${lead}at ${prefix}${location}`;
      return name === undefined ? `${lead}${prefix}${location}` : `${lead}${prefix}${name}@${location}`;
    })
    .join('\n');
}
