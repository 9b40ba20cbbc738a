/**
 * The viewer's HTML and CSS. The HTML is the same for every address and holds no data: the script
 * reads the address and fetches JSON, so nothing from an event is ever parsed as markup.
 */

/** A beam across a dot, inline so that the browser asks the sink for no /favicon.ico. */
const FAVICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2563eb"/><path d="M2 8h12" stroke="#fff" stroke-width="2"/><circle cx="11" cy="8" r="2.5" fill="#fff"/></svg>',
  );

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tracebeam</title>
<link rel="icon" href="${FAVICON}">
<link rel="stylesheet" href="/assets/viewer.css">
<script src="/assets/viewer.js" defer></script>
</head>
<body>
<main id="app"><p class="empty">Loading…</p></main>
<noscript>The tracebeam viewer needs JavaScript.</noscript>
</body>
</html>
`;

export const VIEWER_CSS = `:root {
  color-scheme: light dark;
  --bg: #fbfbfa; --fg: #1d1d1f; --muted: #6b6b70; --line: #e3e3e0; --panel: #ffffff; --accent: #2563eb;
  --debug: #8a8a8f; --info: #15803d; --warn: #b45309; --error: #dc2626; --fatal: #991b1b;
  --client: #2563eb; --log: #7c3aed; --span: #0891b2; --row-hover: #f2f2ef; --new: #fff7d6;
  font: 13px/1.45 ui-sans-serif, system-ui, -apple-system, "Segoe UI", sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #151517; --fg: #e7e7ea; --muted: #9a9aa2; --line: #2c2c31; --panel: #1c1c20; --row-hover: #24242a; --new: #3a3210; --accent: #60a5fa; --client: #60a5fa; --log: #a78bfa; --span: #22d3ee; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
main { padding: 16px 20px 40px; max-width: 1600px; margin: 0 auto; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; margin-bottom: 12px; }
header.top h1 { font-size: 18px; margin: 0; font-weight: 600; }
header.top h1 code { font-size: 15px; }
.meta { color: var(--muted); }
.status { font-size: 12px; padding: 1px 8px; border-radius: 10px; border: 1px solid var(--line); color: var(--muted); }
.status.live { color: var(--info); border-color: currentColor; }
.status.down { color: var(--warn); border-color: currentColor; }
code, .mono, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
form.filters { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 0 0 12px; }
form.filters label { display: flex; gap: 4px; align-items: center; color: var(--muted); }
form.filters select, form.filters input { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 4px; background: var(--panel); color: var(--fg); }
form.filters input[type=search] { min-width: 240px; }
table.events { width: 100%; border-collapse: collapse; background: var(--panel); border: 1px solid var(--line); }
table.events th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 1px solid var(--line); padding: 6px 8px; position: sticky; top: 0; background: var(--panel); }
table.events td { padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.events tr.event { cursor: pointer; }
table.events tr.event:hover { background: var(--row-hover); }
tr.event.new { animation: arrive 2s ease-out; }
@keyframes arrive { from { background: var(--new); } to { background: transparent; } }
td.time, td.trace { white-space: nowrap; }
td.summary { min-width: 24ch; overflow-wrap: anywhere; }
.attr { color: var(--muted); margin-left: 8px; white-space: nowrap; }
.attr b { font-weight: normal; color: var(--fg); white-space: normal; overflow-wrap: anywhere; }
.level { display: inline-block; min-width: 44px; font-weight: 600; text-transform: lowercase; }
.level.level-trace, .level.level-debug { color: var(--debug); }
.level.level-info { color: var(--info); }
.level.level-warn { color: var(--warn); }
.level.level-error { color: var(--error); }
.level.level-fatal { color: var(--fatal); }
pre.json { margin: 4px 0 8px; padding: 8px; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; overflow: auto; max-height: 420px; white-space: pre-wrap; word-break: break-word; }
.empty { color: var(--muted); padding: 24px 0; }
.notes { margin: 0 0 12px; padding: 8px 12px 8px 28px; border: 1px solid var(--line); border-radius: 4px; color: var(--warn); background: var(--panel); }
.waterfall { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; }
.wf-row { display: grid; grid-template-columns: 92px 110px 54px minmax(220px, 1fr) minmax(240px, 42%); gap: 8px; align-items: center; padding: 4px 10px; border-bottom: 1px solid var(--line); }
.wf-row.record { cursor: pointer; }
.wf-row.record:hover { background: var(--row-hover); }
.wf-head { color: var(--muted); font-weight: 600; position: sticky; top: 0; background: var(--panel); z-index: 1; }
.wf-row .offset { font-variant-numeric: tabular-nums; color: var(--muted); text-align: right; }
.wf-row .source { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.wf-row .label { min-width: 0; overflow-wrap: anywhere; }
.wf-row .label .name { font-weight: 600; }
.wf-row .label .summary { color: var(--muted); margin-left: 6px; word-break: break-word; }
.origin-client .source { color: var(--client); }
.origin-log .source { color: var(--log); }
.track { position: relative; height: 16px; }
.track::before { content: ""; position: absolute; left: 0; right: 0; top: 7px; border-top: 1px dashed var(--line); }
.bar { position: absolute; top: 3px; height: 10px; min-width: 2px; border-radius: 2px; background: var(--client); opacity: 0.85; }
.kind-span .bar { background: var(--span); }
.wf-row.level-error .bar, .wf-row.level-fatal .bar { background: var(--error); }
.point { position: absolute; top: 3px; width: 10px; height: 10px; margin-left: -5px; border-radius: 50%; background: var(--client); border: 2px solid var(--panel); }
.origin-log .point { background: var(--log); }
.wf-row.level-error .point, .wf-row.level-fatal .point { background: var(--error); }
.ticks { position: relative; height: 16px; font-size: 11px; }
.ticks span { position: absolute; transform: translateX(-50%); white-space: nowrap; }
.ticks span:first-of-type { transform: none; }
.ticks span:last-of-type { transform: translateX(-100%); }
.cut { position: absolute; top: 0; bottom: 0; background: repeating-linear-gradient(135deg, var(--line) 0 2px, transparent 2px 5px); }
.detail { padding: 2px 10px 10px 272px; border-bottom: 1px solid var(--line); }
.error-box { border-left: 3px solid var(--error); padding: 4px 10px; margin: 2px 0 6px; }
.error-box .message { font-weight: 600; color: var(--error); word-break: break-word; }
ol.frames { margin: 4px 0 0; padding-left: 22px; }
ol.frames li { padding: 1px 0; }
ol.frames .fn { font-weight: 600; }
ol.frames .minified { color: var(--muted); margin-left: 8px; }
@media (max-width: 900px) {
  .wf-row { grid-template-columns: 72px 80px 48px 1fr; }
  .wf-row .track, .wf-head .ticks { grid-column: 1 / -1; }
  .detail { padding-left: 10px; }
}
`;
