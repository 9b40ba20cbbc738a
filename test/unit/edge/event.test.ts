import { describe, expect, it } from 'vitest';
import { edgeEvent, errorInfo, plain } from '../../../src/edge/event';
import { createEventValidator } from '../../../src/sink/validate';

const base = { service: 'edge', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' };
const check = createEventValidator();

describe('edgeEvent', () => {
  it('builds events the sink schema accepts', () => {
    const events = [
      edgeEvent(
        { level: 'info', event: 'http_request', parent_span_id: 'b7ad6b7169203331', http: { method: 'GET', url: '/', status_code: 200, duration_ms: 3 } },
        base,
        true,
      ),
      edgeEvent({ level: 'error', event: 'client_error', error: errorInfo(new Error('x'), false) }, { ...base, release: '1', environment: 'prod' }, true),
      edgeEvent({ level: 'warn', event: 'Cart Loaded!', attributes: { a: 1, b: [1, 'x'], c: { d: null } } }, base, true),
    ];
    // What the sink checks is the JSON: fields left undefined are absent there.
    for (const event of events) expect(check(JSON.parse(JSON.stringify(event)))).toBeNull();
    expect(events[2]).toMatchObject({ event: 'cart_loaded', a: 1, b: [1, 'x'], c: { d: null } });
  });

  it('has a fresh id and a millisecond UTC timestamp on every event', () => {
    const [a, b] = [edgeEvent({ level: 'info', event: 'x' }, base, true), edgeEvent({ level: 'info', event: 'x' }, base, true)];
    expect(a.id).not.toBe(b.id);
    expect(a.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('keeps clashing attributes as attr_<name>', () => {
    const event = edgeEvent({ level: 'info', event: 'x', attributes: { trace_id: 'mine', service: 's', extra: true } }, base, true);
    expect(event).toMatchObject({ trace_id: base.trace_id, attr_trace_id: 'mine', service: 'edge', attr_service: 's', extra: true });
  });
});

describe('plain', () => {
  it('keeps JSON values and turns what JSON can not take into strings', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(plain({ a: [1, 'b'], d: new Date(0) })).toEqual({ a: [1, 'b'], d: '1970-01-01T00:00:00.000Z' });
    expect(plain(10n)).toBe('10');
    expect(plain(cycle)).toBe('[object Object]');
    expect(plain(undefined)).toBeNull();
    expect(plain(() => 1)).toBeNull();
  });
});

describe('errorInfo', () => {
  it('describes Errors and anything else thrown', () => {
    expect(errorInfo(new RangeError('r'), true)).toMatchObject({
      type: 'RangeError',
      message: 'r',
      handled: true,
      stack: expect.stringContaining('RangeError: r'),
    });
    expect(errorInfo('oops', false)).toEqual({ type: 'string', message: 'oops', stack: undefined, handled: false });
    expect(errorInfo(undefined, false)).toMatchObject({ type: 'undefined', message: 'undefined' });
    expect(errorInfo({ code: 'E1' }, false)).toMatchObject({ type: 'object', message: '{"code":"E1"}' });
  });
});
