/**
 * Positions in a minified script, looked up in its source map. Stack traces count columns from 1
 * and source maps from 0 (https://tc39.es/source-map/#mappings-structure); the functions here take
 * and give stack-trace columns.
 */
import type { LoadedMap } from './source-map-store';

export interface OriginalPosition {
  /** The source as the map names it, resolved against the map's URL (often a file: URL). */
  source: string;
  line: number;
  column: number;
  /** The original name of the identifier at the position, when the minifier renamed it. */
  name?: string;
  /** Whether a mapping starts exactly at the position (so `name` is that of the token there). */
  exact: boolean;
}

export function originalPosition(map: LoadedMap, line: number, column: number): OriginalPosition | undefined {
  if (!(line >= 1 && column >= 1)) return undefined;
  const found = map.consumer.originalPositionFor({ line, column: column - 1 });
  if (found.source === null || found.line === null || found.column === null) return undefined;
  // The lookup takes the closest mapping at or before the column; it is the token at the column
  // only when that mapping also leads back to exactly this place.
  const exact = map.consumer
    .allGeneratedPositionsFor({ source: found.source, line: found.line, column: found.column })
    .some((position) => position.line === line && position.column === column - 1);
  const position: OriginalPosition = { source: found.source, line: found.line, column: found.column + 1, exact };
  if (found.name !== null && found.name !== '') position.name = found.name;
  return position;
}

/**
 * The name a call site gives the function it calls: V8 and SpiderMonkey place a caller's frame at
 * the callee's name (`computeTotal` in `computeTotal(cart)`, `total` in `cart.total()`), so the
 * token there, in the original source, is the called function's original name. This is how
 * minified frames get their names back without a parser.
 */
export function nameAtCallSite(map: LoadedMap, line: number, column: number): string | undefined {
  const position = originalPosition(map, line, column);
  if (position === undefined || !position.exact) return undefined;
  if (position.name !== undefined) return identifier(position.name);
  return identifierAt(map, position);
}

/**
 * The original name of the function called `minifiedName` in the minified script whose body holds
 * the position, from the map's `names` at its declaration: the nearest declaration of that name
 * before (or at) the position (`function o(`, `class o`, `o=class`,
 * `o=function`, `o=(...)=>`, `o(...){`) is looked up in the map. For frames without a mapped
 * caller: event handlers, timers, promise callbacks.
 */
export function declaredName(map: LoadedMap, minifiedName: string, line: number, column: number): string | undefined {
  const code = map.generated;
  if (code === undefined || !/^[A-Za-z_$][\w$]*$/.test(minifiedName)) return undefined;
  const starts = lineStarts(map, code);
  const offset = (starts[line - 1] ?? Infinity) + column - 1;
  if (!(offset <= code.length)) return undefined;
  const from = Math.max(0, offset - SEARCH_WINDOW);
  // A little past the position too: React's component stacks point at the declaration itself
  // (`function o(`), whose name comes after.
  const window = code.slice(from, offset + minifiedName.length + 12);
  const name = minifiedName.replace(/\$/g, '\\$');
  const declaration = new RegExp(
    `function\\s*\\*?\\s*(${name})\\s*\\(|class\\s+(${name})(?![\\w$])|(?<![\\w$.])(${name})\\s*=\\s*(?:async\\s*)?(?:function\\b|class\\b|\\([^()]*\\)\\s*=>|[\\w$]+\\s*=>)|(?<![\\w$.])(${name})\\s*\\([^()]*\\)\\s*\\{`,
    'gd',
  );
  let last: number | undefined;
  for (const match of window.matchAll(declaration)) {
    const group = match.indices?.slice(1).find((range) => range !== undefined);
    if (group !== undefined) last = group[0];
  }
  if (last === undefined) return undefined;
  const at = from + last;
  const tokenLine = upperBound(starts, at);
  const position = originalPosition(map, tokenLine, at - starts[tokenLine - 1]! + 1);
  return position?.exact && position.name !== undefined ? identifier(position.name) : undefined;
}

/** Enough for the enclosing declaration of all but the longest functions, without scanning whole bundles. */
const SEARCH_WINDOW = 100_000;

const KEYWORDS = new Set(
  'await break case catch class const continue debugger default delete do else export extends finally for function if import in instanceof let new return super switch this throw try typeof var void while with yield async of'.split(
    ' ',
  ),
);

function identifier(name: string): string | undefined {
  // A mapping's name can be a whole expression (`this.handler`) in some tools' output.
  const text = name.trim();
  return text === '' || KEYWORDS.has(text) ? undefined : text;
}

function identifierAt(map: LoadedMap, position: OriginalPosition): string | undefined {
  const text = sourceLines(map, position.source)?.[position.line - 1];
  if (text === undefined) return undefined;
  const match = /^[A-Za-z_$][\w$]*/.exec(text.slice(position.column - 1));
  return match === null ? undefined : identifier(match[0]);
}

function sourceLines(map: LoadedMap, source: string): string[] | undefined {
  const cache = (map._sourceLines ??= new Map());
  if (!cache.has(source)) {
    const content = map.consumer.sourceContentFor(source, true);
    cache.set(source, content === null ? undefined : content.split(/\r\n|\r|\n/));
  }
  return cache.get(source);
}

/** Offsets where each line of the script starts; index 0 is line 1. */
function lineStarts(map: LoadedMap, code: string): number[] {
  if (map._lineStarts === undefined) {
    const starts = [0];
    for (let index = code.indexOf('\n'); index !== -1; index = code.indexOf('\n', index + 1)) starts.push(index + 1);
    map._lineStarts = starts;
  }
  return map._lineStarts;
}

/** The 1-based line holding `offset`. */
function upperBound(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (starts[middle]! <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}
