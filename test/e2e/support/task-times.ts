/**
 * How long each task of a page's main thread ran on the CPU, from Chromium's own trace. A long-task
 * observer reports wall time, which grows with whatever else the machine runs; the thread time of a
 * task (`tdur` of its `RunTask` event) is what the page's code itself cost.
 */
import type { Page } from '@playwright/test';

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { message?: string } };
}

/**
 * Runs `work` with the browser tracing, and gives the CPU time in ms of every main-thread task of
 * the page's renderer that ended after the page called `console.timeStamp(mark)` (the one that
 * called it included).
 */
export async function taskTimesAfter(page: Page, mark: string, work: () => Promise<void>): Promise<number[]> {
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: CATEGORIES });
  let trace: Buffer;
  try {
    await work();
  } finally {
    trace = await browser.stopTracing();
  }
  const { traceEvents } = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] };
  const stamp = traceEvents.find((event) => event.name === 'TimeStamp' && event.args?.data?.message === mark);
  if (!stamp) throw new Error(`the page never called console.timeStamp('${mark}')`);
  const main = traceEvents.find(
    (event) => event.ph === 'M' && event.name === 'thread_name' && event.pid === stamp.pid && event.args?.name === 'CrRendererMain',
  );
  return traceEvents
    .filter(
      (event) => event.name === 'RunTask' && event.ph === 'X' && event.pid === stamp.pid && event.tid === main?.tid && event.ts + (event.dur ?? 0) >= stamp.ts,
    )
    .map((event) => (event.tdur ?? 0) / 1000);
}
