import type { Logger } from './logger.js';

interface Step {
  name: string;
  stop: () => Promise<void> | void;
}

/**
 * Things to stop at shutdown, stopped in the reverse order of their start. Every step runs even when an earlier
 * one throws, and calling `shutdown` again returns the same promise.
 */
export class Lifecycle {
  private readonly steps: Step[] = [];
  private shuttingDown: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

  onShutdown(name: string, stop: Step['stop']): void {
    this.steps.push({ name, stop });
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown !== undefined;
  }

  shutdown(reason: string): Promise<void> {
    this.shuttingDown ??= (async () => {
      this.logger.info({ reason }, 'shutting down');
      for (const step of [...this.steps].reverse()) {
        try {
          await step.stop();
        } catch (err) {
          this.logger.error({ err, step: step.name }, 'shutdown step failed; continuing');
        }
      }
      this.logger.info('stopped');
    })();
    return this.shuttingDown;
  }

  /** SIGTERM/SIGINT start a graceful shutdown; a second signal or the timeout ends the process at once. */
  handleSignals(timeoutMs: number, exit: (code: number) => void = process.exit): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.isShuttingDown) {
        this.logger.warn({ signal }, 'second signal: exiting now');
        exit(1);
        return;
      }
      const timer = setTimeout(() => {
        this.logger.error({ timeoutMs }, 'graceful shutdown took too long: exiting');
        exit(1);
      }, timeoutMs);
      timer.unref();
      void this.shutdown(signal).then(() => exit(0));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
}
