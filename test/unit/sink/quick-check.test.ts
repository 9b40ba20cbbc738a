import { Validator, type Schema } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import schema from '../../../src/core/event.schema.json';
import { surelyValid } from '../../../src/sink/quick-check';
import { validEvent } from './fixtures';

const full = new Validator(structuredClone(schema) as Schema, '2020-12', true);
const schemaSays = (value: unknown): boolean => full.validate(value).valid;

// Values each field is tried with: valid ones, near misses, other types.
const TRIALS: Record<string, unknown[]> = {
  id: ['a'.repeat(32), 'A'.repeat(32), 'a'.repeat(31), 'a'.repeat(33), 'g'.repeat(32), 7, null],
  timestamp: ['2024-05-01T12:00:00.000Z', '2024-05-01T12:00:00Z', '2024-05-01 12:00:00.000Z', '2024-05-01T12:00:00.000+00:00', 0],
  level: ['debug', 'info', 'warn', 'error', 'fatal', 'INFO', 1],
  event: ['a', 'checkout_started', 'Checkout', '1abc', 'a-b', `a${'b'.repeat(127)}`, `a${'b'.repeat(128)}`, ''],
  service: ['w', '', 's'.repeat(256), 's'.repeat(257), '😀'.repeat(128), '😀'.repeat(200), 3],
  trace_id: ['4bf92f3577b34da6a3ce929d0e0e4736', '0'.repeat(32), '4BF92F3577B34DA6A3CE929D0E0E4736', 'abc', undefined],
  span_id: ['00f067aa0ba902b7', '0'.repeat(16), '00F067AA0BA902B7', '00f067aa0ba902b', undefined, 5],
  parent_span_id: ['00f067aa0ba902b7', '0'.repeat(16), 'x', undefined],
  release: ['1.0', 'r'.repeat(256), 'r'.repeat(257), 1, null, undefined],
  environment: ['prod', 'e'.repeat(257), false, undefined],
  session_id: ['s', 's'.repeat(128), 's'.repeat(129), {}, undefined],
  url: ['https://x', 'u'.repeat(8192), 'u'.repeat(8193), [], undefined],
  user_id: ['42', 'u'.repeat(257), 42, undefined],
  sdk: [{ name: 'tracebeam', version: '1' }, { name: 'tracebeam' }, { name: 1, version: '1' }, [], null, 'x', { name: 'a', version: 'b', extra: 1 }],
  error: [undefined, { type: 'E', message: 'm' }, { type: 'E' }],
  vital: [undefined, { name: 'LCP', value: 1 }, { name: 'XXX', value: 1 }],
  http: [undefined, { method: 'GET', url: '/' }, { method: '' }],
  cart_items: [3, 'x', { nested: [1, 2] }, undefined],
};

describe('surelyValid', () => {
  it('accepts only what the schema accepts, and takes the plain events', () => {
    let quick = 0;
    let checked = 0;
    for (const [field, values] of Object.entries(TRIALS)) {
      for (const value of values) {
        const event: Record<string, unknown> = { ...validEvent() };
        if (value === undefined) delete event[field];
        else event[field] = value;
        checked += 1;
        if (surelyValid(event)) {
          quick += 1;
          expect({ field, value, valid: schemaSays(event) }).toEqual({ field, value, valid: true });
        }
      }
    }
    // Pairs of changes, so that one fault is never hidden by another field being fine.
    const fields = Object.keys(TRIALS);
    for (let i = 0; i < fields.length; i += 1) {
      for (let j = i + 1; j < fields.length; j += 1) {
        for (const a of TRIALS[fields[i]!]!) {
          for (const b of TRIALS[fields[j]!]!) {
            const event: Record<string, unknown> = { ...validEvent() };
            for (const [field, value] of [
              [fields[i]!, a],
              [fields[j]!, b],
            ] as const) {
              if (value === undefined) delete event[field];
              else event[field] = value;
            }
            checked += 1;
            if (surelyValid(event)) {
              quick += 1;
              expect(schemaSays(event)).toBe(true);
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(4_000);
    // The fast path is taken for a good share of them, not never.
    expect(quick).toBeGreaterThan(500);
    expect(surelyValid(validEvent())).toBe(true);
  });

  it.each([null, [], 'x', 1, {}])('leaves %j to the full validator', (value) => {
    expect(surelyValid(value)).toBe(false);
  });
});
