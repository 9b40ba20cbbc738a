/**
 * The source maps of a build directory: which map belongs to a script URL, loaded on first use
 * and kept. Node only: node: modules and `source-map` (which reads its WebAssembly from disk) are
 * imported inside functions, so the sink entry that reaches this module still loads at the edge.
 */
import type { SourceMapConsumer } from 'source-map';

export interface LoadedMap {
  /** Absolute path of the `.map` file. */
  path: string;
  consumer: SourceMapConsumer;
  /** The minified script the map describes, when it sits beside the map; read for function names. */
  generated?: string;
  /** Offsets where the lines of `generated` start, computed on first use. */
  _lineStarts?: number[];
  /** Lines of the original sources the map embeds, split on first use. */
  _sourceLines?: Map<string, string[] | undefined>;
}

export interface MapStore {
  /** The map of the script at `url` (an http URL, a file URL or a path), or `undefined`. */
  find(url: string): Promise<LoadedMap | undefined>;
  /** Marks maps in use by a batch: they are not destroyed before `release`. */
  hold(): void;
  release(): void;
  /** Frees every parsed map (their mappings live in WebAssembly memory). */
  close(): void;
}

export interface MapStoreOptions {
  /** Told once about each map that can not be used. */
  warn: (message: string) => void;
  /** Most parsed maps kept at once. */
  maxMaps?: number;
  now?: () => number;
}

/** After a miss, the directory is listed again at most this often: a new build adds new maps. */
const RESCAN_MS = 2_000;
/** A map in use is checked against the disk at most this often: a rebuild replaces it in place. */
const RECHECK_MS = 1_000;
const MAX_FILES = 20_000;
const MAX_DEPTH = 8;

interface Entry {
  /** mtime and size of the file that was parsed: a change means a rebuild. */
  stamp: string;
  checked: number;
  loading: Promise<LoadedMap | undefined>;
}

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

