/** A small flag parser shared by the subcommands: `--name value`, `--name=value`, `-x`, `--`. */

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

export type ParsedArgs<S extends FlagSpecs> =
  | { ok: true; flags: Flags<S>; positionals: string[] }
  | { ok: false; error: string };

export function parseArgs<S extends FlagSpecs>(argv: readonly string[], specs: S): ParsedArgs<S> {
  const flags: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];

  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i]!;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }

    const match = /^--([^=]+)(?:=(.*))?$/s.exec(token) ?? /^-([^-=])(?:=(.*))?$/s.exec(token);
    const name = match === null ? undefined : resolveName(match[1]!, token.startsWith('--'), specs);
    if (match === null || name === undefined) return { ok: false, error: `unknown flag ${token}` };
    const spec = specs[name]!;
    const flag = `--${name}`;

    if (spec.type === 'boolean') {
      if (match[2] !== undefined) return { ok: false, error: `${flag} does not take a value` };
      flags[name] = true;
      continue;
    }

    let raw = match[2];
    if (raw === undefined) {
      const next = argv[i + 1];
      // "--port -1" should be reported as a bad number, but "--out --port 1" is a forgotten value.
      if (next === undefined || next.startsWith('--')) return { ok: false, error: `${flag} needs a value` };
      raw = next;
      i += 1;
    }
    if (raw === '') return { ok: false, error: `${flag} needs a value` };
    const value = spec.type === 'integer' ? parseInteger(raw, spec) : raw;
    if (value === undefined) return { ok: false, error: `${flag} must be ${describeRange(spec)}, got "${raw}"` };
    flags[name] = value;
  }
  return { ok: true, flags: flags as Flags<S>, positionals };
}

function resolveName(name: string, long: boolean, specs: FlagSpecs): string | undefined {
  if (long) return Object.hasOwn(specs, name) ? name : undefined;
  return Object.keys(specs).find((key) => specs[key]!.short === name);
}

function parseInteger(raw: string, spec: FlagSpec): number | undefined {
  if (!/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) return undefined;
  if (spec.min !== undefined && value < spec.min) return undefined;
  if (spec.max !== undefined && value > spec.max) return undefined;
  return value;
}

function describeRange(spec: FlagSpec): string {
  if (spec.min !== undefined && spec.max !== undefined) return `an integer from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `an integer of at least ${spec.min}`;
  return 'a whole number';
}
