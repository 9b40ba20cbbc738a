// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { onNewTrace, pageLoadTrace } from '../../../src/browser/interaction-trace';

afterEach(() => {
  document.head.innerHTML = '';
});

describe('pageLoadTrace', () => {
  it('continues the trace the server rendered into <meta name="traceparent">', () => {
    document.head.innerHTML = '<meta name="traceparent" content="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01">';
    expect(pageLoadTrace()).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: 1 });
  });

  it.each(['', 'garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'])(
    'starts a new trace when the meta is %j',
    (content) => {
      document.head.innerHTML = `<meta name="traceparent" content="${content}">`;
      const trace = pageLoadTrace();
      expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(trace.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    },
  );
});

describe('onNewTrace', () => {
  it('renews at clicks, submits and Enter, before the app’s own handlers run', () => {
    const order: string[] = [];
    const stop = onNewTrace(() => order.push('renew'));
    const button = document.createElement('button');
    document.body.append(button);
    button.addEventListener('click', () => order.push('app click'));
    button.click();
    document.body.dispatchEvent(new Event('submit', { bubbles: true }));
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    expect(order).toEqual(['renew', 'app click', 'renew', 'renew']);
    stop();
    button.remove();
  });

  it('renews at route changes that change the URL', () => {
    const renew = vi.fn();
    const stop = onNewTrace(renew);
    history.pushState({}, '', '/products');
    expect(renew).toHaveBeenCalledTimes(1);
    history.replaceState({ scroll: 10 }, '', '/products');
    expect(renew).toHaveBeenCalledTimes(1);
    history.replaceState({}, '', '/products?page=2');
    expect(renew).toHaveBeenCalledTimes(2);
    history.pushState({}, '', '/cart');
    history.back();
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        expect(renew.mock.calls.length).toBeGreaterThanOrEqual(3);
        stop();
        resolve();
      }, 50),
    );
  });

  it('restores history and removes its listeners when stopped', () => {
    const push = history.pushState;
    const replace = history.replaceState;
    const renew = vi.fn();
    const stop = onNewTrace(renew);
    expect(history.pushState).not.toBe(push);
    stop();
    expect(history.pushState).toBe(push);
    expect(history.replaceState).toBe(replace);
    document.body.click();
    history.pushState({}, '', '/after-stop');
    expect(renew).not.toHaveBeenCalled();
  });

  it('leaves a wrapper another library put on top of its own in place', () => {
    const stop = onNewTrace(() => undefined);
    const ours = history.pushState;
    const theirs = function (this: History, ...args: Parameters<History['pushState']>) {
      return ours.apply(this, args);
    };
    history.pushState = theirs;
    stop();
    expect(history.pushState).toBe(theirs);
  });
});
