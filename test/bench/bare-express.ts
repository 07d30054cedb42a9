import type { AddressInfo } from 'node:net';
import express from 'express';

/**
 * The webhook benchmark's baseline, run as a child process by `webhook-ingestion`: the same express on the same
 * machine, doing nothing but answering 200. Prints `{"port":N}` once it listens; SIGTERM ends it.
 */
const app = express();
app.use((_req, res) => {
  res.sendStatus(200);
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
