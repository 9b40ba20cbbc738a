/**
 * The viewer page's script. It is written here as one self-contained function so that it is type
 * checked with the rest, and served as its source text (`viewerScript()`): it may use nothing from
 * this module's scope, only what the browser has.
 *
 * Every piece of an event reaches the DOM through `textContent` or a validated attribute, never as
 * markup: events are whatever any page chose to send.
 */

import type { FrameDetails } from '../timeline/details';
import type { ViewRecord } from './view-record';

/** The script, as served at /assets/viewer.js. */
export function viewerScript(): string {
  return `(${viewerClient.toString()})();\n`;
}

function viewerClient(): void {
  // Types only: erased from the served text, so the page and the server agree on the record's shape.
  type Frame = FrameDetails;
  type Rec = ViewRecord;
  type Child = Node | string | null | undefined | false;

  const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
  const MAX_ROWS = 1000;
  const app = document.getElementById('app')!;

  /** An element with text children only: strings become text nodes, never HTML. */
  function el(tag: string, className?: string, ...children: Child[]): HTMLElement {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function levelClass(level: string): string {
    return 'level-' + (LEVELS.includes(level) ? level : 'info');
  }

  function clock(time: number | null): string {
    if (time === null) return '?';
    const date = new Date(time);
    const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
    return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
  }

  function duration(ms: number): string {
    if (ms < 1) return `${Math.round(ms * 100) / 100} ms`;
    if (ms < 1000) return `${Math.round(ms)} ms`;
    return `${Math.round(ms / 10) / 100} s`;
  }

  function plural(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? '' : 's'}`;
  }

  /** By timestamp, not by arrival: a batch sent late (after a reconnect, from an outbox) sorts in. */
  function newestFirst(list: Rec[]): Rec[] {
    return list
      .map((rec, index) => ({ rec, index }))
      .sort((a, b) => (b.rec.time ?? -Infinity) - (a.rec.time ?? -Infinity) || b.index - a.index)
      .map(({ rec }) => rec);
  }

  interface AxisPart {
    from: number;
    to: number;
    /** Where the part starts and how much of the axis it takes, in percent. */
    left: number;
    width: number;
    cut: boolean;
  }

  /** Share of the axis a cut-out quiet stretch takes. */
  const CUT_WIDTH = 6;

  /**
   * The waterfall's time axis over `[from, to]` intervals. One late record (a log line minutes
   * after the click) would squeeze every other bar to nothing on a linear axis, so a quiet stretch
   * more than twice as long as all the rest is cut out and drawn as a narrow marker.
   */
  function timeAxis(intervals: Array<[number, number]>): AxisPart[] {
    const sorted = intervals.slice().sort((a, b) => a[0] - b[0]);
    const start = sorted[0]![0];
    let reach = sorted[0]![1];
    const gaps: Array<[number, number]> = [];
    for (const [from, to] of sorted) {
      if (from > reach) gaps.push([reach, from]);
      reach = Math.max(reach, to);
    }
    const cuts: Array<[number, number]> = [];
    let rest = reach - start;
    for (const gap of gaps.sort((a, b) => b[1] - b[0] - (a[1] - a[0]))) {
      const length = gap[1] - gap[0];
      if (rest - length <= 0 || length <= 2 * (rest - length)) break;
      cuts.push(gap);
      rest -= length;
    }
    if (cuts.length === 0) return [{ from: start, to: Math.max(reach, start + 1), left: 0, width: 100, cut: false }];
    const scale = (100 - cuts.length * CUT_WIDTH) / rest;
    const parts: AxisPart[] = [];
    let from = start;
    let left = 0;
    for (const [cutFrom, cutTo] of cuts.sort((a, b) => a[0] - b[0])) {
      parts.push({ from, to: cutFrom, left, width: (cutFrom - from) * scale, cut: false });
      left += (cutFrom - from) * scale;
      parts.push({ from: cutFrom, to: cutTo, left, width: CUT_WIDTH, cut: true });
      left += CUT_WIDTH;
      from = cutTo;
    }
    parts.push({ from, to: reach, left, width: 100 - left, cut: false });
    return parts;
  }

  /** Percent along the axis of `time`. */
  function axisX(parts: AxisPart[], time: number): number {
    const part = parts.find((candidate) => time <= candidate.to) ?? parts[parts.length - 1]!;
    const share = part.to > part.from ? (time - part.from) / (part.to - part.from) : 0;
    return Math.min(100, Math.max(0, part.left + Math.min(1, Math.max(0, share)) * part.width));
  }

  /** The time at `percent` along the axis. */
  function axisTime(parts: AxisPart[], percent: number): number {
    const part = parts.find((candidate) => percent <= candidate.left + candidate.width) ?? parts[parts.length - 1]!;
    return part.from + (part.width > 0 ? (percent - part.left) / part.width : 0) * (part.to - part.from);
  }

  function traceHref(id: string | undefined): string | undefined {
    // Only well-formed ids become links: the href is built, never copied from an event.
    return id !== undefined && /^[0-9a-f]{32}$/.test(id) ? '/trace/' + id : undefined;
  }

  function attributes(rec: Rec): HTMLElement[] {
    return rec.attributes.map(([name, value]) => el('span', 'attr', name + '=', el('b', undefined, value)));
  }

  function place(frame: Frame): string {
    return [frame.file ?? '<unknown>', frame.line, frame.column].filter((part) => part !== undefined).join(':');
  }

  /** Where an error was thrown, for a one-line list. */
  function topFrame(rec: Rec): HTMLElement | null {
    const frame = rec.error?.frames[0];
    return frame ? el('span', 'meta', ' at ' + (frame.function ? frame.function + ' (' + place(frame) + ')' : place(frame))) : null;
  }

  function errorBox(rec: Rec): HTMLElement | null {
    if (!rec.error) return null;
    const frames = el('ol', 'frames');
    for (const frame of rec.error.frames) {
      frames.append(
        el(
          'li',
          'frame',
          el('span', 'fn', frame.function || '<anonymous>'),
          ' ',
          el('span', 'mono file', place(frame)),
          frame.minified ? el('span', 'mono minified', 'minified: ' + place(frame.minified)) : null,
        ),
      );
    }
    const box = el('div', 'error-box', el('div', 'message', rec.error.type + ': ' + rec.error.message));
    if (rec.error.frames.length > 0) box.append(frames);
    else if (rec.error.stack) box.append(el('pre', 'json', rec.error.stack));
    return box;
  }

  function json(rec: Rec): HTMLElement {
    return el('pre', 'json', JSON.stringify(rec.fields, null, 2));
  }

  function status(): { node: HTMLElement; set(state: 'connecting' | 'live' | 'down'): void } {
    const node = el('span', 'status', 'connecting…');
    return {
      node,
      set(state) {
        node.className = 'status ' + state;
        node.textContent = state === 'live' ? 'live' : state === 'down' ? 'reconnecting…' : 'connecting…';
      },
    };
  }

  /** New events as the sink writes them; EventSource reconnects by itself when the sink restarts. */
  function live(onRecords: (records: Rec[]) => void, badge: ReturnType<typeof status>, onReconnect?: () => void): void {
    if (typeof EventSource !== 'function') return;
    const source = new EventSource('/events/stream');
    let opened = false;
    source.addEventListener('open', () => {
      badge.set('live');
      if (opened) onReconnect?.();
      opened = true;
    });
    source.addEventListener('error', () => badge.set('down'));
    source.addEventListener('events', (message) => {
      try {
        onRecords(JSON.parse((message as MessageEvent<string>).data) as Rec[]);
      } catch {
        // A message that is not ours; the next one will be.
      }
    });
  }

  async function getJson<T>(url: string): Promise<T> {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return (await response.json()) as T;
  }

  // ---------------------------------------------------------------- the list of recent events

  function listView(): void {
    document.title = 'tracebeam: events';
    const badge = status();
    const count = el('span', 'meta');
    const params = new URLSearchParams(location.search);
    const level = select('level', [['', 'any level'], ...LEVELS.slice(1).map((name): [string, string] => [name, name + ' and up'])], params.get('level') ?? '');
    const service = select('service', [['', 'any service']], params.get('service') ?? '');
    const event = select('event', [['', 'any event']], params.get('event') ?? '');
    const text = el('input') as HTMLInputElement;
    text.type = 'search';
    text.name = 'q';
    text.placeholder = 'text in any field';
    text.value = params.get('q') ?? '';
    const form = el('form', 'filters', labelled('Level', level), labelled('Service', service), labelled('Event', event), labelled('Search', text));
    form.addEventListener('submit', (submit) => submit.preventDefault());
    const body = el('tbody');
    const table = el(
      'table',
      'events',
      el(
        'thead',
        undefined,
        el(
          'tr',
          undefined,
          el('th', undefined, 'time'),
          el('th', undefined, 'level'),
          el('th', undefined, 'service'),
          el('th', undefined, 'event'),
          el('th', undefined, 'details'),
          el('th', undefined, 'trace'),
        ),
      ),
      body,
    );
    const empty = el('p', 'empty', 'No events yet. They appear here as the sink receives them.');
    app.replaceChildren(el('header', 'top', el('h1', undefined, 'tracebeam'), el('span', 'meta', 'recent events'), badge.node, count), form, table, empty);

    let records: Rec[] = [];
    const known = { service: new Set<string>(), event: new Set<string>() };
    const searchText = new WeakMap<Rec, string>();

    function select(name: string, options: Array<[string, string]>, value: string): HTMLSelectElement {
      const node = el('select') as HTMLSelectElement;
      node.name = name;
      for (const [optionValue, label] of options) node.append(option(optionValue, label));
      if (value !== '' && ![...node.options].some((item) => item.value === value)) node.append(option(value, value));
      node.value = value;
      return node;
    }
    function option(value: string, label: string): HTMLOptionElement {
      const node = el('option', undefined, label) as HTMLOptionElement;
      node.value = value;
      return node;
    }
    function labelled(label: string, control: HTMLElement): HTMLElement {
      return el('label', undefined, label, control);
    }
    function remember(rec: Rec): void {
      for (const [set, control, value] of [
        [known.service, service, rec.source],
        [known.event, event, rec.event],
      ] as const) {
        if (value === '' || set.has(value)) continue;
        set.add(value);
        if (![...control.options].some((item) => item.value === value)) control.append(option(value, value));
      }
    }
    function matches(rec: Rec): boolean {
      const min = level.value === '' ? -1 : LEVELS.indexOf(level.value);
      if (min >= 0 && LEVELS.indexOf(rec.level) < min) return false;
      if (service.value !== '' && rec.source !== service.value) return false;
      if (event.value !== '' && rec.event !== event.value) return false;
      const query = text.value.trim().toLowerCase();
      if (query === '') return true;
      let haystack = searchText.get(rec);
      if (haystack === undefined) searchText.set(rec, (haystack = (rec.summary + ' ' + JSON.stringify(rec.fields)).toLowerCase()));
      return haystack.includes(query);
    }
    function row(rec: Rec, fresh: boolean): HTMLElement {
      const href = traceHref(rec.trace_id);
      const link = href ? el('a', 'mono', rec.trace_id!.slice(0, 8) + '…') : el('span', 'meta', rec.trace_id ?? '');
      if (href) (link as HTMLAnchorElement).href = href;
      link.title = rec.trace_id ?? '';
      const tr = el(
        'tr',
        'event ' + levelClass(rec.level) + (fresh ? ' new' : ''),
        el('td', 'time mono', clock(rec.time)),
        el('td', undefined, el('span', 'level ' + levelClass(rec.level), rec.level)),
        el('td', undefined, rec.source),
        el('td', 'mono', rec.event),
        el('td', 'summary', rec.summary, topFrame(rec), ...attributes(rec)),
        el('td', 'trace', link),
      );
      if (rec.time !== null) tr.title = new Date(rec.time).toISOString();
      tr.addEventListener('click', (click) => {
        if ((click.target as HTMLElement).closest('a')) return;
        const next = tr.nextElementSibling;
        if (next && next.classList.contains('detail-row')) {
          next.remove();
          return;
        }
        const cell = el('td', undefined, errorBox(rec), json(rec));
        (cell as HTMLTableCellElement).colSpan = 6;
        tr.after(el('tr', 'detail-row', cell));
      });
      return tr;
    }
    function render(fresh: Set<Rec> = new Set()): void {
      const shown = records.filter(matches);
      // Newest first: the live end of the list is where the eye is.
      body.replaceChildren(...newestFirst(shown).map((rec) => row(rec, fresh.has(rec))));
      count.textContent = shown.length === records.length ? plural(records.length, 'event') : `${shown.length} of ${plural(records.length, 'event')}`;
      empty.hidden = shown.length > 0;
      if (records.length > 0 && shown.length === 0) empty.textContent = 'No event matches these filters.';
    }
    function add(incoming: Rec[], fresh: boolean): void {
      incoming.forEach(remember);
      records = records.concat(incoming).slice(-MAX_ROWS);
      render(fresh ? new Set(incoming) : undefined);
    }
    form.addEventListener('input', () => {
      const query = new URLSearchParams();
      for (const [name, control] of [
        ['level', level],
        ['service', service],
        ['event', event],
        ['q', text],
      ] as const) {
        if (control.value !== '') query.set(name, control.value);
      }
      const search = query.toString();
      history.replaceState(null, '', search === '' ? location.pathname : '?' + search);
      render();
    });

    const load = (): Promise<void> =>
      getJson<{ events: Rec[] }>('/api/events').then(
        (data) => {
          records = [];
          add(data.events, false);
        },
        () => undefined,
      );
    void load().then(() =>
      live(
        (incoming) => add(incoming, true),
        badge,
        () => void load(),
      ),
    );
  }

  // ---------------------------------------------------------------- one trace as a waterfall

  function traceView(id: string): void {
    document.title = 'tracebeam: trace ' + id;
    const badge = status();
    const meta = el('span', 'meta');
    const content = el('div', 'content', el('p', 'empty', 'Loading…'));
    const back = el('a', undefined, '← all events') as HTMLAnchorElement;
    back.href = '/';
    app.replaceChildren(el('header', 'top', back, el('h1', undefined, 'trace ', el('code', undefined, id)), meta, badge.node), content);

    let loading = false;
    let again = false;
    async function load(): Promise<void> {
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      try {
        const data = await getJson<{ records: Rec[]; notes: string[] }>('/api/trace/' + id);
        draw(data.records, data.notes);
      } catch (error) {
        content.replaceChildren(el('p', 'empty', 'Could not load the trace: ' + String(error)));
      } finally {
        loading = false;
        if (again) {
          again = false;
          void load();
        }
      }
    }

    function draw(records: Rec[], notes: string[]): void {
      const nodes: Child[] = [];
      if (notes.length > 0) nodes.push(el('ul', 'notes', ...notes.map((note) => el('li', undefined, note))));
      if (records.length === 0) {
        meta.textContent = '';
        nodes.push(el('p', 'empty', 'No records of this trace yet. They appear here as they arrive.'));
        content.replaceChildren(...(nodes as Node[]));
        return;
      }
      const intervals: Array<[number, number]> = [];
      for (const rec of records) {
        if (rec.bar) intervals.push([rec.bar.start, rec.bar.start + rec.bar.duration]);
        else if (rec.time !== null) intervals.push([rec.time, rec.time]);
      }
      if (intervals.length === 0) intervals.push([0, 0]);
      const axis = timeAxis(intervals);
      const start = axis[0]!.from;
      const end = Math.max(...intervals.map((interval) => interval[1]));
      const x = (time: number): number => axisX(axis, time);
      const sources = [...new Set(records.map((rec) => rec.source))];
      meta.textContent = `${plural(records.length, 'record')} from ${sources.join(', ')} over ${duration(end - start)}`;

      const depth = spanDepths(records);
      const ticks = el('div', 'ticks meta');
      for (const percent of [0, 25, 50, 75, 100]) {
        const tick = el('span', undefined, duration(axisTime(axis, percent) - start));
        tick.style.left = percent + '%';
        ticks.append(tick);
      }
      const cutMarkers = (): HTMLElement[] =>
        axis
          .filter((part) => part.cut)
          .map((part) => {
            const marker = el('div', 'cut');
            marker.style.left = part.left + '%';
            marker.style.width = part.width + '%';
            marker.title = duration(part.to - part.from) + ' without records, not to scale';
            return marker;
          });
      for (const marker of cutMarkers()) ticks.append(marker);
      const rows: HTMLElement[] = [
        el(
          'div',
          'wf-row wf-head',
          el('span', 'offset', 'at'),
          el('span', undefined, 'source'),
          el('span', undefined, 'level'),
          el('span', undefined, 'event'),
          ticks,
        ),
      ];
      for (const rec of records) {
        const track = el('div', 'track', ...cutMarkers());
        if (rec.bar) {
          const bar = el('div', 'bar');
          bar.style.left = x(rec.bar.start) + '%';
          bar.style.width = Math.max(0, x(rec.bar.start + rec.bar.duration) - x(rec.bar.start)) + '%';
          bar.title = duration(rec.bar.duration);
          track.append(bar);
        } else if (rec.time !== null) {
          const point = el('div', 'point');
          point.style.left = x(rec.time) + '%';
          track.append(point);
        }
        const label = el(
          'div',
          'label',
          el('span', 'name mono', rec.event || '(no message)'),
          rec.summary ? el('span', 'summary', rec.summary) : null,
          ...attributes(rec),
        );
        label.style.paddingLeft = (depth.get(rec) ?? 0) * 14 + 'px';
        const kind = rec.event === 'span' && rec.bar ? 'span' : rec.bar ? 'http' : rec.error ? 'error' : 'point';
        const row = el(
          'div',
          `wf-row record origin-${rec.origin} kind-${kind} ${levelClass(rec.level)}`,
          el('span', 'offset mono', rec.time === null ? '?' : '+' + duration(rec.time - start)),
          el('span', 'source', rec.source),
          el('span', 'level ' + levelClass(rec.level), rec.level),
          label,
          track,
        );
        row.dataset.origin = rec.origin;
        row.dataset.kind = kind;
        row.title = (rec.time === null ? '' : new Date(rec.time).toISOString() + '  ') + rec.input + (rec.line > 0 ? ':' + rec.line : '');
        rows.push(row);
        // Errors are what one opens a trace for: their frames are shown without a click.
        const detail = el('div', 'detail', errorBox(rec));
        detail.hidden = !rec.error;
        rows.push(detail);
        row.addEventListener('click', () => {
          const raw = detail.querySelector('pre.raw');
          if (raw) {
            raw.remove();
            detail.hidden = !rec.error;
            return;
          }
          const pre = json(rec);
          pre.classList.add('raw');
          detail.append(pre);
          detail.hidden = false;
        });
      }
      nodes.push(el('div', 'waterfall', ...rows));
      content.replaceChildren(...(nodes as Node[]));
    }

    /** How deep each record sits under the spans (and requests) that its parent ids name. */
    function spanDepths(records: Rec[]): Map<Rec, number> {
      const bySpan = new Map<string, Rec>();
      for (const rec of records) if (rec.span_id && (rec.event === 'span' || rec.bar)) bySpan.set(rec.span_id, rec);
      const depths = new Map<Rec, number>();
      const depthOf = (rec: Rec, guard: number): number => {
        if (depths.has(rec)) return depths.get(rec)!;
        const parent = rec.parent_span_id ? bySpan.get(rec.parent_span_id) : undefined;
        const value = parent && parent !== rec && guard < 12 ? depthOf(parent, guard + 1) + 1 : 0;
        depths.set(rec, value);
        return value;
      };
      for (const rec of records) depthOf(rec, 0);
      return depths;
    }

    void load().then(() =>
      live(
        (incoming) => {
          if (incoming.some((rec) => rec.trace_id === id)) void load();
        },
        badge,
        () => void load(),
      ),
    );
  }

  const trace = /^\/trace\/([0-9a-f]{32})\/?$/.exec(location.pathname);
  if (trace) traceView(trace[1]!);
  else listView();
}
