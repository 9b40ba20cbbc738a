import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { untilSignal } from '../../../src/cli/signals';

function fakeProcess(): NodeJS.Process & EventEmitter {
  return new EventEmitter() as unknown as NodeJS.Process & EventEmitter;
}

describe('untilSignal', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('resolves on %s', async (signal) => {
    const target = fakeProcess();
    const stopped = untilSignal(target);
    target.emit(signal, signal);
    await expect(stopped).resolves.toBe(signal);
  });

  it('removes its listeners so a second signal gets node’s default', async () => {
    const target = fakeProcess();
    const stopped = untilSignal(target);
    expect(target.listenerCount('SIGINT')).toBe(1);
    expect(target.listenerCount('SIGTERM')).toBe(1);
    target.emit('SIGINT', 'SIGINT');
    await stopped;
    expect(target.listenerCount('SIGINT')).toBe(0);
    expect(target.listenerCount('SIGTERM')).toBe(0);
  });
});
