/**
 * Turns any value an app hands us into plain JSON data, within caps. It never throws: getters that
 * throw, revoked proxies, cycles, BigInt, DOM nodes and functions all become short descriptions.
 */

export const MAX_STRING = 8_192;
const MAX_ITEMS = 100;

export const truncate = (text: string, max = MAX_STRING): string =>
  text.length > max ? text.slice(0, max) + `…[${text.length - max} more]` : text;

/** `depth` is how many levels of objects are kept; deeper ones become a placeholder. */
export function normalize(value: unknown, depth = 6, ancestors: object[] = []): unknown {
  try {
    switch (typeof value) {
      case 'string':
        return truncate(value);
      case 'number':
        // JSON has no NaN or Infinity; the string keeps what the app meant.
        return isFinite(value) ? value : String(value);
      case 'function':
        return `[Function ${value.name}]`;
      case 'bigint':
      case 'symbol':
        return value.toString();
      case 'object':
        return value && normalizeObject(value, depth, ancestors);
    }
    return value; // boolean, undefined (which JSON leaves out of objects)
  } catch {
    return '[Unserializable]';
  }
}

function normalizeObject(obj: object, depth: number, ancestors: object[]): unknown {
  if (ancestors.includes(obj)) return '[Circular]';
  if (obj instanceof Error) return { type: obj.name, message: truncate(String(obj.message)), stack: obj.stack };
  const node = obj as { nodeType?: unknown; nodeName?: string; id?: string };
  // DOM nodes are huge and cyclic; a CSS-like name is what a reader needs.
  if (typeof node.nodeType === 'number') return `<${String(node.nodeName).toLowerCase()}${node.id ? '#' + node.id : ''}>`;
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
    return normalize((obj as { toJSON(): unknown }).toJSON(), depth, ancestors);
  }
  if (!depth) return '[Object]';
  ancestors.push(obj);
  const list = Array.isArray(obj) || obj instanceof Set;
  const entries: Array<[unknown, unknown]> = list
    ? [...(obj as Iterable<unknown>)].map((v, i) => [i, v])
    : obj instanceof Map
      ? [...obj]
      : Object.keys(obj).map((key) => [key, read(obj, key)]);
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries.slice(0, MAX_ITEMS)) out[String(key)] = normalize(item, depth - 1, ancestors);
  if (entries.length > MAX_ITEMS) out['…'] = `${entries.length - MAX_ITEMS} more`;
  ancestors.pop();
  return list ? Object.values(out).map((v) => (v === undefined ? null : v)) : out;
}

/** One getter that throws costs only its own value. */
function read(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return '[Unreadable]';
  }
}
