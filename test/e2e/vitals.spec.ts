import { expect, modulePage, test } from './support/fixtures';

const page = (from = 'tracebeam') =>
  modulePage(`
    import { createClient } from 'tracebeam';
    import { webVitals } from '${from}';
    createClient({ sink: '/api/log', service: 'web', integrations: [webVitals()] });
    // A slow handler makes the click a real interaction for INP (web-vitals ignores those under 40 ms).
    document.querySelector('#go').addEventListener('click', () => {
      const until = performance.now() + 120;
      while (performance.now() < until);
      document.querySelector('h1').textContent = 'clicked';
    });
    // Something that shifts, for CLS.
    setTimeout(() => document.body.insertAdjacentHTML('afterbegin', '<div style="height:200px">late banner</div>'), 100);
    document.body.dataset.ready = '1';
  `);

for (const [title, options] of [
  ['all five web vitals reach the sink when the page goes away', ''],
  ['with tracebeam/vitals-attribution, vitals carry the attribution’s plain fields', 'tracebeam/vitals-attribution'],
] as const) {
  test(title, async ({ app, page: tab }) => {
    await tab.goto(app.page(page(options || undefined)));
    await tab.locator('body[data-ready="1"]').waitFor();
    await tab.waitForTimeout(300);
    await tab.click('#go');
    // web-vitals processes INP in an idle callback: give it time before the page is hidden.
    await tab.waitForTimeout(1500);
    await tab.goto(app.url + '/api/echo');
    const events = await app.waitForEvents((e) => new Set(e.map((v) => v.vital?.name)).size >= 5);
    const vitals = Object.fromEntries(events.map((e) => [e.vital!.name, e]));
    expect(Object.keys(vitals).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    for (const event of Object.values(vitals)) {
      expect(event).toMatchObject({ level: 'info', event: 'web_vital', service: 'web' });
      expect(event.vital).toMatchObject({ value: expect.any(Number), delta: expect.any(Number), id: expect.any(String), navigation_type: 'navigate' });
      expect(['good', 'needs-improvement', 'poor']).toContain(event.vital!.rating);
    }
    expect(vitals.INP.vital!.value).toBeGreaterThanOrEqual(100);
    expect(vitals.CLS.vital!.value).toBeGreaterThan(0);
    // Each vital is reported once, when final.
    expect(events.filter((e) => e.event === 'web_vital')).toHaveLength(5);
    if (options) {
      expect(vitals.INP.vital!.attribution).toMatchObject({ interactionTarget: '#go', interactionType: 'pointer' });
      expect(vitals.LCP.vital!.attribution).toHaveProperty('elementRenderDelay');
      expect(vitals.TTFB.vital!.attribution).toHaveProperty('requestDuration');
    } else {
      expect(vitals.INP.vital!.attribution).toBeUndefined();
    }
  });
}

test('load vitals carry the page load trace, and an INP the trace of the click it measured', async ({ app, page: tab }) => {
  const server = '4bf92f3577b34da6a3ce929d0e0e4736';
  await tab.goto(
    app.page(
      modulePage(
        `
        import { createClient, webVitals } from 'tracebeam';
        const client = createClient({ sink: '/api/log', service: 'web', integrations: [webVitals()] });
        window.traces = [];
        // A fast click first, then a slow one: INP is the slow one, which is not the last click.
        document.querySelector('#go').addEventListener('click', () => {
          window.traces.push(client.traceId());
          const until = performance.now() + (window.traces.length == 2 ? 400 : 0);
          while (performance.now() < until);
          document.querySelector('h1').textContent = 'clicked ' + window.traces.length;
        });
        setTimeout(() => document.body.insertAdjacentHTML('afterbegin', '<div style="height:200px">late banner</div>'), 100);
        document.body.dataset.ready = '1';
      `,
        `<meta name="traceparent" content="00-${server}-00f067aa0ba902b7-01">`,
      ),
    ),
  );
  await tab.locator('body[data-ready="1"]').waitFor();
  await tab.waitForTimeout(300);
  for (let i = 0; i < 3; i++) {
    await tab.click('#go');
    await tab.waitForTimeout(300);
  }
  await tab.waitForTimeout(1500);
  const traces = (await tab.evaluate(() => (window as unknown as { traces: string[] }).traces)) as string[];
  expect(new Set(traces).size).toBe(3);
  expect(traces).not.toContain(server);
  await tab.goto(app.url + '/api/echo');
  const events = await app.waitForEvents((e) => new Set(e.map((v) => v.vital?.name)).size >= 5);
  const vitals = Object.fromEntries(events.filter((e) => e.event === 'web_vital').map((e) => [e.vital!.name, e]));
  for (const name of ['LCP', 'FCP', 'TTFB', 'CLS']) expect(vitals[name].trace_id, name).toBe(server);
  expect(vitals.INP.vital!.value).toBeGreaterThanOrEqual(400);
  // The second click's trace: the slow one, neither the first nor the last click's.
  expect(vitals.INP.trace_id).toBe(traces[1]);
});
