import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existingFileLines } from '../../../src/timeline/files';
import { viewerScript } from '../../../src/viewer/client';
import { PAGE_HTML } from '../../../src/viewer/page';
import { createRecentEvents, type RecentEvents } from '../../../src/viewer/recent';
import { createViewer, type Viewer, type ViewerOptions } from '../../../src/viewer/viewer';
import type { ViewRecord } from '../../../src/viewer/view-record';
import { validEvent } from '../sink/fixtures';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const BASE = 'http://127.0.0.1:4318';

let dir: string;
let recent: RecentEvents;
const viewers: Viewer[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracebeam-ui-'));
  recent = createRecentEvents(100);
});

afterEach(async () => {
  viewers.splice(0).forEach((viewer) => viewer.close());
  await rm(dir, { recursive: true, force: true });
});

function viewer(options: Partial<ViewerOptions> = {}): Viewer {
  const created = createViewer({ recent, sources: { recent: () => recent.list(), logs: [] }, keepAliveMs: 60_000, ...options });
  viewers.push(created);
  return created;
}

function get(target: Viewer, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return target.handle(new Request(BASE + path, { headers }));
}

async function lines(name: string, entries: Array<object | string>): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, entries.map((entry) => (typeof entry === 'string' ? entry : JSON.stringify(entry))).join('\n') + '\n');
  return path;
}

