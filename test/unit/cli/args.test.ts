import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/args';

const SPECS = {
  port: { type: 'integer', min: 0, max: 65_535 },
  out: { type: 'string' },
  size: { type: 'integer', min: 1 },
  verbose: { type: 'boolean', short: 'V' },
} as const;

describe('parseArgs', () => {
  it('reads --name value, --name=value, booleans and positionals', () => {
    expect(parseArgs(['trace', '--port', '80', '--out=a.jsonl', '-V', 'b.log'], SPECS)).toEqual({
      ok: true,
      flags: { port: 80, out: 'a.jsonl', verbose: true },
      positionals: ['trace', 'b.log'],
    });
  });

  it('treats everything after -- as positional', () => {
    expect(parseArgs(['--', '--port', '-V'], SPECS)).toEqual({ ok: true, flags: {}, positionals: ['--port', '-V'] });
  });

  it('keeps a lone dash and values with = signs', () => {
    expect(parseArgs(['-', '--out=a=b'], SPECS)).toEqual({ ok: true, flags: { out: 'a=b' }, positionals: ['-'] });
  });

  it('lets the last of a repeated flag win', () => {
    expect(parseArgs(['--port', '1', '--port', '2'], SPECS)).toMatchObject({ ok: true, flags: { port: 2 } });
  });

  it('reads grouped short flags and a dash value given with =', () => {
    expect(parseArgs(['-VV', '--out=-x'], SPECS)).toEqual({ ok: true, flags: { verbose: true, out: '-x' }, positionals: [] });
  });

  it.each<[string[], string]>([
    [['--nope'], 'unknown flag --nope'],
    [['-x'], 'unknown flag -x'],
    [['--constructor'], 'unknown flag --constructor'],
    [['--port'], '--port needs a value'],
    [['--port='], '--port needs a value'],
    [['--out', '--port', '1'], '--out needs a value'],
    [['--port', 'abc'], '--port must be an integer from 0 to 65535, got "abc"'],
    [['--port', '-1'], '--port must be an integer from 0 to 65535, got "-1"'],
    [['--port', '65536'], '--port must be an integer from 0 to 65535, got "65536"'],
    [['--port', '80.5'], '--port must be an integer from 0 to 65535, got "80.5"'],
    [['--port', '0x50'], '--port must be an integer from 0 to 65535, got "0x50"'],
    [['--size', '0'], '--size must be an integer of at least 1, got "0"'],
    [['--size', '99999999999999999999'], '--size must be an integer of at least 1, got "99999999999999999999"'],
    [['--verbose=yes'], '--verbose does not take a value'],
    [['--out', '-x'], '--out needs a value (write --out=-x for one that starts with a dash)'],
    [['b.log', '--port', '1', '--nope', '--out'], 'unknown flag --nope'],
  ])('refuses %j', (argv, error) => {
    expect(parseArgs(argv, SPECS)).toEqual({ ok: false, error });
  });
});
