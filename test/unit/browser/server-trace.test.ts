// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pageLoadTrace } from '../../../src/browser/interaction-trace';
import { serverTraceparent } from '../../../src/browser/server-trace';

const EDGE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const META = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';

/** The navigation entry as Chromium gives it, with the response's Server-Timing entries. */
function navigationWith(serverTiming: Array<{ name: string; description: string }>): void {
  vi.spyOn(performance, 'getEntriesByType').mockImplementation((type) =>
    type === 'navigation' ? ([{ serverTiming: serverTiming.map((entry) => ({ duration: 0, ...entry })) }] as never) : [],
  );
}

afterEach(() => {
  vi.restoreAllMocks();
  document.head.innerHTML = '';
});

describe('serverTraceparent', () => {
  it('reads the traceparent an edge hop sent in Server-Timing', () => {
    navigationWith([
      { name: 'cache', description: 'hit' },
      { name: 'traceparent', description: EDGE },
    ]);
    expect(serverTraceparent()).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: 1 });
    expect(pageLoadTrace()).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: 1 });
  });

  it('prefers a <meta name="traceparent"> the server rendered', () => {
    document.head.innerHTML = `<meta name="traceparent" content="${META}">`;
    navigationWith([{ name: 'traceparent', description: EDGE }]);
    expect(serverTraceparent()?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it.each([
    ['an invalid value', [{ name: 'traceparent', description: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }]],
    ['a value under another name', [{ name: 'trace', description: EDGE }]],
    ['no Server-Timing at all', []],
  ])('starts a trace of its own for %s', (_case, entries) => {
    navigationWith(entries);
    expect(serverTraceparent()).toBeNull();
    const trace = pageLoadTrace();
    expect(trace.traceId).toMatch(/^[\da-f]{32}$/);
    expect(trace.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('never throws where the Performance Timeline is missing', () => {
    vi.spyOn(performance, 'getEntriesByType').mockReturnValue([]);
    expect(serverTraceparent()).toBeNull();
    vi.stubGlobal('performance', {});
    try {
      expect(serverTraceparent()).toBeNull();
      expect(pageLoadTrace().traceId).toMatch(/^[\da-f]{32}$/);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
