/**
 * Rewrites the location (and function name) in the lines of an `error.stack`, keeping everything
 * else of the text: the message, the indentation, the engine's layout.
 */

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

/** V8: `    at [async |new ]name (file:line:col)` or `    at file:line:col`. */
const V8_LINE = /^(\s*at\s+)(?:((?:async\s+|new\s+)?)(.*?)\s+\()?(.+?):(\d+):(\d+)(\)?)\s*$/;
/** SpiderMonkey and JavaScriptCore: `[cause*]name@file:line:col` (Firefox's cause: `async*`, `promise callback*`). */
const GECKO_LINE = /^(\s*(?:[^@*]*\*)?)(.*?)@(.+?):(\d+):(\d+)\s*$/;

/** The location of a stack line, if it has one. */
export function placeOf(line: string): StackPlace | undefined {
  const v8 = V8_LINE.exec(line);
  if (v8 !== null) return { file: v8[4]!, line: Number(v8[5]), column: Number(v8[6]) };
  const gecko = GECKO_LINE.exec(line);
  if (gecko !== null) return { file: gecko[3]!, line: Number(gecko[4]), column: Number(gecko[5]) };
  return undefined;
}

/** The function name of a stack line (`o` of `at o (app.js:1:2)`), if it has one. */
export function nameOf(line: string): string | undefined {
  const name = V8_LINE.exec(line)?.[3] ?? GECKO_LINE.exec(line)?.[2];
  return name === '' ? undefined : name;
}

/** The stack with each line that `replace` answers for rewritten; `replace` is told the line's own name too. */
export function rewriteStack(stack: string, replace: (place: StackPlace, name?: string) => StackReplacement | undefined): string {
  return stack
    .split('\n')
    .map((line) => {
      const place = placeOf(line);
      const replacement = place === undefined ? undefined : replace(place, nameOf(line));
      if (replacement === undefined) return line;
      const location = `${replacement.place.file}:${replacement.place.line}:${replacement.place.column}`;
      const v8 = V8_LINE.exec(line);
      if (v8 !== null) {
        const [, lead, prefix = '', own] = v8;
        const name = replacement.name ?? own;
        return name ? `${lead}${prefix}${name} (${location})` : `${lead}${location}`;
      }
      const [, indent, own] = GECKO_LINE.exec(line)!;
      return `${indent}${replacement.name ?? own}@${location}`;
    })
    .join('\n');
}
