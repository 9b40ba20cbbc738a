// `npm run test:package` (and a step of `npm test`): the package as users get it. `npm pack`, then
//   - @arethetypeswrong/cli on the tarball and publint on its unpacked files: no problem reported;
//   - the tarball has LICENSE, and its package.json a repository, homepage and issue tracker;
//   - TypeScript consumers: the tarball installed into a fresh folder, and a program that uses every
//     entry compiled under moduleResolution bundler, node16 and nodenext, as ESM and as CommonJS,
//     without skipLibCheck, checking too that no entry's types degrade to `any`.
// Writes test-results/package-checks.json ({ passed, failed, results }) for the summary of `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureBuilt, ensureInstalled } from './setup.mjs';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dev = pkg.devDependencies;
const results = [];

function check(name, command, args, cwd) {
  const { status, stdout, stderr } = spawnSync(command, args, { cwd, encoding: 'utf8' });
  const ok = status === 0;
  results.push({ name, ok });
  console.log(`${ok ? '✓' : '✗'} ${name}`);
  if (!ok) console.log((stdout + stderr).trim().replace(/^/gm, '    '));
}

// Every entry, used so that a type that silently became `any` fails the compile.
const PROGRAM = `
import { createClient, errors, fetchTracing, init, webVitals, xhrTracing, type Client } from 'tracebeam';
import { webVitals as attributedVitals } from 'tracebeam/vitals-attribution';
import { createEdgeClient, withTelemetry, type RequestTelemetry } from 'tracebeam/edge';
import { otelTracing, otlpTransport } from 'tracebeam/otel';
import { ErrorBoundary, TelemetryProvider, useTelemetry } from 'tracebeam/react';
import { createSinkHandler } from 'tracebeam/sink';

type IsAny<T> = 0 extends 1 & T ? true : false;
type NotAny<T> = IsAny<T> extends true ? never : T;
const typed = <T,>(value: NotAny<T>): T => value;

const client: Client = typed(createClient)({
  sink: '/api/log',
  service: 'web',
  integrations: [errors(), fetchTracing(), xhrTracing(), webVitals(), attributedVitals(), otelTracing()],
  transport: otlpTransport(),
});
client.log('info', 'checkout_started', { cart_items: 3 });
// @ts-expect-error: a level that does not exist
client.log('loud', 'x');
typed(init)({ sink: '/api/log', service: 'web' });

const handler = typed(withTelemetry)(
  async (request: Request, context: { waitUntil(promise: Promise<unknown>): void }, telemetry: RequestTelemetry) => {
    telemetry.log('info', 'checkout_posted');
    context.waitUntil(Promise.resolve());
    return new Response(request.url);
  },
  { sink: 'https://logs.example.com/api/log', service: 'edge' },
);
export const answer: Promise<Response> = handler(new Request('https://example.com/'), { waitUntil() {} });
typed(createEdgeClient)({ sink: 'https://logs.example.com/api/log', service: 'edge' });

const sink: (request: Request) => Promise<Response> = typed(createSinkHandler)();
export { sink };
export const react = [typed(ErrorBoundary), typed(TelemetryProvider), typed(useTelemetry)];
`;

