import { request } from 'node:http';

/** One HTTP request exactly as the fuzzer made it: no encoding or header added but the body's length. */
export interface RawRequest {
  method: string;
  /** Path and query, already percent-encoded as wanted. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** A loopback address to send from: the service counts each address as a client of its own. */
  from?: string;
}

export type RawReply =
  | { kind: 'answered'; status: number; headers: Record<string, string | string[] | undefined>; body: string }
  /** The connection ended without an answer; a crash shows as this, and so does a refusal that hung up early. */
  | { kind: 'no-answer'; error: string };

/** How long a case may take before it counts as unanswered: a hang is a finding too. */
const ANSWER_TIMEOUT_MS = 15_000;

export function sendRaw(baseUrl: string, raw: RawRequest): Promise<RawReply> {
  const target = new URL(baseUrl);
  const body = raw.body ?? Buffer.alloc(0);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (reply: RawReply) => {
      if (settled) return;
      settled = true;
      resolve(reply);
    };
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: raw.method,
        path: raw.path,
        agent: false,
        localAddress: raw.from,
        timeout: ANSWER_TIMEOUT_MS,
        headers: { ...raw.headers, 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        // A server that answered and then hung up on the rest of a large body still answered.
        const answered = () => settle({ kind: 'answered', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.on('end', answered);
        res.on('error', answered);
        res.on('aborted', answered);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    req.on('error', (err) => settle({ kind: 'no-answer', error: err.message }));
    req.end(body);
  });
}
