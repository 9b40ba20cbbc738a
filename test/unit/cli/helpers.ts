import { expect } from 'vitest';
import { isUsageError, type CliIo } from '../../../src/cli/io';

/** An io that keeps what a command printed. */
export function captureIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  };
}

/** Asserts that `run` throws the usage error `message`: what the command prints before its help. */
export function expectUsageError(run: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(isUsageError(thrown)).toBe(true);
  expect((thrown as Error).message).toBe(message);
}
