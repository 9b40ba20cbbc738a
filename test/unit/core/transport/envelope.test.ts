import { describe, expect, it } from 'vitest';
import { hoistShared, toBody } from '../../../../src/core/transport/envelope';

/** What a sink does with a body: merge `shared` back into every event. */
const expand = (body: string) => {
  const { shared = {}, events } = JSON.parse(body);
  return events.map((event: object) => ({ ...shared, ...event }));
};

describe('envelope', () => {
  it('wraps events as {"events": [...]}', () => {
    expect(JSON.parse(toBody(['{"a":1}', '{"a":2}']))).toEqual({ events: [{ a: 1 }, { a: 2 }] });
    expect(toBody([])).toBe('{"events":[]}');
  });

  it('sends fields every event has in common once, and never the id', () => {
    const events = [
      { id: '1', service: 'web', sdk: { name: 'tracebeam' }, url: '/a', event: 'x' },
      { id: '2', service: 'web', sdk: { name: 'tracebeam' }, url: '/b', event: 'x' },
    ];
    const [jsons, shared] = hoistShared(events.map((e) => JSON.stringify(e)));
    expect(JSON.parse(shared)).toEqual({ service: 'web', sdk: { name: 'tracebeam' }, event: 'x' });
    expect(jsons.map((j) => JSON.parse(j))).toEqual([
      { id: '1', url: '/a' },
      { id: '2', url: '/b' },
    ]);
    expect(expand(toBody(jsons, shared))).toEqual(events);
  });

  it('does not hoist a field that one event lacks or holds differently', () => {
    const events = [
      { id: '1', user_id: '7', n: 1 },
      { id: '2', n: 1 },
      { id: '3', user_id: '8', n: 1 },
    ];
    const [jsons, shared] = hoistShared(events.map((e) => JSON.stringify(e)));
    expect(JSON.parse(shared)).toEqual({ n: 1 });
    expect(expand(toBody(jsons, shared))).toEqual(events);
  });

  it('leaves a single event as it is', () => {
    expect(hoistShared(['{"id":"1","a":1}'])).toEqual([['{"id":"1","a":1}'], '']);
  });

  it('makes a typical page-exit body less than half its size', () => {
    const event = (i: number) => ({
      timestamp: '2026-11-21T12:00:00.005Z',
      level: 'info',
      event: 'leaving',
      service: 'web',
      release: '1.4.2',
      environment: 'production',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      session_id: 'a'.repeat(32),
      url: 'https://shop.example.com/checkout/cart',
      id: String(i).padStart(32, '0'),
      sdk: { name: 'tracebeam', version: '0.1.0' },
      i,
    });
    const jsons = Array.from({ length: 300 }, (_, i) => JSON.stringify(event(i)));
    const [compact, shared] = hoistShared(jsons);
    expect(toBody(compact, shared).length).toBeLessThan(toBody(jsons).length / 2);
  });
});
