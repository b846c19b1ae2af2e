import { Agent, request } from 'node:http';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Marking } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { freePort } from './support/free-port';
import { startTestServer, type TestServer } from './support/server';
import { startService, type ServiceProcess } from './support/service-process';

// WORKERS=2: the real service as two worker processes on one port and one database (src/cluster).
let db: TestServer;
let service: ServiceProcess;
let port: number;
let writer: string;
const POINTS = 8;

beforeAll(async () => {
  db = await startTestServer();
  writer = (
    await createKey(db.dataSource.manager, { name: `workers-writer-${process.pid}`, role: Role.ANALYST, clearance: Marking.AMBER, organisation: 'test-org' })
  ).key;
  port = await freePort();
  service = startService({ WORKERS: '2', DATABASE_URL: db.databaseUrl, PORT: String(port), SEED: 'false', RATE_LIMIT_POINTS: String(POINTS) });
  await service.waitFor(/^Dossier: 2 workers serve/, 90_000);
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await db?.close();
});

jest.setTimeout(120_000);

interface Answer {
  status: number;
  body: any;
}

/** One request; `agent` false opens a connection of its own, which the primary hands to the next worker in turn. */
const send = (path: string, options: { agent?: Agent | false; body?: unknown; key?: string } = {}) =>
  new Promise<Answer>((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = payload ? { 'content-type': 'application/json' } : {};
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    const req = request({ host: '127.0.0.1', port, path, method: payload ? 'POST' : 'GET', headers, agent: options.agent ?? false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text.startsWith('{') ? JSON.parse(text) : text }));
    });
    req.on('error', reject);
    req.end(payload);
  });

test('two processes serve the port; the scheduler runs in one; one rate limit and one set of metrics for both', async () => {
  const seen = new Map<number, any>();
  for (let i = 0; i < 6; i += 1) {
    const { body } = await send('/readyz');
    seen.set(body.worker.pid, body);
  }
  expect(seen.size).toBe(2);
  const workers = [...seen.values()].sort((a, b) => a.worker.index - b.worker.index);
  expect(workers.map((w) => w.worker.index)).toEqual([0, 1]);
  expect(workers[0].scheduler.status).toBe('running');
  expect(workers[1].scheduler).toEqual({ status: 'off' });

  // Ten requests on connections of their own, five to each worker: the budget of eight holds across both.
  const statuses = [];
  for (let i = 0; i < 10; i += 1) statuses.push((await send('/graphql', { body: { query: '{ __typename }' } })).status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(POINTS);
  expect(statuses.filter((s) => s === 429)).toHaveLength(10 - POINTS);

  const metrics = (await send('/metrics')).body as string;
  const counts = [...metrics.matchAll(/^dossier_http_request_duration_seconds_count\{[^}]*\} (\d+)$/gm)].map((m) => Number(m[1]));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(10);
});

test('a subscription on one worker gets the changes written through either', async () => {
  // A connection to each worker: keep-alive agents of one socket each, kept once their first answer names the worker.
  const agents = new Map<number, Agent>();
  while (agents.size < 2) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const { body } = await send('/readyz', { agent });
    if (agents.has(body.worker.index)) agent.destroy();
    else agents.set(body.worker.index, agent);
  }
  const client: Client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${writer}` },
    retryAttempts: 0,
  });
  const events: any[] = [];
  client.subscribe(
    { query: 'subscription { changes(filter: { types: ["Actor"] }) { operation itemId } }' },
    { next: (event) => void events.push(event), error: () => undefined, complete: () => undefined },
  );
  let made = 0;
  const createActorOn = async (index: number) => {
    made += 1;
    const input = { name: `Worker unit ${made} ${process.pid}`, kind: 'MILITARY_UNIT', marking: 'GREEN' };
    const { body } = await send('/graphql', {
      agent: agents.get(index),
      key: writer,
      body: { query: 'mutation($input: ActorInput!) { createActor(input: $input) { id } }', variables: { input } },
    });
    return body.data.createActor.id as string;
  };
  const arrived = async (id: string, withinMs: number) => {
    for (const deadline = Date.now() + withinMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      if (events.some((e) => e.data?.changes?.itemId === id)) return true;
    }
    return false;
  };
  try {
    // Live once a probe arrives (the protocol does not acknowledge a subscribe).
    for (let live = false; !live;) live = await arrived(await createActorOn(0), 1_000);
    const written = [await createActorOn(0), await createActorOn(1)];
    for (const id of written) expect(await arrived(id, 15_000)).toBe(true);
  } finally {
    await client.dispose();
    for (const agent of agents.values()) agent.destroy();
  }
});
