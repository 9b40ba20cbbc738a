// @vitest-environment happy-dom
/** The pre-load snippet, evaluated afresh as an inline script in `<head>` would run it. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PreloadStub } from '../../../src/snippet/protocol';

type Stub = PreloadStub & Record<string, (...args: unknown[]) => void>;

async function runSnippet(attributes: Record<string, string> = {}): Promise<{ stub: Stub; script: HTMLScriptElement }> {
  const script = document.head.appendChild(document.createElement('script'));
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  vi.spyOn(document, 'currentScript', 'get').mockReturnValue(script);
  vi.resetModules();
  await import('../../../src/snippet/snippet');
  return { stub: (window as unknown as { tracebeam: Stub }).tracebeam, script };
}

afterEach(() => {
  (window as { tracebeam?: { _off?: () => void } }).tracebeam?._off?.();
  delete (window as { tracebeam?: unknown }).tracebeam;
  document.head.innerHTML = '';
});

describe('the pre-load snippet', () => {
  it('records API calls, errors and unhandled rejections, with their time, until told to stop', async () => {
    const { stub } = await runSnippet();
    const before = Date.now();
    stub.init({ sink: '/api/log', service: 'web' });
    stub.setUser({ id: '42' });
    stub.log('info', 'early', { n: 1 });
    const error = new ErrorEvent('error', { error: new Error('early failure'), message: 'early failure' });
    window.dispatchEvent(error);
    const rejection = Object.assign(new Event('unhandledrejection'), { reason: 'no answer' });
    window.dispatchEvent(rejection);
    stub._off();
    window.dispatchEvent(new ErrorEvent('error', { message: 'after the handover' }));
    expect(stub._q.map(([method, args]) => [method, Array.from(args)])).toEqual([
      ['init', [{ sink: '/api/log', service: 'web' }]],
      ['setUser', [{ id: '42' }]],
      ['log', ['info', 'early', { n: 1 }]],
      ['error', [error]],
      ['unhandledrejection', [rejection]],
    ]);
    for (const [, , time] of stub._q) expect(time).toBeGreaterThanOrEqual(before);
  });

  it('records at most 100 and counts the rest', async () => {
    const { stub } = await runSnippet();
    for (let i = 0; i < 120; i++) stub.log('info', 'tick', { i });
    expect(stub._q).toHaveLength(100);
    expect(stub._d).toBe(20);
  });

  it('loads the SDK from data-src, asynchronously, handing on its other data attributes', async () => {
    // The test page must not fetch the script for real.
    (window as unknown as { happyDOM: { settings: { disableJavaScriptFileLoading: boolean } } }).happyDOM.settings.disableJavaScriptFileLoading = true;
    const { script } = await runSnippet({ 'data-src': 'https://cdn.test/tracebeam.min.js', 'data-sink': '/api/log', 'data-service': 'web' });
    const sdk = script.nextElementSibling as HTMLScriptElement;
    expect(sdk.tagName).toBe('SCRIPT');
    expect(sdk.src).toBe('https://cdn.test/tracebeam.min.js');
    expect(sdk.async).toBe(true);
    expect({ ...sdk.dataset }).toMatchObject({ sink: '/api/log', service: 'web' });
  });

  it('only records without data-src, and leaves a global that is already there alone', async () => {
    const { script, stub } = await runSnippet();
    expect(script.nextElementSibling).toBeNull();
    await runSnippet();
    expect((window as { tracebeam?: unknown }).tracebeam).toBe(stub);
  });
});
