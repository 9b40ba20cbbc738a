import { Window } from 'happy-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { viewerScript } from '../../../src/viewer/client';
import { PAGE_HTML } from '../../../src/viewer/page';
import type { ViewRecord } from '../../../src/viewer/view-record';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
const windows: Window[] = [];

afterEach(async () => {
  await Promise.all(windows.splice(0).map((window) => window.happyDOM.close()));
});

function view(fields: Partial<ViewRecord>): ViewRecord {
  return {
    time: Date.UTC(2024, 4, 1, 12),
    source: 'web',
    level: 'info',
    event: 'x',
    summary: '',
    attributes: [],
    origin: 'client',
    input: 'sink',
    line: 0,
    fields: {},
    ...fields,
  };
}

/** The viewer page at `path` in happy-dom, its API answered by `api`. */
async function open(path: string, api: (url: string) => unknown): Promise<Window> {
  const window = new Window({ url: `http://127.0.0.1:4318${path}` });
  windows.push(window);
  window.document.body.innerHTML = '<main id="app"></main>';
  (window as unknown as { fetch: (url: string) => Promise<unknown> }).fetch = async (url: string) =>
    new window.Response(JSON.stringify(api(url)), { headers: { 'content-type': 'application/json' } });
  window.eval(viewerScript());
  return window;
}

