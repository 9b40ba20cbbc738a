// Clients persist what the sink has not confirmed (see src/browser/outbox.ts); in a test file's one
// window, a later test's client would otherwise restore the events of the tests before it.
import { afterEach } from 'vitest';

afterEach(() => globalThis.localStorage?.clear());