describe('viewer routes', () => {
  it('serves the same constant page at / and /trace/<id>, with a policy that runs no inline script', async () => {
    const view = viewer();
    recent.add([validEvent({ note: '<script>alert(1)</script>' })]);
    for (const path of ['/', `/trace/${TRACE}`]) {
      const response = await get(view, path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self';");
      expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toBe(PAGE_HTML);
    }
    expect(PAGE_HTML).not.toMatch(/<script>[^<]/);
  });

  it('sends other spellings of a trace id to its one address, and refuses what is not one without echoing it', async () => {
    const view = viewer();
    const moved = await get(view, `/trace/${TRACE.toUpperCase()}`);
    expect(moved.status).toBe(308);
    expect(moved.headers.get('location')).toBe(`/trace/${TRACE}`);
    const bad = await get(view, '/trace/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(bad.status).toBe(404);
    expect(bad.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await bad.text()).not.toContain('<script>');
    expect((await get(view, '/api/trace/xyz')).status).toBe(404);
    expect((await get(view, '/nothing')).status).toBe(404);
  });

  it('serves its script and stylesheet', async () => {
    const view = viewer();
    const script = await get(view, '/assets/viewer.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const text = await script.text();
    expect(text).toBe(viewerScript());
    expect(() => new Function(text)).not.toThrow();
    const css = await get(view, '/assets/viewer.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers only GET and HEAD', async () => {
    const response = await viewer().handle(new Request(`${BASE}/`, { method: 'POST', body: '{}' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('refuses requests whose Host is not its own (DNS rebinding)', async () => {
    const view = viewer({ allowHost: (host) => host === '127.0.0.1:4318' });
    expect((await get(view, '/api/events')).status).toBe(200);
    const refused = await get(view, '/api/events', { host: 'evil.example:4318' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('"events"');
  });
});

describe('viewer data', () => {
  it('lists recent events, after those of the file the sink kept before it started', async () => {
    const older = validEvent({ event: 'from_before', timestamp: '2024-05-01T11:00:00.000Z' });
    const view = viewer({ history: () => Promise.resolve([older]) });
    recent.add([validEvent({ event: 'http_request', http: { method: 'GET', url: '/api/cart', status_code: 200, duration_ms: 12 } })]);
    const { events } = (await (await get(view, '/api/events')).json()) as { events: ViewRecord[] };
    expect(events.map((event) => [event.event, event.source, event.origin, event.summary])).toEqual([
      ['from_before', 'web', 'client', ''],
      ['http_request', 'web', 'client', 'GET /api/cart -> 200 in 12 ms'],
    ]);
    expect(events[1]!.trace_id).toBe(TRACE);
  });

  it('gathers a trace from the sink file, its memory and the backend logs, once each, oldest first', async () => {
    const shared = validEvent({ event: 'in_both', timestamp: '2024-05-01T12:00:00.100Z' });
    const out = await lines('events.jsonl', [
      shared,
      validEvent({ event: 'only_in_file', timestamp: '2024-05-01T12:00:00.300Z' }),
      validEvent({ event: 'elsewhere', trace_id: 'f'.repeat(32) }),
    ]);
    recent.add([shared, validEvent({ event: 'only_in_memory', timestamp: '2024-05-01T12:00:00.500Z' })]);
    const server = await lines('server.log', [
      { event: 'request_started', level: 'info', timestamp: '2024-05-01T12:00:00.200Z', trace_id: TRACE },
      'Traceback (most recent call last):',
      { level: 50, time: Date.UTC(2024, 4, 1, 12, 0, 0, 400), msg: 'payment failed', traceId: TRACE },
    ]);
    const view = viewer({
      sources: {
        out: { input: out, lines: () => existingFileLines(out) },
        recent: () => recent.list(),
        logs: [
          { input: server, label: 'server.log', lines: () => existingFileLines(server) },
          { input: join(dir, 'worker.log'), label: 'worker.log', lines: () => existingFileLines(join(dir, 'worker.log')) },
        ],
      },
    });
    const data = (await (await get(view, `/api/trace/${TRACE}`)).json()) as { trace_id: string; records: ViewRecord[]; notes: string[] };
    expect(data.trace_id).toBe(TRACE);
    expect(data.records.map((record) => [record.event, record.source, record.origin, record.level])).toEqual([
      ['in_both', 'web', 'client', 'info'],
      ['request_started', 'server.log', 'log', 'info'],
      ['only_in_file', 'web', 'client', 'info'],
      ['payment failed', 'server.log', 'log', 'error'],
      ['only_in_memory', 'web', 'client', 'info'],
    ]);
    expect(data.notes).toEqual([`skipped 1 line that is not JSON in ${server}`, `${join(dir, 'worker.log')} does not exist (yet)`]);
  });

  it('shows each event of the sink once when its file is also given as a backend log', async () => {
    const out = await lines('events.jsonl', [validEvent({ event: 'checkout_started' })]);
    const server = await lines('server.log', [{ event: 'order_saved', id: 'order-7', trace_id: TRACE, timestamp: '2099-01-01T00:00:00.000Z' }]);
    const file = (input: string) => ({ input, label: input, lines: () => existingFileLines(input) });
    const view = viewer({ sources: { out: file(out), recent: () => recent.list(), logs: [file(out), file(server)] } });
    const data = (await (await get(view, `/api/trace/${TRACE}`)).json()) as { records: ViewRecord[] };
    expect(data.records.map((record) => [record.event, record.origin])).toEqual([
      ['checkout_started', 'client'],
      ['order_saved', 'log'],
    ]);
  });

  it('streams each written batch to live pages as Server-Sent Events', async () => {
    const view = viewer();
    const response = await get(view, '/events/stream');
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe('retry: 2000\n\n');

    recent.add([validEvent({ event: 'checkout_started', level: 'warn', note: '</script><script>alert(1)</script>' })]);
    const { value } = await reader.read();
    const [head, data] = value!.split('\n');
    expect(head).toBe('event: events');
    const records = JSON.parse(data!.slice('data: '.length)) as ViewRecord[];
    expect(records.map((record) => [record.event, record.level, record.fields.note])).toEqual([
      ['checkout_started', 'warn', '</script><script>alert(1)</script>'],
    ]);

    // The sink stopping ends every stream, so that its server can close.
    view.close();
    expect((await reader.read()).done).toBe(true);
  });

  it('stops sending to a page that went away', async () => {
    let active = 0;
    const counted: RecentEvents = {
      ...recent,
      subscribe(listener) {
        active += 1;
        const stop = recent.subscribe(listener);
        return () => {
          active -= 1;
          stop();
        };
      },
    };
    const view = viewer({ recent: counted });
    const response = await get(view, '/events/stream');
    expect(active).toBe(1);
    await response.body!.cancel();
    expect(active).toBe(0);
  });
});
