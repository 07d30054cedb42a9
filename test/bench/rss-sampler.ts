import { readFileSync } from 'node:fs';

export interface MemoryReading {
  /** Resident set size now, bytes. */
  rss: number;
  /** The most the process has had resident since it started (the kernel's high-water mark), bytes. */
  hwm: number;
}

/** From /proc/<pid>/status (Linux), which reports sizes in kB. */
export function readMemory(pid: number): MemoryReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/**
 * Samples a process's RSS every `everyMs` while something runs. The kernel's high-water mark is read at the end as
 * well: it catches a peak between two samples, but counts from the process's start, start-up included.
 */
export class RssSampler {
  private peakRss = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    everyMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): MemoryReading {
    const reading = readMemory(this.pid);
    this.peakRss = Math.max(this.peakRss, reading.rss);
    return reading;
  }

  /** The highest sampled RSS, and the high-water mark at the end. */
  stop(): { peakRss: number; hwm: number } {
    clearInterval(this.timer);
    const last = this.sample();
    return { peakRss: this.peakRss, hwm: last.hwm };
  }
}

export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
