// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { createGlobal } from '../../../src/script/global';
import type { PreloadStub, RecordedCall } from '../../../src/snippet/protocol';
import { recordingStart } from './helpers';

const OPTIONS = { sink: 'https://logs.test/api/log', service: 'web' };

describe('the script-tag global', () => {
  it('keeps calls made before init, and replays them in order with the time they were made', async () => {
    const { start, events } = recordingStart();
    const api = createGlobal(start, undefined);
    vi.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00.000Z'), toFake: ['Date'] });
    try {
      api.setUser({ id: '42' });
      api.log('info', 'early_bird', { n: 1 });
      vi.setSystemTime(Date.parse('2030-01-01T00:00:01.000Z'));
      api.captureError(new TypeError('early failure'), { step: 'boot' });
      api.setContext({ tenant_id: 't1' });
      api.log('shout' as never, 'odd_level');
      expect(api.traceId()).toBeUndefined();
      vi.setSystemTime(Date.parse('2030-01-01T00:00:05.000Z'));
      const client = api.init(OPTIONS);
      expect(api.traceId()).toBe(client.traceId());
    } finally {
      vi.useRealTimers();
    }
    const sent = await events();
    expect(sent.map((e) => [e.event, e.level, e.timestamp, e.user_id, e.tenant_id])).toEqual([
      ['early_bird', 'info', '2030-01-01T00:00:00.000Z', '42', undefined],
      ['client_error', 'error', '2030-01-01T00:00:01.000Z', '42', undefined],
      ['odd_level', 'info', '2030-01-01T00:00:01.000Z', '42', 't1'],
    ]);
    expect(sent[0].n).toBe(1);
    expect(sent[1]).toMatchObject({ step: 'boot', error: { type: 'TypeError', message: 'early failure', handled: true } });
  });

  it('reads what a call before init was given at the call, not at init', async () => {
    const { start, events } = recordingStart();
    const api = createGlobal(start, undefined);
    const attributes = { step: 'before' };
    const context = { tenant_id: 't1' };
    const thrown = { reason: 'before' };
    api.log('info', 'early_bird', attributes);
    api.setContext(context);
    api.captureError(thrown);
    Object.assign(attributes, { step: 'after' });
    Object.assign(context, { tenant_id: 't2' });
    Object.assign(thrown, { reason: 'after' });
    api.init(OPTIONS);
    const sent = await events();
    expect(sent.map((e) => [e.event, e.step, e.tenant_id])).toEqual([
      ['early_bird', 'before', undefined],
      ['client_error', undefined, 't1'],
    ]);
    expect(sent[1].error!.message).toContain('"reason":"before"');
  });

  it('sends calls made after init straight to the client', async () => {
    const { start, events } = recordingStart();
    const api = createGlobal(start, undefined);
    api.init(OPTIONS);
    api.log('warn', 'late');
    await api.flush();
    expect((await events()).map((e) => e.event)).toEqual(['late']);
    await api.shutdown();
  });

  it('keeps the first configuration when init is called again, and says so', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { start, clients } = recordingStart();
    const api = createGlobal(start, undefined);
    const first = api.init(OPTIONS);
    expect(api.init({ ...OPTIONS, service: 'other' })).toBe(first);
    expect(clients).toHaveLength(1);
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0][0])).toContain('tracebeam.init() was called again');
  });

  it('holds at most 100 calls before init, and reports how many more there were', async () => {
    const { start, events } = recordingStart();
    const api = createGlobal(start, undefined);
    for (let i = 0; i < 130; i++) api.log('info', 'tick', { i });
    api.init(OPTIONS);
    const sent = await events();
    expect(sent.filter((e) => e.event === 'tick')).toHaveLength(100);
    expect(sent.at(-1)).toMatchObject({ event: 'events_dropped', level: 'warn', count: 30 });
  });

  it('takes over what the pre-load snippet recorded, and stops the snippet from recording', async () => {
    const { start, events } = recordingStart();
    const boom = new Error('thrown before the SDK');
    const recorded: RecordedCall[] = [
      ['setUser', [{ id: '7' }], Date.parse('2030-01-01T00:00:00.000Z')],
      ['error', [new ErrorEvent('error', { error: boom, message: boom.message })], Date.parse('2030-01-01T00:00:01.000Z')],
      ['unhandledrejection', [{ type: 'unhandledrejection', reason: 'no answer' }], Date.parse('2030-01-01T00:00:02.000Z')],
      ['error', [new ErrorEvent('error', { message: 'Script error.' })], Date.parse('2030-01-01T00:00:03.000Z')],
      [
        'error',
        [new ErrorEvent('error', { message: 'x is not defined', filename: 'https://shop.test/app.js', lineno: 3, colno: 9 })],
        Date.parse('2030-01-01T00:00:04.000Z'),
      ],
      ['log', ['info', 'snippet_log', { via: 'snippet' }], Date.parse('2030-01-01T00:00:05.000Z')],
      ['init', [OPTIONS], Date.parse('2030-01-01T00:00:05.000Z')],
    ];
    const stub: PreloadStub = { _q: recorded, _d: 2, _off: vi.fn() };
    const api = createGlobal(start, stub);
    api.log('info', 'after_load_before_init');
    api.init(OPTIONS);
    expect(stub._off).toHaveBeenCalledTimes(1);
    const sent = await events();
    expect(sent.map((e) => [e.event, e.timestamp, e.user_id])).toEqual([
      ['client_error', '2030-01-01T00:00:01.000Z', '7'],
      ['unhandled_rejection', '2030-01-01T00:00:02.000Z', '7'],
      ['client_error', '2030-01-01T00:00:03.000Z', '7'],
      ['client_error', '2030-01-01T00:00:04.000Z', '7'],
      ['snippet_log', '2030-01-01T00:00:05.000Z', '7'],
      ['after_load_before_init', expect.any(String), '7'],
      ['events_dropped', expect.any(String), '7'],
    ]);
    expect(sent[0].error).toMatchObject({ type: 'Error', message: 'thrown before the SDK', handled: false });
    expect(sent[1].error).toMatchObject({ type: 'string', message: 'no answer', handled: false });
    expect(sent[2].error).toMatchObject({ type: 'CrossOriginScriptError', message: 'Script error.' });
    expect(sent[3].error?.frames).toEqual([{ file: 'https://shop.test/app.js', line: 3, column: 9 }]);
    expect(sent[6].count).toBe(2);
    expect(stub._q).toEqual([]);
  });
});
