/**
 * Every code block of README.md and docs/ is code that works: ts, tsx and js blocks type-check
 * against the package's sources (`tracebeam`, `tracebeam/*` resolve to src/), json blocks parse,
 * sh blocks name real npm scripts and real flags of the `tracebeam` command, and every relative
 * link leads to a file (and heading) that exists.
 *
 * A block says what else it needs in an HTML comment on the line above its fence:
 *   <!-- given: client, worker-types -->   compiled after the declarations of those names (GIVEN)
 *   <!-- include: examples/x.ts -->         the block is that file byte for byte (and is compiled)
 *   <!-- not checked: <why> -->             a fragment the reader completes; the reason is required
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { INGEST_USAGE } from '../../../src/cli/ingest';
import { SINK_USAGE } from '../../../src/cli/sink';
import { TRACE_USAGE } from '../../../src/cli/trace';
import { codeBlocks, documentationPages, headingAnchors, links, ROOT, type CodeBlock } from './markdown';

/** Declarations a block may ask for: what the page around it has already set up, or a runtime's own types. */
const GIVEN: Record<string, string> = {
  client: `import type { Client } from 'tracebeam'; declare const client: Client;`,
  // The app's own components and data, which the React examples render and read.
  'react-app': `import type { ReactNode } from 'react'; declare function App(): ReactNode; declare function Oops(props: { error: unknown; onRetry(): void }): ReactNode; declare const cart: unknown[];`,
  // What @cloudflare/workers-types declares, reduced to the members the examples use.
  'worker-types': `interface Env { [binding: string]: unknown } interface ExecutionContext { waitUntil(promise: Promise<unknown>): void; passThroughOnException(): void } interface ScheduledController { readonly cron: string; readonly scheduledTime: number } interface ExportedHandler<E> { fetch?(request: Request, env: E, ctx: ExecutionContext): Response | Promise<Response>; scheduled?(controller: ScheduledController, env: E, ctx: ExecutionContext): void | Promise<void> } declare function cleanup(env: Env): Promise<void>;`,
  // What next/server exports, reduced to the members the middleware examples use (a declaration file of its own).
  'next-server': `/// <reference path="next-server.d.ts" />`,
  logger: `declare const logger: { warn(message: string): void };`,
  options: `import type { EdgeOptions } from 'tracebeam/edge'; declare const options: EdgeOptions;`,
};

/** Declaration files the GIVEN references, beside the blocks' virtual files. */
const DECLARATIONS: Record<string, string> = {
  'next-server.d.ts': `declare module 'next/server' { export class NextRequest extends Request { readonly cookies: { has(name: string): boolean }; readonly nextUrl: URL } export class NextResponse extends Response { static next(init?: { request?: { headers?: Headers } }): NextResponse; static redirect(url: string | URL, status?: number): NextResponse; static rewrite(destination: string | URL, init?: { request?: { headers?: Headers } }): NextResponse } }`,
};

/** Languages the reader runs elsewhere (a browser, Python, a Collector): shown, not checked here. */
const SHOWN_AS_IS = new Set(['text', 'html', 'yaml', 'sql', 'python']);
const COMPILED = new Set(['ts', 'tsx', 'js']);

const ENTRIES: Record<string, string> = {
  tracebeam: 'src/index.ts',
  'tracebeam/otel': 'src/otel/index.ts',
  'tracebeam/react': 'src/react/index.ts',
  'tracebeam/edge': 'src/edge/index.ts',
  'tracebeam/sink': 'src/sink/index.ts',
  'tracebeam/vitals-attribution': 'src/browser/vitals-attribution.ts',
};

const blocks = documentationPages().flatMap((page) => codeBlocks(page));
const compiled = blocks.filter((block) => COMPILED.has(block.lang) && !isNotChecked(block));

function isNotChecked(block: CodeBlock): boolean {
  return /^not checked:\s*\S/.test(block.marker ?? '');
}

function givenNames(block: CodeBlock): string[] {
  const match = /^given:\s*(.*)$/.exec(block.marker ?? '');
  return match ? match[1]!.split(/[\s,]+/).filter(Boolean) : [];
}

const where = (block: CodeBlock) => `${block.page}:${block.line}`;

/** The virtual file a block is compiled as; a module of its own, so the blocks' names never collide. */
function virtualFile(block: CodeBlock, index: number): { name: string; text: string; offset: number } {
  const ext = block.lang === 'js' ? 'mjs' : block.lang;
  const prelude = givenNames(block).map((name) => GIVEN[name] ?? `unknown given "${name}"`);
  return {
    name: join(ROOT, 'docs-blocks', `${block.page.replace(/\W/g, '_')}_${block.line}_${index}.${ext}`),
    text: [...prelude, block.body, 'export {};'].join('\n'),
    offset: prelude.length,
  };
}

