/** Where a command writes; `process` fits, and tests pass collectors. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const USAGE_ERROR = 'UsageError';

/** An error the user can fix by changing the command line: answered with usage and exit code 2. */
export function usageError(message: string): Error {
  const error = new Error(message);
  error.name = USAGE_ERROR;
  return error;
}

export function isUsageError(error: unknown): error is Error {
  return error instanceof Error && error.name === USAGE_ERROR;
}
