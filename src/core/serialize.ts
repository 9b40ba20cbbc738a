/**
 * Turns any value an app hands us into plain JSON data, within caps. It never throws: getters that
 * throw, revoked proxies, cycles, BigInt, DOM nodes and functions all become short descriptions.
 *
 * The caps apply before anything is scanned: a list is read up to its cap (never spread whole), a
 * string or a key is cut before it is copied, hashed or matched, so that a 10 MB string, a
 * 1,000,000-item array or a 10 MB key cost the page no more than a short one.
 */

export const MAX_STRING = 8_192;
export const MAX_ITEMS = 100;
/** Attribute names past this length are cut: a name is no place for data. */
export const MAX_KEY = 128;
/** What stands for a value that could not be read (a throwing getter, a revoked proxy). */
export const UNREADABLE = '[Unreadable]';

/** At most `max` UTF-16 units, never half of a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last < 0xdc00 ? max - 1 : max);
}

export const truncate = (text: string, max = MAX_STRING): string => (text.length > max ? clip(text, max) + `…[${text.length - max} more]` : text);

/** Lone surrogates: JSON carries them, but the sink's schema validator can't take them in a key. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** An attribute name as it may travel: a string, cut to `MAX_KEY`, well-formed. */
export const toKey = (key: unknown): string => clip(String(key), MAX_KEY).replace(LONE_SURROGATE, '\ufffd');

/** `obj[key]`, or the marker when reading it throws: one getter that throws costs only its own value. */
export function read(obj: object, key: PropertyKey): unknown {
  try {
    return (obj as Record<PropertyKey, unknown>)[key];
  } catch {
    return UNREADABLE;
  }
}

/** The object listed last in this task, and its keys: see `ownKeys`. */
let listed: object | undefined;
let listedKeys: string[] = [];

/**
 * `Object.keys`, the one pass over a wide object that can't be avoided (V8 lists every key of a
 * dictionary-mode object before `for…in` yields the first: about 20 ms for 100,000 keys). One call
 * may hand the same wide object twice (`captureError(thing, thing)`): it is listed once per task.
 * Only a wide one: a key the app adds between two calls of one task lands past the first
 * `MAX_ITEMS`, which are all that is read, while a narrow object is listed afresh every time.
 */
function ownKeys(obj: object): string[] {
  if (obj === listed) return listedKeys;
  const keys = Object.keys(obj);
  if (keys.length > MAX_ITEMS) {
    if (!listed) {
      queueMicrotask(() => {
        listed = undefined;
        listedKeys = [];
      });
    }
    [listed, listedKeys] = [obj, keys];
  }
  return keys;
}

/**
 * The first `MAX_ITEMS` entries, read one by one, as an object; a `…` entry counts the rest. Those
 * of a Map are its own; those of anything else are its own enumerable keys', an array's (or a
 * typed array's) read by index: listing a million keys would cost seconds.
 */
export function copyEntries(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let more: number;
  if (obj instanceof Map || Array.isArray(obj) || ArrayBuffer.isView(obj)) {
    const [items, rest] = firstItems(obj);
    items.forEach((item, i) => (obj instanceof Map ? (out[toKey((item as unknown[])[0])] = (item as unknown[])[1]) : (out[i] = item)));
    more = rest;
  } else {
    const keys = ownKeys(obj);
    for (let i = 0; i < keys.length && i < MAX_ITEMS; i++) out[toKey(keys[i])] = read(obj, keys[i]);
    more = keys.length - MAX_ITEMS;
  }
  if (more > 0) out['…'] = `${more} more`;
  return out;
}

/** The first `MAX_ITEMS` items of an array or an iterable, and how many there were beyond them. */
function firstItems(obj: object): [unknown[], number] {
  if (Array.isArray(obj) || ArrayBuffer.isView(obj)) {
    const list = obj as unknown as ArrayLike<unknown>;
    const items: unknown[] = [];
    for (let i = 0; i < (list.length ?? 0) && i < MAX_ITEMS; i++) items.push(read(list, i));
    return [items, (list.length ?? 0) - items.length];
  }
  const items: unknown[] = [];
  let more = 0;
  // Sets and Maps know their size; their first items are read without visiting the rest.
  for (const item of obj as Iterable<unknown>) {
    if (items.length === MAX_ITEMS) {
      more = ((obj as Set<unknown>).size ?? MAX_ITEMS + 1) - MAX_ITEMS;
      break;
    }
    items.push(item);
  }
  return [items, more];
}

/**
 * `depth` is how many levels of objects are kept; deeper ones become a placeholder. `maxString` is
 * the longest string kept whole (a smaller one makes an event that is too big fit).
 */
export function normalize(value: unknown, depth = 6, maxString = MAX_STRING, ancestors: object[] = []): unknown {
  try {
    switch (typeof value) {
      case 'string':
        return truncate(value, maxString);
      case 'number':
        // JSON has no NaN or Infinity; the string keeps what the app meant.
        return isFinite(value) ? value : String(value);
      case 'function':
        return `[Function ${truncate(String(value.name), 256)}]`;
      case 'bigint':
      case 'symbol':
        return truncate(value.toString(), maxString);
      case 'object':
        return value && normalizeObject(value, depth, maxString, ancestors);
    }
    return value; // boolean, undefined (which JSON leaves out of objects)
  } catch {
    return '[Unserializable]';
  }
}

function normalizeObject(obj: object, depth: number, maxString: number, ancestors: object[]): unknown {
  if (ancestors.includes(obj)) return '[Circular]';
  const text = (value: unknown): string => truncate(String(value), maxString);
  if (obj instanceof Error) return { type: text(read(obj, 'name')), message: text(read(obj, 'message')), stack: clipStack(read(obj, 'stack')) };
  const node = obj as { nodeType?: unknown; nodeName?: string; id?: string };
  // DOM nodes are huge and cyclic; a CSS-like name is what a reader needs.
  if (typeof node.nodeType === 'number') return truncate(`<${String(node.nodeName).toLowerCase()}${node.id ? '#' + node.id : ''}>`, 256);
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
    return normalize((obj as { toJSON(): unknown }).toJSON(), depth, maxString, ancestors);
  }
  if (!depth) return '[Object]';
  ancestors.push(obj);
  try {
    if (Array.isArray(obj) || obj instanceof Set || ArrayBuffer.isView(obj)) {
      const [items, more] = firstItems(obj);
      const out = items.map((item) => normalize(item, depth - 1, maxString, ancestors) ?? null);
      if (more > 0) out.push(`${more} more`);
      return out;
    }
    const source = copyEntries(obj);
    const out: Record<string, unknown> = {};
    for (const key in source) out[key] = normalize(source[key], depth - 1, maxString, ancestors);
    return out;
  } finally {
    ancestors.pop();
  }
}

/** The longest stack kept; beyond it the middle goes, so the header and the deepest frames stay. */
export const MAX_STACK = 16_384;

/**
 * A stack within `MAX_STACK`: V8 starts it with the message, which may be megabytes, so its start
 * and its end are kept (the frames are at the end), the middle replaced by a line that says so.
 */
export function clipStack(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  if (stack.length <= MAX_STACK) return stack;
  const half = MAX_STACK / 2;
  const end = stack.slice(-half);
  return clip(stack, half) + `\n…[${stack.length - MAX_STACK} more]\n` + end.slice(end.indexOf('\n') + 1);
}
