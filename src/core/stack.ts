/**
 * Reads `error.stack` into frames, top frame first. Engines write it differently and no standard
 * says how (https://github.com/tc39/proposal-error-stacks):
 * - V8 (Chromium, Node): a header line, then `    at fn (file:line:col)` or `    at file:line:col`;
 *   `eval at outer (file:line:col), <anonymous>:l:c` where code came from eval or `new Function`.
 * - SpiderMonkey (Firefox) and JavaScriptCore (Safari): `fn@file:line:col`, one per line, no header;
 *   `@file` for anonymous code, `file line 4 > eval:1:2` for eval (Firefox), `map@[native code]`.
 */
import type { StackFrame } from './types';

/** `at` [`async `] [fn ` (`] [`async `] location [`:line`[`:col`]] [`)`] */
const V8 = /^at (?:async )?(?:(.+?) \()?(?:async )?(.*?)(?::(\d+))?(?::(\d+))?\)?$/;

/**
 * [cause `*`] [fn `@`] location [`:line`[`:col`]]. Firefox marks frames of async callers with
 * their cause: `async*fn@…`, `promise callback*fn@…`. The location starts at the first `@` that is
 * followed by a URL scheme (or `[native code]`), or else after the last `@`: function names may
 * hold an `@` (`o['a@b']()`), and so may URLs (`/node_modules/@scope/pkg.js`).
 */
const GECKO = /^(?:[^@*]*\*)?(?:(.*?)@)?((?:[a-z][\w+.-]*:\/|\[).*?|[^@]*?)(?::(\d+))?(?::(\d+))?$/i;

/** V8 names an eval's caller: `eval at fn (http://x/a.js:3:5), <anonymous>:1:1`; that is the place to show. */
const V8_EVAL = /\((\S*):(\d+):(\d+)\)/;

/** Firefox: `http://x/a.js line 26 > eval line 2 > eval`, where line 26 holds the outermost eval. */
const GECKO_EVAL = /^(.*?) line (\d+) > /;

/** Beyond this, frames are deep framework internals that no one reads. */
const MAX_FRAMES = 50;

export function parseStack(stack: unknown): StackFrame[] {
  const frames: StackFrame[] = [];
  if (typeof stack !== 'string') return frames;
  // A V8 stack starts with the message, which may hold anything, even an `@`: only `at` lines count.
  const v8 = /^\s*at /m.test(stack);
  for (const line of stack.split('\n')) {
    const match = (v8 ? V8 : GECKO).exec(line.trim());
    // A Gecko line is a frame when it names a function, a line or native code (Safari writes a bare
    // `eval code` line for the evaluated script, with nothing to locate it).
    if (!match || (!v8 && match[1] == null && !match[3] && match[2][0] !== '[')) continue;
    let [, fn, file, row, column] = match;
    const evaluated = (v8 ? V8_EVAL : GECKO_EVAL).exec(file);
    if (evaluated) [, file, row, column] = evaluated;
    frames.push({
      function: fn || undefined,
      file: file || undefined,
      line: row ? +row : undefined,
      column: column ? +column : undefined,
    });
    if (frames.length === MAX_FRAMES) break;
  }
  return frames;
}
