// The edge checks its options with a resolver of its own (most browser options mean nothing for
// one request). On the options both share, the two must agree: accept the same values and fill in
// the same, and refuse the same values, naming the same option.
import { describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../../../src/core/options';
import { resolveEdgeOptions } from '../../../src/edge/options';

const SINK = 'https://logs.test/api/log';
const SHARED = ['service', 'release', 'environment', 'sink', 'correlationHeader', 'propagateTo', 'redact'] as const;

const CASES: Array<Record<string, unknown>> = [
  {},
  { release: '1.4.2', environment: 'production' },
  { release: undefined, correlationHeader: undefined, redact: undefined },
  { service: 's'.repeat(300), release: 'r'.repeat(300), environment: 'e'.repeat(300) },
  { correlationHeader: 'x-request-id' },
  { propagateTo: ['https://api.test/v1/', /^https:\/\/cdn\.test\//] },
  { redact: false },
  { service: '' },
  { service: 42 },
  { sink: 'ftp://logs.test/' },
  { sink: 'not a url' },
  { correlationHeader: 'x trace' },
  { propagateTo: ['not a url'] },
  { propagateTo: ['ftp://files.test'] },
  { beforeSend: 'drop' },
];

const problemOption = (problem?: string) => problem && /`(\w+)`/.exec(problem)?.[1];

describe('the edge and browser option resolvers', () => {
  const name = (extra: Record<string, unknown>) =>
    Object.entries(extra)
      .map(([key, value]) => `${key}: ${String(value).slice(0, 24)}`)
      .join(', ') || 'defaults';
  it.each(CASES.map((extra) => [name(extra), extra] as const))('agree on %s', (_name, extra) => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const input = { sink: SINK, service: 'shop', ...extra };
    const [browser, browserProblem] = resolveOptions(input as never);
    const [edge, edgeProblem] = resolveEdgeOptions(input as never);
    expect(problemOption(edgeProblem)).toBe(problemOption(browserProblem));
    if (browserProblem) return;
    const shared = (options: Record<string, unknown>) => Object.fromEntries(SHARED.map((key) => [key, options[key] || undefined]));
    expect(shared(edge as never)).toEqual(shared(browser as never));
  });
});
