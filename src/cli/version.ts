import { readFileSync } from 'node:fs';

/**
 * The version in the package.json beside `dist/`, where this code runs from once built, or
 * `undefined` when it cannot be read.
 */
export function readVersion(packageJson: URL = new URL('../package.json', import.meta.url)): string | undefined {
  try {
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
    return typeof version === 'string' && version !== '' ? version : undefined;
  } catch {
    return undefined;
  }
}
