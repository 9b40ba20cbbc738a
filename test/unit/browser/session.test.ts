// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSession } from '../../../src/browser/session';

const MINUTE = 60_000;

afterEach(() => {
  sessionStorage.clear();
  vi.restoreAllMocks();
});

describe('session', () => {
  it('keeps one id across calls and across pages of the tab (sessionStorage)', () => {
    let now = 1_000_000;
    const first = createSession(() => now);
    const id = first.id();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    now += MINUTE;
    expect(first.id()).toBe(id);
    // A new page load in the same tab reads the stored session.
    expect(createSession(() => now).id()).toBe(id);
  });

  it('starts a new session after 30 minutes without events', () => {
    let now = 1_000_000;
    const session = createSession(() => now);
    const id = session.id();
    now += 30 * MINUTE;
    expect(session.id()).toBe(id);
    now += 30 * MINUTE + 1;
    expect(session.id()).not.toBe(id);
  });

  it('starts a new session after 4 hours, however active', () => {
    let now = 1_000_000;
    const session = createSession(() => now);
    const id = session.id();
    for (let i = 0; i < 24; i++) {
      now += 10 * MINUTE;
      expect(session.id()).toBe(id);
    }
    now += 1;
    expect(session.id()).not.toBe(id);
  });

  it('takes the sampling decision once per session', () => {
    vi.spyOn(Math, 'random').mockReturnValueOnce(0.3).mockReturnValue(0.9);
    let now = 1_000_000;
    const session = createSession(() => now);
    expect([session.isSampled(0.5), session.isSampled(0.5), session.isSampled(0.2)]).toEqual([true, true, false]);
    now += 31 * MINUTE;
    expect(session.isSampled(0.5)).toBe(false);
  });

  it('lives in memory where storage throws (sandboxed iframes, some private modes)', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    const session = createSession();
    expect(session.id()).toBe(session.id());
  });

  it('ignores a stored value it cannot read', () => {
    sessionStorage.setItem('tracebeam.session', '{not json');
    expect(createSession().id()).toMatch(/^[0-9a-f]{32}$/);
    sessionStorage.setItem('tracebeam.session', '{"id": 5}');
    expect(createSession().id()).toMatch(/^[0-9a-f]{32}$/);
  });
});
