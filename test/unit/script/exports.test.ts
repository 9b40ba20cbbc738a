// @vitest-environment happy-dom
// The `tracebeam` global of the script tag: the package entry's exports, plus `init` and the
// client's methods. A change here is a reviewed change of the API.
import { expect, it } from 'vitest';
import * as entry from '../../../src/index';
import * as script from '../../../src/script/index';

it('exports the package entry and the global client API', () => {
  const own = ['captureError', 'flush', 'init', 'log', 'setContext', 'setUser', 'shutdown', 'traceId'];
  expect(Object.keys(script).sort()).toEqual([...new Set([...Object.keys(entry), ...own])].sort());
});
