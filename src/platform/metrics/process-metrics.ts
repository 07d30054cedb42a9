import { collectDefaultMetrics, Registry } from 'prom-client';

let shared: Registry | undefined;

/**
 * CPU, memory, event loop and GC figures describe the process, not one service in it, and prom-client never stops
 * their collectors (each call leaves a GC observer and an event-loop monitor running): so they are collected once
 * per process, and every service's /metrics shows them next to its own.
 */
export function processRegistry(): Registry {
  if (shared === undefined) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  return shared;
}
