// Runs a benchmark page in headless Chromium: a 127.0.0.1 server serves dist/, node_modules/, any
// extra files the benchmark made, and the page, whose module computes its figures and exposes them
// as `window.result` (runInChromium), or exposes functions the benchmark calls (openInChromium).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/chromium.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Opens the page; `files` maps extra paths to their JavaScript. Call `close()` when done. */
export async function openInChromium(moduleSource, { files = {} } = {}) {
  const page = `<!doctype html><script type="importmap">{"imports":{"tracebeam":"/dist/index.mjs","web-vitals":"/node_modules/web-vitals/dist/web-vitals.js"}}</script>
<script type="module">${moduleSource}</script>`;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (path === '/sink') return req.resume().on('end', () => res.writeHead(202).end());
    try {
      const body = files[path] ?? (await readFile(normalize(join(ROOT, path))));
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: ensureChromium(),
    args: CHROMIUM_ARGS,
  });
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  const close = async () => {
    await browser.close();
    server.close();
  };
  return { tab, close };
}

export async function runInChromium(moduleSource, { timeoutMs = 120_000 } = {}) {
  const { tab, close } = await openInChromium(moduleSource);
  try {
    const handle = await tab.waitForFunction(() => window.result, null, { timeout: timeoutMs });
    return await handle.jsonValue();
  } finally {
    await close();
  }
}

/** Median of a list of numbers. */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
