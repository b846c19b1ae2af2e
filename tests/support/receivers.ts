import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';

export interface ReceivedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface WebhookReceiver {
  /** https://127.0.0.1:<port> */
  url: string;
  /** A PEM file with the receiver's self-signed certificate, for WEBHOOK_CA_FILE. */
  caFile: string;
  received: ReceivedRequest[];
  /** The status to answer a path with, given how many requests that path has had before (0 for the first). */
  answer: (path: string, previous: number) => number;
  close(): Promise<void>;
}

/** A local HTTPS server with a certificate made now, recording every request and its raw body. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const caFile = join(mkdtempSync(join(tmpdir(), 'dossier-webhook-')), 'ca.pem');
  writeFileSync(caFile, pems.cert);
  const received: ReceivedRequest[] = [];
  const receiver = { received, answer: (_path: string, _previous: number) => 200 } as WebhookReceiver;
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const previous = received.filter((r) => r.path === path).length;
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = receiver.answer(path, previous);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`answered ${status} ${'x'.repeat(2000)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.caFile = caFile;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

export interface MailReceiver {
  url: string;
  /** Each message as received: envelope recipients and the raw message. */
  messages: Array<{ to: string[]; raw: string }>;
  close(): Promise<void>;
}

/** A local SMTP server (no TLS, no authentication) keeping every message. */
export async function startMailReceiver(): Promise<MailReceiver> {
  const messages: MailReceiver['messages'] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