/** Type-checks the blocks in one program and returns, per block, its errors with the page's line numbers. */
function typeCheck(toCheck: CodeBlock[]): Map<CodeBlock, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    // Examples show one thing and may leave what they import unused.
    noUnusedLocals: false,
    noUnusedParameters: false,
    // js blocks are the examples' servers, which the browser tests run: here their syntax and
    // imports are checked, as plain JavaScript (an Express app adds req.log, pino-http style).
    allowJs: true,
    checkJs: false,
    paths: Object.fromEntries(Object.entries(ENTRIES).map(([name, path]) => [name, [join(ROOT, path)]])),
  };
  const files = new Map(toCheck.map((block, index) => [block, virtualFile(block, index)]));
  const byName = new Map([
    ...Object.entries(DECLARATIONS).map(([name, text]) => [join(ROOT, 'docs-blocks', name), text] as const),
    ...[...files.values()].map((file) => [file.name, file.text] as const),
  ]);
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => byName.has(name) || fileExists.call(host, name);
  host.readFile = (name) => byName.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = byName.get(name);
    return text === undefined ? getSourceFile.call(host, name, language, ...rest) : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram(
    [...files.values()].map((file) => file.name),
    options,
    host,
  );
  // Node's `node:` modules and the declared ones resolve to no file: their declarations are ambient.
  const ambient = new Set(
    program
      .getTypeChecker()
      .getAmbientModules()
      .map((module) => module.getName().replace(/^"|"$/g, '')),
  );
  const errors = new Map<CodeBlock, string[]>();
  for (const [block, file] of files) {
    const source = program.getSourceFile(file.name)!;
    const lineOf = (position: number) => block.line + source.getLineAndCharacterOfPosition(position).line - file.offset;
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    const messages = diagnostics.map(
      (diagnostic) => `${block.page}:${lineOf(diagnostic.start ?? 0)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
    );
    for (const specifier of source.statements.filter(ts.isImportDeclaration).map((statement) => statement.moduleSpecifier)) {
      const name = (specifier as ts.StringLiteral).text;
      if (!ambient.has(name) && !ts.resolveModuleName(name, file.name, options, host).resolvedModule)
        messages.push(`${block.page}:${lineOf(specifier.getStart())}: cannot resolve '${name}'`);
    }
    errors.set(block, [...new Set(messages)]);
  }
  return errors;
}

const USAGES: Record<string, string> = { sink: SINK_USAGE, trace: TRACE_USAGE, ingest: INGEST_USAGE };
const SCRIPTS = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

/** What is wrong with the npm and tracebeam commands of a shell block; other programs are the reader's. */
function shellProblems(body: string): string[] {
  const problems: string[] = [];
  const commands = body
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, ''))
    .flatMap((line) => line.split(/&&|\|\||[;|]/));
  for (const command of commands) {
    const words = command.trim().split(/\s+/).filter(Boolean);
    if (words[0] === 'npm' && words[1] === 'run' && !SCRIPTS.includes(words[2] ?? '')) problems.push(`no npm script "${words[2]}": ${command.trim()}`);
    const cli = words.findIndex((word, i) => (word === 'tracebeam' && (i === 0 || words[i - 1] === 'npx')) || word === 'dist/cli.mjs');
    if (cli === -1 || (cli > 1 && words[cli - 1] !== 'node')) continue;
    const name = words[cli + 1] ?? '';
    const usage = USAGES[name];
    if (usage === undefined) {
      problems.push(`no tracebeam command "${name}": ${command.trim()}`);
      continue;
    }
    const end = words.indexOf('--');
    for (const flag of words.slice(cli + 2, end === -1 ? undefined : end).filter((word) => word.startsWith('--'))) {
      const bare = flag.split('=')[0]!;
      if (!new RegExp(`(^|\\s)${bare}(\\s|$)`, 'm').test(usage)) problems.push(`tracebeam ${name} has no flag ${bare}: ${command.trim()}`);
    }
  }
  return problems;
}

describe('the code blocks of README.md and docs/', () => {
  it('are many, and each says what it is', () => {
    expect(blocks.length).toBeGreaterThan(50);
    const unlabelled = blocks.filter((block) => !COMPILED.has(block.lang) && !SHOWN_AS_IS.has(block.lang) && !['json', 'sh'].includes(block.lang));
    expect(unlabelled.map((block) => `${where(block)}: \`\`\`${block.lang}`)).toEqual([]);
    const unknownGiven = blocks.flatMap((block) =>
      givenNames(block)
        .filter((name) => !(name in GIVEN))
        .map((name) => `${where(block)}: ${name}`),
    );
    expect(unknownGiven).toEqual([]);
    const markers = blocks.filter((block) => block.marker !== undefined && !/^(given|include|not checked):\s*\S/.test(block.marker));
    expect(markers.map((block) => `${where(block)}: <!-- ${block.marker} -->`)).toEqual([]);
  });

  it('type-check: ts, tsx and js against the package sources', { timeout: 180_000 }, () => {
    expect(compiled.length).toBeGreaterThan(20);
    const errors = [...typeCheck(compiled).values()].flat();
    expect(errors).toEqual([]);
  });

  it('leave out few: a block is "not checked" only with a reason, and such blocks stay rare', () => {
    const skipped = blocks.filter(isNotChecked);
    expect(skipped.length).toBeLessThanOrEqual(5);
  });

  it('are the files they say they include, byte for byte', () => {
    const included = blocks.filter((block) => block.marker?.startsWith('include:'));
    expect(included.length).toBeGreaterThan(0);
    for (const block of included) {
      const path = block.marker!.replace(/^include:\s*/, '');
      expect(`${block.body}\n`, where(block)).toBe(readFileSync(join(ROOT, path), 'utf8'));
    }
  });

  it('parse: json', () => {
    const json = blocks.filter((block) => block.lang === 'json');
    expect(json.length).toBeGreaterThan(0);
    for (const block of json) expect(() => JSON.parse(block.body), where(block)).not.toThrow();
  });

  it('name real npm scripts and real tracebeam commands and flags: sh', () => {
    const sh = blocks.filter((block) => block.lang === 'sh');
    expect(sh.length).toBeGreaterThan(5);
    expect(sh.flatMap((block) => shellProblems(block.body).map((problem) => `${where(block)}: ${problem}`))).toEqual([]);
  });
});

