/**
 * `sourceMapResolver(dir)`: stack frames of minified bundles mapped back to the original file,
 * line, column and function name with the build's source maps, before events are written.
 *
 * Node only, but safe to import anywhere: node: modules and `source-map` are loaded on first use.
 */
import type { StackFrame, TelemetryEvent } from '../core/types';
import type { SinkWriter } from './handler';
import { createMapStore, type LoadedMap, type MapStore } from './source-map-store';
import { declaredName, nameAtCallSite, originalPosition } from './source-positions';
import { refingerprint } from './error-details';
import { rewriteStack, stackPlaces, type StackPlace, type StackReplacement } from './stack-lines';

/** What React's `componentStack` becomes on an event: `    at Cart (https://.../index.js:1:2)` lines. */
type WithComponentStack = TelemetryEvent & { component_stack?: unknown; minified_component_stack?: string };

export interface SourceMapResolverOptions {
  /** Original files under this directory are shown relative to it; default: the working directory. */
  root?: string;
  /** Where a map that can not be used is reported, once; default `console.error`. */
  warn?: (message: string) => void;
}

export interface SourceMapResolver {
  /** The events with their error frames and stacks mapped; never rejects, an event that can not be mapped is returned as it was. */
  resolve(events: TelemetryEvent[]): Promise<TelemetryEvent[]>;
  /** A `write` for `createSinkHandler` that maps events before handing them to `write`. */
  wrap(write: SinkWriter): SinkWriter;
  /** Frees the parsed maps. */
  close(): void;
}

/** A mapped frame keeps where it was in the bundle. */
export interface MappedFrame extends StackFrame {
  minified?: StackFrame;
}

/**
 * Maps `error.frames` and `error.stack` of events with the `*.map` files under `dir`. A frame's
 * script is matched by its URL's file name: `app.min.js` takes `app.min.js.map`, or a map whose
 * `file` field names `app.min.js`; where several maps share a name, the one whose path under `dir`
 * matches more of the URL's path wins. Mapped frames keep their minified place under `minified`;
 * `error.stack` is rewritten to the original places and the received text is kept as
 * `error.minified_stack`. A fingerprint that `createSinkHandler` computed is computed again from
 * the mapped frames; one that the event brought is kept.
 */
export function sourceMapResolver(dir: string, options: SourceMapResolverOptions = {}): SourceMapResolver {
  if (typeof dir !== 'string' || dir === '') throw new TypeError('tracebeam sink: sourceMapResolver needs a directory');
  const warn = options.warn ?? ((message: string) => console.error(message));
  const store = createMapStore(dir, { warn });
  let display: Promise<(source: string) => string> | undefined;

  async function resolve(events: TelemetryEvent[]): Promise<TelemetryEvent[]> {
    if (!events.some(hasStack)) return events;
    display ??= displayPaths(options.root);
    store.hold();
    try {
      const show = await display;
      const out: TelemetryEvent[] = [];
      for (const event of events) out.push(hasStack(event) ? await resolveEvent(event, store, show, warn) : event);
      return out;
    } catch (error) {
      warn(`tracebeam sink: could not apply source maps: ${error instanceof Error ? error.message : String(error)}`);
      return events;
    } finally {
      store.release();
    }
  }

  return {
    resolve,
    wrap: (write) => async (events) => write(await resolve(events)),
    close: () => store.close(),
  };
}

function hasStack(event: TelemetryEvent): boolean {
  const error = event.error;
  return (
    error !== null &&
    typeof error === 'object' &&
    (Array.isArray(error.frames) || typeof error.stack === 'string' || typeof (event as WithComponentStack).component_stack === 'string')
  );
}

/** A mapped frame as its stack line is to be rewritten. */
interface Resolved {
  place: StackPlace;
  name?: string;
}