describe('the viewer page', () => {
  it('shows text from events as text: markup in any field never becomes elements', async () => {
    const records = [
      view({
        event: HOSTILE,
        level: 'error',
        summary: HOSTILE,
        source: HOSTILE,
        attributes: [[HOSTILE, HOSTILE]],
        error: { type: HOSTILE, message: HOSTILE, frames: [{ function: HOSTILE, file: HOSTILE, line: 1, column: 2 }] },
        fields: { note: HOSTILE },
      }),
    ];
    const window = await open(`/trace/${TRACE}`, () => ({ records, notes: [HOSTILE] }));
    const app = window.document.getElementById('app')!;
    await vi.waitFor(() => expect(app.querySelector('.wf-row.record')).not.toBeNull());
    expect(app.querySelectorAll('img, script, iframe')).toHaveLength(0);
    expect(app.querySelector('.wf-row.record .name')!.textContent).toBe(HOSTILE);
    expect(app.querySelector('.error-box .message')!.textContent).toBe(`${HOSTILE}: ${HOSTILE}`);
    expect(app.querySelector('.frame .fn')!.textContent).toBe(HOSTILE);
    expect(app.querySelector('.notes li')!.textContent).toBe(HOSTILE);
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('lays a trace out in time order: bars for requests and spans, points for the rest, frames of errors open', async () => {
    const start = Date.UTC(2024, 4, 1, 12);
    const records = [
      view({ time: start, event: 'checkout_started' }),
      view({ time: start + 50, event: 'span', span_id: 'a'.repeat(16), bar: { start: start + 50, duration: 100 }, summary: 'checkout (internal) 100 ms' }),
      view({ time: start + 80, event: 'request_started', source: 'server.log', origin: 'log' }),
      view({
        time: start + 200,
        event: 'http_request',
        level: 'error',
        span_id: 'b'.repeat(16),
        parent_span_id: 'a'.repeat(16),
        bar: { start: start + 60, duration: 140 },
      }),
      view({
        time: start + 210,
        event: 'client_error',
        level: 'error',
        error: {
          type: 'TypeError',
          message: 'boom',
          frames: [{ function: 'computeTotal', file: 'src/cart.ts', line: 7, column: 13, minified: { file: 'app.min.js', line: 1, column: 64 } }],
        },
      }),
    ];
    const window = await open(`/trace/${TRACE}`, (url) => {
      expect(url).toBe(`/api/trace/${TRACE}`);
      return { records, notes: [] };
    });
    const app = window.document.getElementById('app')!;
    await vi.waitFor(() => expect(app.querySelectorAll('.wf-row.record')).toHaveLength(5));
    const rows = [...app.querySelectorAll('.wf-row.record')];
    expect(
      rows.map((row) => [
        row.querySelector('.name')!.textContent,
        (row as unknown as HTMLElement).dataset.kind,
        (row as unknown as HTMLElement).dataset.origin,
      ]),
    ).toEqual([
      ['checkout_started', 'point', 'client'],
      ['span', 'span', 'client'],
      ['request_started', 'point', 'log'],
      ['http_request', 'http', 'client'],
      ['client_error', 'error', 'client'],
    ]);
    const bar = rows[3]!.querySelector('.bar') as unknown as HTMLElement;
    expect(parseFloat(bar.style.left)).toBeCloseTo((60 / 210) * 100, 3);
    expect(parseFloat(bar.style.width)).toBeCloseTo((140 / 210) * 100, 3);
    // The request is a child of the span: indented under it.
    expect((rows[3]!.querySelector('.label') as unknown as HTMLElement).style.paddingLeft).toBe('14px');
    const frame = app.querySelector('.frame')!;
    expect(frame.textContent).toBe('computeTotal src/cart.ts:7:13minified: app.min.js:1:64');
    expect((frame.closest('.detail') as unknown as HTMLElement).hidden).toBe(false);
  });

  it('lists recent events newest first, with filters', async () => {
    const events = [
      view({ event: 'page_view', time: 1 }),
      view({ event: 'http_request', level: 'error', time: 2, trace_id: TRACE, summary: 'GET /api/cart -> 500' }),
      view({ event: 'page_view', source: 'admin', time: 3, fields: { path: '/settings' } }),
    ];
    const window = await open('/', () => ({ events }));
    const document = window.document;
    await vi.waitFor(() => expect(document.querySelectorAll('tr.event')).toHaveLength(3));
    const names = () => [...document.querySelectorAll('tr.event')].map((row) => row.children[3]!.textContent);
    expect(names()).toEqual(['page_view', 'http_request', 'page_view']);
    expect(document.querySelector('tr.event a')!.getAttribute('href')).toBe(`/trace/${TRACE}`);

    const level = document.querySelector('select[name=level]') as unknown as HTMLSelectElement;
    level.value = 'error';
    document.querySelector('form')!.dispatchEvent(new window.Event('input', { bubbles: true }));
    expect(names()).toEqual(['http_request']);
    expect(window.location.search).toBe('?level=error');

    level.value = '';
    const search = document.querySelector('input[name=q]') as unknown as HTMLInputElement;
    search.value = 'SETTINGS';
    document.querySelector('form')!.dispatchEvent(new window.Event('input', { bubbles: true }));
    expect(names()).toEqual(['page_view']);
    expect([...(document.querySelector('select[name=service]') as unknown as HTMLSelectElement).options].map((option) => option.value)).toEqual([
      '',
      'web',
      'admin',
    ]);
  });

  it('orders the list by timestamp, whatever the order events arrived in, and counts in words', async () => {
    const events = [
      view({ event: 'third', time: 3 }),
      view({ event: 'first', time: 1 }),
      view({ event: 'untimed', time: null }),
      view({ event: 'second', time: 2 }),
    ];
    const window = await open('/', () => ({ events }));
    const document = window.document;
    await vi.waitFor(() => expect(document.querySelectorAll('tr.event')).toHaveLength(4));
    expect([...document.querySelectorAll('tr.event')].map((row) => row.children[3]!.textContent)).toEqual(['third', 'second', 'first', 'untimed']);
    expect(document.querySelector('header')!.lastElementChild!.textContent).toBe('4 events');
  });

  it('says "1 event" and "1 record"', async () => {
    const list = await open('/', () => ({ events: [view({ event: 'only' })] }));
    await vi.waitFor(() => expect(list.document.querySelectorAll('tr.event')).toHaveLength(1));
    expect(list.document.querySelector('header')!.textContent).toContain('1 event');
    expect(list.document.querySelector('header')!.textContent).not.toContain('1 events');
    const trace = await open(`/trace/${TRACE}`, () => ({ records: [view({ event: 'only' })], notes: [] }));
    await vi.waitFor(() => expect(trace.document.querySelectorAll('.wf-row.record')).toHaveLength(1));
    expect(trace.document.querySelector('header .meta')!.textContent).toMatch(/^1 record from web over /);
  });

  it('cuts a long quiet stretch out of the waterfall, so that one late record does not squash the bars', async () => {
    const start = Date.UTC(2024, 4, 1, 12);
    const records = [
      view({ time: start, event: 'click' }),
      view({ time: start + 150, event: 'http_request', bar: { start: start + 50, duration: 100 } }),
      view({ time: start + 200, event: 'rendered' }),
      view({ time: start + 10 * 60_000, event: 'nightly_job', origin: 'log', source: 'server.log' }),
    ];
    const window = await open(`/trace/${TRACE}`, () => ({ records, notes: [] }));
    const app = window.document.getElementById('app')!;
    await vi.waitFor(() => expect(app.querySelectorAll('.wf-row.record')).toHaveLength(4));
    const rows = [...app.querySelectorAll('.wf-row.record')];
    const bar = rows[1]!.querySelector('.bar') as unknown as HTMLElement;
    // 200 ms of records on 94 % of the axis, the ten quiet minutes on 6 %.
    expect(parseFloat(bar.style.left)).toBeCloseTo((50 / 200) * 94, 3);
    expect(parseFloat(bar.style.width)).toBeCloseTo((100 / 200) * 94, 3);
    expect(parseFloat((rows[2]!.querySelector('.point') as unknown as HTMLElement).style.left)).toBeCloseTo(94, 3);
    expect(parseFloat((rows[3]!.querySelector('.point') as unknown as HTMLElement).style.left)).toBeCloseTo(100, 3);
    const cut = app.querySelector('.wf-head .cut') as unknown as HTMLElement;
    expect([parseFloat(cut.style.left), parseFloat(cut.style.width), cut.title]).toEqual([94, 6, '599.8 s without records, not to scale']);
    expect(rows.every((row) => row.querySelector('.track .cut') !== null)).toBe(true);
    expect([...app.querySelectorAll('.ticks span')].map((tick) => tick.textContent)).toEqual(['0 ms', '53 ms', '106 ms', '160 ms', '600 s']);
  });

  it('keeps a linear axis when the records are spread evenly', async () => {
    const start = Date.UTC(2024, 4, 1, 12);
    const records = [view({ time: start, event: 'a' }), view({ time: start + 100, event: 'b' }), view({ time: start + 300, event: 'c' })];
    const window = await open(`/trace/${TRACE}`, () => ({ records, notes: [] }));
    const app = window.document.getElementById('app')!;
    await vi.waitFor(() => expect(app.querySelectorAll('.wf-row.record')).toHaveLength(3));
    const lefts = [...app.querySelectorAll('.wf-row.record .point')].map((point) => parseFloat((point as unknown as HTMLElement).style.left));
    expect(lefts).toHaveLength(3);
    [0, 100 / 3, 100].forEach((left, index) => expect(lefts[index]).toBeCloseTo(left, 6));
    expect(app.querySelector('.cut')).toBeNull();
  });

  it('carries its icon inline, as an SVG the Content-Security-Policy allows (img-src data:)', () => {
    const window = new Window();
    windows.push(window);
    window.document.write(PAGE_HTML);
    const href = window.document.querySelector('link[rel=icon]')!.getAttribute('href')!;
    expect(href.startsWith('data:image/svg+xml,')).toBe(true);
    expect(decodeURIComponent(href.slice('data:image/svg+xml,'.length))).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^]*<\/svg>$/);
  });
});