// The edge page's handlers (every ```ts block that calls withTelemetry: the Cloudflare Worker and
// the Vercel Edge function), verbatim, and the same shapes where no annotation nor contextual type
// says what the last argument is: each must get `telemetry` as RequestTelemetry, not `unknown`.
const pageHandlers = [...readFileSync(join(root, 'docs/edge.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((match) => match[1])
  .filter((block) => block.includes('withTelemetry('));
if (!pageHandlers.some((block) => block.includes('ExportedHandler')) || !pageHandlers.some((block) => block.includes("runtime: 'edge'"))) {
  throw new Error('docs/edge.md: the Cloudflare Worker or the Vercel Edge example of withTelemetry was not found');
}
const EDGE_HANDLERS = `
import { nextMiddleware, withTelemetry, type RequestTelemetry } from 'tracebeam/edge';

const options = { sink: 'https://logs.example.com/api/log', service: 'edge' };
type Exactly<T, U> = [T] extends [U] ? ([U] extends [T] ? true : false) : false;
const exactly = <T, U>(check: Exactly<T, U>): Exactly<T, U> => check;

export const worker = {
  fetch: withTelemetry(async (request, env, ctx, telemetry) => {
    telemetry.log('info', 'worker_hit', { url: request.url });
    exactly<typeof telemetry, RequestTelemetry>(true);
    return new Response(String(env) + String(ctx));
  }, options),
};
export const typedWorker = {
  fetch: withTelemetry(async (request, env, ctx, telemetry) => {
    telemetry.log('info', 'worker_hit', { kv: env.KV });
    ctx.waitUntil(Promise.resolve());
    return new Response(request.url);
  }, options),
} satisfies ExportedHandler<Env>;
export const vercel = withTelemetry(
  async (request: Request, context: { waitUntil(promise: Promise<unknown>): void }, telemetry) => {
    telemetry.log('info', 'checkout_posted');
    context.waitUntil(Promise.resolve());
    return new Response(request.url);
  },
  options,
);
exactly<Parameters<typeof vercel>['length'], 2>(true);
export const deno = withTelemetry((request: Request, telemetry) => new Response(telemetry.traceId + request.url), options);
const NextResponse = { next: () => new Response() };
export const middleware = nextMiddleware(NextResponse, options, (request, event, telemetry) => {
  telemetry.log('info', 'middleware_hit', { url: request.url, event: typeof event });
});
`;

// What @cloudflare/workers-types and \`wrangler types\` declare globally, as far as the Worker example uses it.
const WORKER_GLOBALS = `
interface Env { KV: string }
interface ExecutionContext { waitUntil(promise: Promise<unknown>): void; passThroughOnException(): void }
interface ExportedHandler<E = unknown> { fetch?: (request: Request, env: E, ctx: ExecutionContext) => Response | Promise<Response> }
`;

/** [folder, module, moduleResolution, package type, file]: every resolution mode, as ESM and as CommonJS. */
const PROJECTS = [
  ['bundler-esm', 'esnext', 'bundler', 'module', 'index.ts'],
  // `module: preserve` keeps `require` semantics in a .cts file: the bundler resolution's require condition.
  ['bundler-cjs', 'preserve', 'bundler', 'commonjs', 'index.cts'],
  ['node16-esm', 'node16', 'node16', 'module', 'index.ts'],
  ['node16-cjs', 'node16', 'node16', 'commonjs', 'index.ts'],
  ['nodenext-esm', 'nodenext', 'nodenext', 'module', 'index.ts'],
  ['nodenext-cjs', 'nodenext', 'nodenext', 'commonjs', 'index.ts'],
];

/**
 * What a registry page and a user's legal review need: the licence file in the tarball, and the
 * repository, homepage and issue tracker of one GitHub repository in its package.json.
 */
function checkMetadata(tarball) {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
  const packed = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  const repo = /^git\+(https:\/\/github\.com\/[\w.-]+\/[\w.-]+)\.git$/.exec(packed.repository?.url ?? '')?.[1];
  const problems = [
    !files.includes('package/LICENSE') && 'no LICENSE in the tarball',
    packed.license !== 'MIT' && `license is ${packed.license}`,
    !repo && `repository.url is ${JSON.stringify(packed.repository?.url)}`,
    repo && packed.homepage !== `${repo}#readme` && `homepage is ${JSON.stringify(packed.homepage)}`,
    repo && packed.bugs?.url !== `${repo}/issues` && `bugs.url is ${JSON.stringify(packed.bugs?.url)}`,
  ].filter(Boolean);
  results.push({ name: 'metadata: LICENSE packed; repository, homepage and bugs set', ok: problems.length === 0 });
  console.log(`${problems.length ? '✗' : '✓'} metadata: LICENSE packed; repository, homepage and bugs set`);
  for (const problem of problems) console.log(`    ${problem}`);
}

ensureInstalled();
ensureBuilt();
const dir = mkdtempSync(join(tmpdir(), 'tracebeam-consumers-'));
try {
  const tarball = join(dir, execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop());
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  check('attw: no problem on the tarball', bin('attw'), [tarball]);
  checkMetadata(tarball);
  const unpacked = join(dir, 'unpacked');
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
  check('publint: no problem, warnings included, on the packed files', bin('publint'), ['run', join(unpacked, 'package'), '--strict', '--pack', 'false']);

  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{"name":"consumer","private":true}');
  // The pins of this repository: the same tools its own types are checked with.
  const peers = ['typescript', '@types/node', '@types/react', 'react', ...Object.keys(pkg.peerDependencies).filter((n) => n.startsWith('@opentelemetry/'))];
  const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...peers.map((n) => `${n}@${dev[n]}`)], {
    cwd: app,
    encoding: 'utf8',
  });
  if (install.status !== 0) {
    console.log(install.stdout + install.stderr);
    results.push({ name: 'TypeScript consumers: install', ok: false });
  } else {
    for (const [name, module, moduleResolution, type, file] of PROJECTS) {
      const project = join(app, name);
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name, private: true, type }));
      writeFileSync(join(project, file), PROGRAM);
      const extension = file.slice(file.indexOf('.'));
      const edgeFiles = [`edge-handlers${extension}`, 'worker-globals.d.ts', ...pageHandlers.map((_, i) => `readme-edge-${i}${extension}`)];
      writeFileSync(join(project, edgeFiles[0]), EDGE_HANDLERS);
      writeFileSync(join(project, edgeFiles[1]), WORKER_GLOBALS);
      pageHandlers.forEach((block, i) => writeFileSync(join(project, edgeFiles[i + 2]), block));
      const compilerOptions = {
        module,
        moduleResolution,
        target: 'es2022',
        lib: ['es2022', 'dom'],
        types: ['node'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        jsx: 'react-jsx',
      };
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: [file, ...edgeFiles] }));
      check(
        `TypeScript consumer: ${name} (module ${module}, moduleResolution ${moduleResolution}, no skipLibCheck)`,
        join(app, 'node_modules', '.bin', 'tsc'),
        ['-p', project],
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
mkdirSync(join(root, 'test-results'), { recursive: true });
writeFileSync(join(root, 'test-results', 'package-checks.json'), JSON.stringify({ passed, failed, results }, null, 2));
console.log(`package checks: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
