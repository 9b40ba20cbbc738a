// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterLoad } from '../../../src/browser/after-load';

// The page's state as the browser would give it, set by each test.
let readyState: DocumentReadyState;
let visibilityState: DocumentVisibilityState;
beforeEach(() => {
  readyState = 'interactive';
  visibilityState = 'visible';
  Object.defineProperty(document, 'readyState', { configurable: true, get: () => readyState });
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibilityState });
});
afterEach(() => {
  delete (document as { readyState?: unknown }).readyState;
  delete (document as { visibilityState?: unknown }).visibilityState;
});

const hide = (state: DocumentVisibilityState = 'hidden') => {
  visibilityState = state;
  document.dispatchEvent(new Event('visibilitychange'));
};
const load = () => {
  readyState = 'complete';
  dispatchEvent(new Event('load'));
};

describe('afterLoad', () => {
  it('runs at once when the document is already complete', () => {
    readyState = 'complete';
    const run = vi.fn();
    afterLoad(run);
    expect(run).toHaveBeenCalledOnce();
  });

  it('waits for the load event, and runs once', () => {
    const run = vi.fn();
    afterLoad(run);
    // Other loads (an image's) stop at the document; a page that only becomes visible is not a reason either.
    document.body.dispatchEvent(new Event('load'));
    hide('visible');
    expect(run).not.toHaveBeenCalled();
    load();
    expect(run).toHaveBeenCalledOnce();
    load();
    hide();
    expect(run).toHaveBeenCalledOnce();
  });

  it('runs at once when the page is hidden before its load, and not again at load', () => {
    const run = vi.fn();
    afterLoad(run);
    hide();
    expect(run).toHaveBeenCalledOnce();
    load();
    expect(run).toHaveBeenCalledOnce();
  });

  it('runs at pagehide before load, where a browser fires it first', () => {
    const run = vi.fn();
    afterLoad(run);
    dispatchEvent(new Event('pagehide'));
    expect(run).toHaveBeenCalledOnce();
  });

  it('never runs once cancelled', () => {
    const run = vi.fn();
    afterLoad(run)();
    hide();
    load();
    expect(run).not.toHaveBeenCalled();
  });
});