export function createMapStore(dir: string, { warn, maxMaps = 32, now = Date.now }: MapStoreOptions): MapStore {
  let modules: Promise<{ fs: Fs; path: Path; url: typeof import('node:url') }> | undefined;
  /** Map files by the name of the script they describe: `app.js.map` → `app.js`, and by their `file` field. */
  let byName = new Map<string, string[]>();
  // Kept across listings: a map's `file` field is read once, however often the directory is listed.
  const byFileField = new Map<string, string[]>();
  const fileFieldRead = new Set<string>();
  /** Script names that had no map, and when: scripts without maps (a CDN's) do not list the directory on every error. */
  const missed = new Map<string, number>();
  let scanned = -Infinity;
  let scanning: Promise<void> | undefined;
  const entries = new Map<string, Entry>();
  const warned = new Set<string>();
  const retired: SourceMapConsumer[] = [];
  let holders = 0;

  const load = () =>
    (modules ??= Promise.all([import('node:fs/promises'), import('node:path'), import('node:url')]).then(([fs, path, url]) => ({ fs, path, url })));

  function warnOnce(key: string, message: string): void {
    if (warned.has(key)) return;
    warned.add(key);
    warn(message);
  }

  async function scan(): Promise<void> {
    const { fs, path } = await load();
    const root = path.resolve(dir);
    const names = new Map<string, string[]>();
    const files: string[] = [];
    const walk = async (folder: string, depth: number): Promise<void> => {
      let items: import('node:fs').Dirent[];
      try {
        items = await fs.readdir(folder, { withFileTypes: true });
      } catch (error) {
        if (folder === root)
          warnOnce(`dir:${(error as { code?: string }).code}`, `tracebeam sink: cannot read the source map directory ${root}: ${message(error)}`);
        return;
      }
      for (const item of items.sort((a, b) => a.name.localeCompare(b.name))) {
        if (files.length >= MAX_FILES) return;
        const full = path.join(folder, item.name);
        if (item.isDirectory() && depth < MAX_DEPTH && item.name !== 'node_modules' && !item.name.startsWith('.')) await walk(full, depth + 1);
        else if (item.isFile() && item.name.endsWith('.map')) files.push(full);
      }
    };
    await walk(root, 0);
    for (const file of files) add(names, path.basename(file).slice(0, -'.map'.length), file);
    byName = names;
    scanned = now();
  }

  function rescan(force: boolean): Promise<void> {
    if (!force && now() - scanned < RESCAN_MS) return Promise.resolve();
    return (scanning ??= scan().finally(() => (scanning = undefined)));
  }

  /** Reads the `file` field of every map not read yet; only needed when names do not match. */
  async function indexFileFields(): Promise<void> {
    const { fs, path } = await load();
    for (const list of byName.values()) {
      for (const file of list) {
        if (fileFieldRead.has(file)) continue;
        fileFieldRead.add(file);
        try {
          const field = (JSON.parse(await fs.readFile(file, 'utf8')) as { file?: unknown }).file;
          if (typeof field === 'string' && field !== '') add(byFileField, path.basename(field), file);
        } catch {
          // Reported when the map is actually needed.
        }
      }
    }
  }

  async function candidates(name: string): Promise<string[] | undefined> {
    if (scanned === -Infinity) await rescan(true);
    const direct = byName.get(name) ?? byFileField.get(name);
    if (direct !== undefined) return direct;
    if (now() - (missed.get(name) ?? -Infinity) < RESCAN_MS) return undefined;
    await rescan(false);
    await indexFileFields();
    const found = byName.get(name) ?? byFileField.get(name);
    if (found === undefined) {
      if (missed.size > 1_000) missed.clear();
      missed.set(name, now());
    }
    return found;
  }

  async function open(file: string, stamp: string): Promise<LoadedMap | undefined> {
    const { fs, path, url } = await load();
    let raw: { version?: unknown; mappings?: unknown; sections?: unknown; file?: unknown };
    try {
      raw = JSON.parse(await fs.readFile(file, 'utf8')) as typeof raw;
      if (raw === null || typeof raw !== 'object' || (typeof raw.mappings !== 'string' && !Array.isArray(raw.sections))) {
        throw new Error('not a source map (no "mappings")');
      }
    } catch (error) {
      warnOnce(`${file}:${stamp}`, `tracebeam sink: ignoring source map ${file}: ${message(error)}`);
      return undefined;
    }
    let consumer: SourceMapConsumer;
    let library: typeof import('source-map');
    try {
      library = await import('source-map');
    } catch {
      warnOnce('library', MISSING_LIBRARY);
      return undefined;
    }
    try {
      const { SourceMapConsumer } = library;
      // The map's own URL lets relative `sources` resolve to the files they name.
      consumer = await new SourceMapConsumer(raw as never, url.pathToFileURL(file).href);
    } catch (error) {
      warnOnce(`${file}:${stamp}`, `tracebeam sink: ignoring source map ${file}: ${message(error)}`);
      return undefined;
    }
    const loaded: LoadedMap = { path: file, consumer };
    // The script is beside its map (`app.js.map` describes `app.js`), or where the `file` field says.
    const scripts = [file.slice(0, -'.map'.length)];
    if (typeof raw.file === 'string' && raw.file !== '') scripts.push(path.resolve(path.dirname(file), raw.file));
    for (const script of scripts) {
      try {
        loaded.generated = await fs.readFile(script, 'utf8');
        break;
      } catch {
        // Names then come from the call sites alone.
      }
    }
    return loaded;
  }

  async function get(file: string): Promise<LoadedMap | undefined> {
    const { fs } = await load();
    const entry = entries.get(file);
    if (entry !== undefined && now() - entry.checked < RECHECK_MS) return touch(file, entry).loading;
    let stamp: string;
    try {
      const stats = await fs.stat(file);
      stamp = `${stats.mtimeMs}:${stats.size}`;
    } catch {
      forget(file);
      return undefined;
    }
    if (entry !== undefined && entry.stamp === stamp) {
      entry.checked = now();
      return touch(file, entry).loading;
    }
    forget(file);
    const fresh: Entry = { stamp, checked: now(), loading: open(file, stamp) };
    entries.set(file, fresh);
    evict();
    return fresh.loading;
  }

  function touch(file: string, entry: Entry): Entry {
    // A Map iterates in insertion order: re-inserting makes this the most recently used.
    entries.delete(file);
    entries.set(file, entry);
    return entry;
  }

  function forget(file: string): void {
    const entry = entries.get(file);
    if (entry === undefined) return;
    entries.delete(file);
    void entry.loading.then((loaded) => loaded && retire(loaded.consumer));
  }

  function evict(): void {
    while (entries.size > maxMaps) forget(entries.keys().next().value as string);
  }

  function retire(consumer: SourceMapConsumer): void {
    retired.push(consumer);
    if (holders === 0) destroyRetired();
  }

  function destroyRetired(): void {
    for (const consumer of retired.splice(0)) consumer.destroy();
  }

  return {
    async find(target) {
      const { path } = await load();
      const scriptPath = pathOf(target);
      if (scriptPath === undefined) return undefined;
      const list = await candidates(path.posix.basename(scriptPath));
      if (list === undefined || list.length === 0) return undefined;
      return get(bestMatch(list, scriptPath, path.resolve(dir), path));
    },
    hold() {
      holders += 1;
    },
    release() {
      holders = Math.max(0, holders - 1);
      if (holders === 0) destroyRetired();
    },
    close() {
      for (const file of [...entries.keys()]) forget(file);
    },
  };
}

function add(index: Map<string, string[]>, key: string, file: string): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [file]);
  else if (!list.includes(file)) list.push(file);
}

/** The path part of a script URL, without query or fragment; `undefined` for `<anonymous>` and the like. */
function pathOf(target: string): string | undefined {
  let text = target.trim();
  if (text === '' || text.startsWith('<') || text === 'native' || text.startsWith('[')) return undefined;
  if (/^[a-z][\w+.-]*:/i.test(text)) {
    try {
      text = new URL(text).pathname;
    } catch {
      return undefined;
    }
  } else {
    text = text.replace(/[?#].*$/, '');
  }
  try {
    text = decodeURIComponent(text);
  } catch {
    // Keep the encoded form.
  }
  text = text.replace(/\\/g, '/');
  return text.endsWith('/') || text === '' ? undefined : text;
}

/**
 * Of several maps for scripts of one name (`assets/index.js`, `admin/index.js`), the one whose
 * place under the directory ends the script's URL path on the most segments.
 */
function bestMatch(list: readonly string[], scriptPath: string, root: string, path: Path): string {
  if (list.length === 1) return list[0]!;
  const wanted = scriptPath.split('/').filter(Boolean).reverse();
  let best = list[0]!;
  let bestScore = -1;
  for (const file of list) {
    const have = path.relative(root, file.slice(0, -'.map'.length)).split(path.sep).reverse();
    let score = 0;
    while (score < have.length && score < wanted.length && have[score] === wanted[score]) score += 1;
    if (score > bestScore) {
      best = file;
      bestScore = score;
    }
  }
  return best;
}

/** `source-map` is an optional peer dependency: apps that only send events never install it. */
const MISSING_LIBRARY = 'tracebeam sink: reading source maps needs the source-map package, which is not installed: npm install source-map@^0.7.4';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
