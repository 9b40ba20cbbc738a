import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import schema from '../core/event.schema.json';
import { surelyValid } from './quick-check';

/** Checks one event against the wire schema: `null` when valid, else a short readable reason. */
export type EventCheck = (value: unknown) => string | null;

// Keywords that only say "something below failed"; the useful message is on a deeper error.
const WRAPPERS = new Set(['properties', '$ref', 'items', 'prefixItems', 'additionalProperties', 'allOf', 'anyOf', 'oneOf']);

// The schema's patterns, said in words; keyed by field because only top-level fields have one.
const PATTERN_HINTS: Record<string, string> = {
  id: 'must be 32 lowercase hex digits',
  trace_id: 'must be 32 lowercase hex digits, not all zero',
  span_id: 'must be 16 lowercase hex digits, not all zero',
  parent_span_id: 'must be 16 lowercase hex digits, not all zero',
  timestamp: 'must be ISO 8601 UTC with milliseconds, like 2024-05-01T12:00:00.000Z',
  event: 'must be a snake_case name, like checkout_started',
};

const MAX_PROBLEMS = 3;
const MAX_MESSAGE = 300;

export function createEventValidator(): EventCheck {
  // The validator annotates the schema objects it is given; keep the shared import untouched.
  const validator = new Validator(structuredClone(schema) as Schema, '2020-12', true);
  return (value) => {
    if (surelyValid(value)) return null;
    try {
      const result = validator.validate(value);
      return result.valid ? null : describe(result.errors, value);
    } catch {
      // The validator encodes keys with encodeURI, which throws on lone surrogates.
      return 'could not be validated';
    }
  };
}

function describe(errors: OutputUnit[], value: unknown): string {
  const missing: string[] = [];
  const problems: string[] = [];
  for (const unit of errors) {
    if (WRAPPERS.has(unit.keyword)) continue;
    if (unit.keyword === 'required') {
      const key = /"([^"]*)"/.exec(unit.error)?.[1] ?? '?';
      missing.push(join(fieldPath(unit.instanceLocation), key));
      continue;
    }
    problems.push(describeUnit(unit, value));
  }
  if (missing.length > 0) problems.unshift(`missing ${missing.join(', ')}`);
  if (problems.length === 0) problems.push('does not match the event schema');
  const text = problems.slice(0, MAX_PROBLEMS).join('; ');
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

function describeUnit(unit: OutputUnit, value: unknown): string {
  const path = fieldPath(unit.instanceLocation);
  const prefix = path === '' ? '' : `${path}: `;
  const actual = valueAt(value, unit.instanceLocation);
  switch (unit.keyword) {
    case 'type': {
      const expected = /Expected (.*)\.$/.exec(unit.error)?.[1]?.replace(/"/g, '') ?? 'another type';
      return `${prefix}must be ${path === '' ? 'an object' : `of type ${expected}`}, not ${typeName(actual)}`;
    }
    case 'enum': {
      const options = /any of (.*)\.$/.exec(unit.error)?.[1] ?? '';
      return `${prefix}${preview(actual)} is not one of ${options}`;
    }
    case 'pattern':
      return `${prefix}${preview(actual)} ${PATTERN_HINTS[path] ?? 'does not match the expected format'}`;
    default:
      return `${prefix}${unit.error.replace(/\.$/, '')}`;
  }
}

/** `#/error/frames/0/line` → `error.frames[0].line`. */
function fieldPath(location: string): string {
  let path = '';
  for (const segment of pointerSegments(location)) {
    path = /^\d+$/.test(segment) ? `${path}[${segment}]` : join(path, segment);
  }
  return path;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function pointerSegments(location: string): string[] {
  const pointer = location.replace(/^#/, '');
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => safeDecode(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function valueAt(root: unknown, location: string): unknown {
  let current = root;
  for (const segment of pointerSegments(location)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
