/**
 * The subcommands' flags, read by `node:util`'s `parseArgs`; what it lacks, added here: integer
 * flags with bounds, and one short line that names the flag at fault.
 */
import { parseArgs as parseNodeArgs, type ParseArgsConfig } from 'node:util';

export interface FlagSpec {
  type: 'string' | 'boolean' | 'integer';
  /** One-letter alias, without the dash. */
  short?: string;
  /** Bounds of an integer flag, inclusive. */
  min?: number;
  max?: number;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type FlagValue<S extends FlagSpec> = S['type'] extends 'boolean' ? boolean : S['type'] extends 'integer' ? number : string;

export type Flags<S extends FlagSpecs> = { -readonly [K in keyof S]?: FlagValue<S[K]> };

export type ParsedArgs<S extends FlagSpecs> = { ok: true; flags: Flags<S>; positionals: string[] } | { ok: false; error: string };

type NodeOptions = NonNullable<ParseArgsConfig['options']>;

export function parseArgs<S extends FlagSpecs>(argv: readonly string[], specs: S): ParsedArgs<S> {
  const options = toNodeOptions(specs);
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseNodeArgs({ args: [...argv], options, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (error) {
    return { ok: false, error: explainRefusal(argv, options, specs) ?? firstLine(error) };
  }

  const flags: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === undefined) continue;
    if (typeof value === 'boolean') {
      flags[name] = value;
      continue;
    }
    const error = checkValue(name, value, specs[name]!);
    if (error !== undefined) return { ok: false, error };
    flags[name] = specs[name]!.type === 'integer' ? Number(value) : value;
  }
  return { ok: true, flags: flags as Flags<S>, positionals: parsed.positionals };
}

function toNodeOptions(specs: FlagSpecs): NodeOptions {
  const options: NodeOptions = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.type === 'boolean' ? 'boolean' : 'string', ...(spec.short === undefined ? {} : { short: spec.short }) };
  }
  return options;
}

/**
 * Node's refusals are several lines long and name the option in varying shapes, so the first token
 * at fault is found again with a lenient pass over the same words, and described in one line.
 */
function explainRefusal(argv: readonly string[], options: NodeOptions, specs: FlagSpecs): string | undefined {
  const { tokens } = parseNodeArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (spec === undefined) return `unknown flag ${token.rawName}`;
    const flag = `--${token.name}`;
    if (spec.type === 'boolean') {
      if (token.value !== undefined) return `${flag} does not take a value`;
      continue;
    }
    // "--out --port 1" is a forgotten value; "--port -1" is a bad number, said as such.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) return `${flag} needs a value`;
    const error = checkValue(token.name, token.value, spec);
    if (error !== undefined) return error;
    if (!token.inlineValue && token.value.startsWith('-')) return `${flag} needs a value (write ${flag}=${token.value} for one that starts with a dash)`;
  }
  return undefined;
}

function checkValue(name: string, raw: string, spec: FlagSpec): string | undefined {
  const flag = `--${name}`;
  if (raw === '') return `${flag} needs a value`;
  if (spec.type === 'integer' && !inBounds(raw, spec)) return `${flag} must be ${describeRange(spec)}, got "${raw}"`;
  return undefined;
}

function inBounds(raw: string, spec: FlagSpec): boolean {
  if (!/^\d+$/.test(raw)) return false;
  const value = Number(raw);
  return Number.isSafeInteger(value) && (spec.min === undefined || value >= spec.min) && (spec.max === undefined || value <= spec.max);
}

function describeRange(spec: FlagSpec): string {
  if (spec.min !== undefined && spec.max !== undefined) return `an integer from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `an integer of at least ${spec.min}`;
  return 'a whole number';
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}
