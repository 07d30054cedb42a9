/** The part of autocannon 9's programmatic API the benchmarks use; the package ships no types of its own. */
declare module 'autocannon' {
  export interface Histogram {
    average: number;
    mean: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
    total: number;
  }

  export interface Result {
    requests: Histogram;
    latency: Histogram;
    /** Seconds. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  }

  export interface RequestData {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }

  /** Per-connection state: requests on one connection are sequential (pipelining 1), so it follows one request. */
  export type Context = Record<string, unknown>;

  export interface RequestStep extends RequestData {
    setupRequest?: (request: RequestData, context: Context) => RequestData;
    onResponse?: (status: number, body: string, context: Context) => void;
  }

  export interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Seconds. */
    timeout?: number;
    requests?: RequestStep[];
  }

  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
