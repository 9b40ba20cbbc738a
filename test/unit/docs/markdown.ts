/** Reads the project's markdown pages the way the documentation checks need: fenced blocks and links. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('../../../', import.meta.url).pathname;

export interface CodeBlock {
  /** The page, relative to the repository root. */
  page: string;
  /** 1-based line of the first line of the body (the line after the opening fence). */
  line: number;
  /** The fence's info string, e.g. `ts`; '' when the fence has none. */
  lang: string;
  body: string;
  /** The HTML comment right above the opening fence, without `<!--` and `-->`, if there is one. */
  marker?: string;
}

export interface Link {
  page: string;
  line: number;
  target: string;
}

/** README.md and every page of docs/, as paths relative to the root. */
export function documentationPages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

export function readPage(page: string): string {
  return readFileSync(join(ROOT, page), 'utf8');
}

const FENCE = /^(`{3,})(\S*)\s*$/;
const MARKER = /^<!--\s*([\s\S]*?)\s*-->$/;

export function codeBlocks(page: string, text = readPage(page)): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const close = lines.findIndex((line, j) => j > i && line === open[1]);
    if (close === -1) throw new Error(`${page}:${i + 1}: a fence that is never closed`);
    const marker = i > 0 ? MARKER.exec(lines[i - 1]!)?.[1] : undefined;
    blocks.push({ page, line: i + 2, lang: open[2]!, body: lines.slice(i + 1, close).join('\n'), ...(marker ? { marker } : {}) });
    i = close;
  }
  return blocks;
}

/**
 * The targets of `[text](target)` links in the prose (not in code blocks nor in `inline code`).
 * Angle-bracketed and titled targets are not used in these pages, so they are not parsed.
 */
export function links(page: string, text = readPage(page)): Link[] {
  const found: Link[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((line, index) => {
    const open = FENCE.exec(line);
    if (fence !== undefined) {
      if (line === fence) fence = undefined;
      return;
    }
    if (open) return void (fence = open[1]);
    const prose = line.replace(/`[^`]*`/g, '``');
    for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) found.push({ page, line: index + 1, target: match[1]! });
  });
  return found;
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const open = FENCE.exec(line);
    if (fence !== undefined) {
      if (line === fence) fence = undefined;
      continue;
    }
    if (open) {
      fence = open[1];
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}
