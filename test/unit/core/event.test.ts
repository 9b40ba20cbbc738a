import { readFileSync } from 'node:fs';
import { Validator } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import { buildEvent, toEventName, toTimestamp, type EventRecord } from '../../../src/core/event';

const schema = JSON.parse(readFileSync(new URL('../../../src/core/event.schema.json', import.meta.url), 'utf8'));
const validator = new Validator(schema, '2020-12', false);

const record = (overrides: Partial<EventRecord> = {}): EventRecord => ({
  input: { level: 'info', event: 'checkout_started' },
  time: Date.UTC(2026, 10, 21, 12, 0, 0, 5),
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  ...overrides,
});

describe('buildEvent', () => {
  it('writes the wire format, version 1, valid against the shipped JSON Schema', () => {
    const event = buildEvent(record({ spanId: '00f067aa0ba902b7', userId: '42', url: 'https://shop.test/cart' }), {
      service: 'web',
      release: '1.4.2',
      environment: 'production',
      session_id: 's1',
    });
    expect(event).toMatchObject({
      timestamp: '2026-11-21T12:00:00.005Z',
      level: 'info',
      event: 'checkout_started',
      service: 'web',
      release: '1.4.2',
      environment: 'production',
      session_id: 's1',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
      url: 'https://shop.test/cart',
      user_id: '42',
      sdk: { name: 'tracebeam', version: expect.any(String) },
    });
    expect(event.id).toMatch(/^[0-9a-f]{32}$/);
    const json = JSON.parse(JSON.stringify(event));
    expect(validator.validate(json).errors).toEqual([]);
  });

  it('gives every event its own id', () => {
    expect(buildEvent(record(), { service: 'web' }).id).not.toBe(buildEvent(record(), { service: 'web' }).id);
  });

  it('leaves unset optional fields out of the JSON', () => {
    const json = JSON.parse(JSON.stringify(buildEvent(record(), { service: 'web' })));
    expect(Object.keys(json).sort()).toEqual(['event', 'id', 'level', 'sdk', 'service', 'timestamp', 'trace_id']);
  });

  it('merges context then attributes; neither can overwrite the wire fields', () => {
    const event = buildEvent(
      record({
        context: { tenant_id: 't1', plan: 'free' },
        input: { level: 'info', event: 'x', attributes: { plan: 'pro', level: 'fake', trace_id: 'nope' } },
      }),
      { service: 'web' },
    );
    expect(event).toMatchObject({ tenant_id: 't1', plan: 'pro', level: 'info', attr_level: 'fake', attr_trace_id: 'nope' });
    expect(event.trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('normalizes unserializable attributes instead of failing', () => {
    const loop: Record<string, unknown> = {};
    loop.loop = loop;
    const event = buildEvent(record({ input: { level: 'warn', event: 'x', attributes: { loop, n: 1n } } }), { service: 'web' });
    expect(JSON.parse(JSON.stringify(event))).toMatchObject({ loop: { loop: '[Circular]' }, n: '1' });
  });
});

describe('toEventName', () => {
  it.each([
    ['checkout_started', 'checkout_started'],
    ['checkoutStarted', 'checkout_started'],
    ['Checkout Started!', 'checkout_started'],
    ['HTTP request', 'http_request'],
    ['404 page', 'event_404_page'],
    ['', 'event'],
    [undefined, 'undefined'],
    ['__x__', 'x'],
  ])('%j → %s', (input, expected) => {
    expect(toEventName(input)).toBe(expected);
  });

  it('is always valid for the schema and at most 128 characters', () => {
    for (const name of ['é', '---', 'a'.repeat(300), '💥 boom', '9']) {
      expect(toEventName(name)).toMatch(/^[a-z][a-z0-9_]{0,127}$/);
    }
  });
});

describe('toTimestamp', () => {
  it('writes what Date#toISOString writes, across seconds, fractions and far dates', () => {
    const now = Date.UTC(2026, 10, 21, 14, 13, 9, 998);
    const times = [now, now + 1, now + 2, now + 2.7, now + 1001, now - 5000, 0, 999.9, -1, -1001.5, 8.64e15, 253402300800000];
    for (let i = 0; i < 200; i++) times.push(now + Math.random() * 5000);
    for (const time of times) expect(toTimestamp(time), String(time)).toBe(new Date(Math.floor(time)).toISOString());
  });

  it('throws on what no date can hold, as Date#toISOString does', () => {
    expect(() => toTimestamp(NaN)).toThrow(RangeError);
  });
});
