// @vitest-environment happy-dom
/** The script-tag entry configures itself from its tag when it is evaluated; these evaluate it afresh. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingFetch } from '../core/recording-fetch';

type Sdk = typeof import('../../../src/script/index');

let recorder: ReturnType<typeof recordingFetch>;
let sdk: Sdk | undefined;

function tag(attributes: Record<string, string>): HTMLScriptElement {
  const script = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  return script;
}

/** Evaluates the entry as the browser would run the script tag `script`. */
async function load(script: HTMLScriptElement | null): Promise<Sdk> {
  vi.spyOn(document, 'currentScript', 'get').mockReturnValue(script);
  vi.resetModules();
  sdk = await import('../../../src/script/index');
  return sdk;
}

beforeEach(() => {
  recorder = recordingFetch(202);
  vi.stubGlobal('fetch', recorder.fetch);
});

afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
  delete (window as { tracebeam?: unknown }).tracebeam;
  vi.unstubAllGlobals();
});

describe('the script-tag entry', () => {
  it('starts a client with the default integrations from the data attributes', async () => {
    const { log, flush, traceId, init } = await load(tag({ 'data-sink': '/api/log', 'data-service': 'web', 'data-release': '1.2.3' }));
    expect(traceId()).toMatch(/^[0-9a-f]{32}$/);
    log('info', 'hello');
    await flush();
    expect(recorder.events().map((e) => [e.event, e.service, e.release])).toEqual([['hello', 'web', '1.2.3']]);
    expect(recorder.calls[0].url).toBe(new URL('/api/log', location.href).href);
    // The default integrations are on: the page's errors are reported.
    window.dispatchEvent(new ErrorEvent('error', { error: new Error('page failed'), message: 'page failed' }));
    await flush();
    expect(recorder.events().at(-1)).toMatchObject({ event: 'client_error', error: { message: 'page failed', handled: false } });
    expect(typeof init).toBe('function');
  });

  it('only defines the global without data attributes, for tracebeam.init()', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { init, log, traceId, createClient, errors, webVitals } = await load(tag({}));
    expect(traceId()).toBeUndefined();
    expect([createClient, errors, webVitals].map((f) => typeof f)).toEqual(['function', 'function', 'function']);
    log('info', 'before_init');
    const client = init({ sink: '/api/log', service: 'web' });
    expect(traceId()).toBe(client.traceId());
    await client.flush();
    expect(recorder.events().map((e) => e.event)).toEqual(['before_init']);
    expect(error).not.toHaveBeenCalled();
  });

  it('gives one console error naming a wrong attribute, and no client, without throwing', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { traceId } = await load(tag({ 'data-sink': '/api/log', 'data-service': 'web', 'data-sample-rate': 'lots' }));
    expect(traceId()).toBeUndefined();
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0][0])).toBe(
      '[tracebeam] data-sample-rate must be a number from 0 to 1, not "lots"; telemetry is off until tracebeam.init() is called.',
    );
  });

  it('runs the tracebeam.init() the page queued through the snippet', async () => {
    const stub = {
      _q: [
        ['init', [{ sink: '/api/log', service: 'queued' }], Date.now()],
        ['log', ['info', 'queued_log'], Date.now()],
      ],
      _d: 0,
      _off: vi.fn(),
    };
    (window as { tracebeam?: unknown }).tracebeam = stub;
    const { flush } = await load(tag({}));
    await flush();
    expect(recorder.events().map((e) => [e.event, e.service])).toEqual([['queued_log', 'queued']]);
    expect(stub._off).toHaveBeenCalledTimes(1);
  });
});

describe('the script-tag entry loaded twice', () => {
  it('leaves one client: the second copy speaks for the first, and says its configuration is not used', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const first = await load(tag({ 'data-sink': '/api/log', 'data-service': 'first' }));
    (window as { tracebeam?: unknown }).tracebeam = first;
    const second = await load(tag({ 'data-sink': '/api/log', 'data-service': 'second' }));
    expect(second.traceId()).toBe(first.traceId());
    second.log('info', 'through_the_second');
    await second.flush();
    expect(recorder.events().map((e) => [e.event, e.service])).toEqual([['through_the_second', 'first']]);
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0][0])).toContain('tracebeam.init() was called again');
  });
});
