// @ts-expect-error: a plain .mjs helper shared with the test runner script
import { ensureReact18 } from '../../scripts/setup.mjs';

export default function setup(): void {
  ensureReact18();
}
