import { describe, expect, it } from 'vitest';
import { Lifecycle } from './lifecycle.js';
import { createLogger } from './logger.js';

describe('Lifecycle', () => {
  it('stops in reverse order, runs every step even when one throws, and only once', async () => {
    const lifecycle = new Lifecycle(createLogger('silent'));
    const stopped: string[] = [];
    lifecycle.onShutdown('datastore', () => void stopped.push('datastore'));
    lifecycle.onShutdown('workers', () => {
      stopped.push('workers');
      throw new Error('boom');
    });
    lifecycle.onShutdown('http', async () => void stopped.push('http'));
    const first = lifecycle.shutdown('test');
    const second = lifecycle.shutdown('again');
    expect(second).toBe(first);
    await first;
    expect(stopped).toEqual(['http', 'workers', 'datastore']);
    expect(lifecycle.isShuttingDown).toBe(true);
  });
});
