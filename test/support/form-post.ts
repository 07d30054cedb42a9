import { request } from 'node:http';

export interface FormReply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Posts a form as a browser would, from a loopback address of one's choosing: the service counts each address as
 * its own sender, so a test can play many people. The body is encoded by fetch's own Request, as fetch would send it.
 */
export async function postFrom(from: string, url: string, form: FormData | URLSearchParams): Promise<FormReply> {
  const encoded = new Request(url, { method: 'POST', body: form });
  const bytes = Buffer.from(await encoded.arrayBuffer());
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: 'POST',
        localAddress: from,
        // A connection per post: a pooled one would be tied to the address it was opened from.
        agent: false,
        headers: { 'content-type': encoded.headers.get('content-type')!, 'content-length': bytes.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}