async function resolveEvent(
  event: TelemetryEvent,
  store: MapStore,
  show: (source: string) => string,
  warn: (message: string) => void,
): Promise<TelemetryEvent> {
  try {
    const error = event.error!;
    const frames: unknown[] = Array.isArray(error.frames) ? error.frames : [];
    const maps = new Map<string, LoadedMap | undefined>();
    const mapOf = async (file: unknown): Promise<LoadedMap | undefined> => {
      if (typeof file !== 'string') return undefined;
      if (!maps.has(file)) maps.set(file, await store.find(file));
      return maps.get(file);
    };
    const components = (event as WithComponentStack).component_stack;
    const texts = [error.stack, components].filter((text): text is string => typeof text === 'string');
    const places = texts.flatMap((text) => stackPlaces(text));
    // Everything asynchronous first; the lookups below are synchronous, so maps can not change under them.
    for (const frame of frames) await mapOf(isFrame(frame) ? frame.file : undefined);
    for (const place of places) await mapOf(place?.file);

    const byPlace = new Map<string, Resolved>();
    const mapped = frames.map((frame, index) => {
      if (!isFrame(frame) || typeof frame.file !== 'string' || !isCount(frame.line) || !isCount(frame.column)) return frame;
      const map = maps.get(frame.file);
      const position = map === undefined ? undefined : originalPosition(map, frame.line, frame.column);
      if (map === undefined || position === undefined) return frame;
      const name = originalName(frames, index, maps, map);
      const minified: StackFrame = { file: frame.file, line: frame.line, column: frame.column };
      if (typeof frame.function === 'string') minified.function = frame.function;
      const result: MappedFrame = { ...frame, file: show(position.source), line: position.line, column: position.column, minified };
      if (name !== undefined) result.function = name;
      const key = placeKey(frame.file, frame.line, frame.column);
      if (!byPlace.has(key)) byPlace.set(key, { place: { file: result.file!, line: position.line, column: position.column }, name });
      return result;
    });

    const replace = (place: StackPlace, own?: string): StackReplacement | undefined => {
      const known = byPlace.get(placeKey(place.file, place.line, place.column));
      if (known !== undefined) return known.name === undefined ? { place: known.place } : { place: known.place, name: known.name };
      // A line beyond the frames the client sent (or of React's component stack): its place, and
      // the name its minified name was declared with.
      const map = maps.get(place.file);
      const position = map === undefined ? undefined : originalPosition(map, place.line, place.column);
      if (map === undefined || position === undefined) return undefined;
      const mappedPlace = { file: show(position.source), line: position.line, column: position.column };
      const name = own === undefined ? undefined : declaredName(map, minifiedName(own) ?? '', place.line, place.column);
      return name === undefined ? { place: mappedPlace } : { place: mappedPlace, name };
    };
    const stack = typeof error.stack === 'string' ? rewriteStack(error.stack, replace) : error.stack;
    const componentStack = typeof components === 'string' ? rewriteStack(components, replace) : components;
    const framesChanged = mapped.some((frame, index) => frame !== frames[index]);
    const stackChanged = stack !== error.stack;
    const componentsChanged = componentStack !== components;
    if (!framesChanged && !stackChanged && !componentsChanged) return event;
    const out = { ...error } as typeof error & { minified_stack?: string };
    if (framesChanged) {
      out.frames = mapped as StackFrame[];
      refingerprint(error, out);
    }
    if (stackChanged) {
      out.stack = stack;
      out.minified_stack = error.stack;
    }
    const result: WithComponentStack = { ...event, error: out };
    if (componentsChanged) {
      result.component_stack = componentStack;
      result.minified_component_stack = components as string;
    }
    return result;
  } catch (error) {
    // Never into the request path: a map that breaks the lookup leaves the event as it came.
    warn(`tracebeam sink: could not map the stack of event ${String(event.id)}: ${error instanceof Error ? error.message : String(error)}`);
    return event;
  }
}

/**
 * The original name of frame `index`'s function: the name its enclosing function was declared
 * with, looked up in the map's `names` at the declaration (as Sentry's symbolicator names
 * frames), else what its caller (the next frame) calls it; `undefined` keeps the name the frame
 * has. The declaration comes first: a caller names a callee by its own variable (React calls
 * every component `Component`), the declaration by what its author wrote (`Cart`).
 */
function originalName(frames: readonly unknown[], index: number, maps: Map<string, LoadedMap | undefined>, map: LoadedMap): string | undefined {
  const frame = frames[index] as StackFrame;
  const minified = minifiedName(frame.function);
  const declared = minified === undefined ? undefined : declaredName(map, minified, frame.line!, frame.column!);
  if (declared !== undefined) return declared;
  const caller = frames[index + 1];
  if (isFrame(caller) && typeof caller.file === 'string' && isCount(caller.line) && isCount(caller.column)) {
    const callerMap = maps.get(caller.file);
    return callerMap === undefined ? undefined : nameAtCallSite(callerMap, caller.line, caller.column);
  }
  return undefined;
}

/** V8 writes `Object.o`, `new o`, `async o`, `HTMLButtonElement.o`: the declared name is the last part. */
function minifiedName(name: unknown): string | undefined {
  const last =
    typeof name === 'string'
      ? name
          .replace(/^(?:async|new)\s+/, '')
          .split('.')
          .pop()
      : undefined;
  return last === undefined || last === '' || last === '<anonymous>' ? undefined : last;
}

/** Source URLs as people open them: file: URLs under `root` as relative paths, other file: URLs as paths. */
async function displayPaths(root: string | undefined): Promise<(source: string) => string> {
  const [{ fileURLToPath }, path] = await Promise.all([import('node:url'), import('node:path')]);
  const base = path.resolve(root ?? process.cwd());
  return (source) => {
    if (!source.startsWith('file:')) return source;
    try {
      const file = fileURLToPath(source);
      const relative = path.relative(base, file);
      return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
    } catch {
      return source;
    }
  };
}

function isFrame(value: unknown): value is StackFrame {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function placeKey(file: string, line: number, column: number): string {
  return `${line}:${column}:${file}`;
}