describe('the relative links of README.md and docs/', () => {
  const all = documentationPages().flatMap((page) => links(page));
  const relative = all.filter((link) => !/^[a-z][a-z+.-]*:/i.test(link.target));

  it('lead to files and headings that exist', () => {
    expect(relative.length).toBeGreaterThan(60);
    const broken = relative.filter(({ page, target }) => {
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? join(ROOT, page) : normalize(join(ROOT, dirname(page), decodeURI(path)));
      if (!file.startsWith(ROOT) || !existsSync(file)) return true;
      if (anchor === undefined) return false;
      return !statSync(file).isFile() || !headingAnchors(readFileSync(file, 'utf8')).has(anchor);
    });
    expect(broken.map(({ page, line, target }) => `${page}:${line}: ${target}`)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('report a block that does not compile, with its page and line', () => {
    const broken: CodeBlock = { page: 'docs/example.md', line: 10, lang: 'ts', body: "import { init } from 'tracebeam';\ninit({ service: 'web' });" };
    const [message] = typeCheck([broken]).get(broken)!;
    expect(message).toMatch(/^docs\/example\.md:11: .*sink/s);
  });

  it('report a missing npm script and an unknown flag', () => {
    expect(shellProblems('npm run nothing-like-it\nnpx tracebeam sink --port 1 --no-such-flag')).toEqual([
      'no npm script "nothing-like-it": npm run nothing-like-it',
      'tracebeam sink has no flag --no-such-flag: npx tracebeam sink --port 1 --no-such-flag',
    ]);
  });

  it('find the anchors GitHub makes of headings', () => {
    expect([...headingAnchors('# The sink\n## `<ErrorBoundary>`\n## Into ClickHouse: `--clickhouse`\n## The sink')]).toEqual([
      'the-sink',
      'errorboundary',
      'into-clickhouse---clickhouse',
      'the-sink-1',
    ]);
  });

  it('read a marker and leave code blocks out of links', () => {
    const page = 'x.md';
    const text = 'see [a](b.md)\n<!-- given: client -->\n```ts\n[c](d.md)\n```\n';
    expect(links(page, text).map((link) => link.target)).toEqual(['b.md']);
    expect(codeBlocks(page, text)).toEqual([{ page, line: 4, lang: 'ts', body: '[c](d.md)', marker: 'given: client' }]);
  });
});
