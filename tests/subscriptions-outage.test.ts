import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Marking } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { startDatabaseProxy, type DatabaseProxy } from './support/database-proxy';
import { freePort } from './support/free-port';
import { startTestServer, type TestServer } from './support/server';
import { startService } from './support/service-process';
import { createTestDatabase } from './support/test-database';

// Live updates when the database goes away: instance A reaches it through a relay that is cut, instance B directly.
// What B writes while A cannot listen reaches A's subscriber once the database is back.
const TIGHT = { DATABASE_CONNECT_TIMEOUT_MS: '1000', STATEMENT_TIMEOUT_MS: '1000', DATABASE_QUERY_TIMEOUT_MS: '2000' };
const DEADLINE_MS = 30_000;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let proxy: DatabaseProxy;
let a: TestServer;
let b: TestServer;
let key: string;

jest.setTimeout(120_000);

beforeAll(async () => {
  database = await createTestDatabase();
  proxy = await startDatabaseProxy(database.url);
  a = await startTestServer(TIGHT, proxy.url);
  b = await startTestServer({}, database.url);
  key = (await createKey(b.dataSource.manager, { name: 'live-outage', role: Role.ANALYST, clearance: Marking.AMBER, organisation: 'test-org' })).key;
});
afterAll(async () => {
  proxy?.thaw();
  await a?.close();
  await b?.close();
  await proxy?.close();
  await database?.drop();
});

type Event = { data?: { changes?: { itemId: string; operation: string }; briefRunFinished?: { id: string } } };

const CHANGES = `subscription { changes(filter: { types: ["Actor"] }) { itemId operation } }`;

function subscribeOn(url: string, query = CHANGES, variables: Record<string, unknown> = {}) {
  const events: Event[] = [];
  const closes: number[] = [];
  const listeners = new Set<() => void>();
  const client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    on: {
      closed: (event) => {
        closes.push((event as CloseEvent).code);
        for (const l of listeners) l();
      },
    },
  });
  client.subscribe(
    { query, variables },
    {
      next: (event) => {
        events.push(event as Event);
        for (const l of listeners) l();
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  /** Resolves once `condition` holds, checked at each event or close; fails after the deadline. */
  const until = (condition: () => boolean, what: string, within = DEADLINE_MS) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`${what}: not within ${within} ms; events ${JSON.stringify(events)}, closes ${JSON.stringify(closes)}`));
      }, within);
      listeners.add(check);
      check();
    });
  const has = (id: string) => events.some((e) => e.data?.changes?.itemId === id || e.data?.briefRunFinished?.id === id);
  return { client, events, closes, until, has };
}

let actors = 0;
async function createActor(serverUrl: string) {
  actors += 1;
  const res = await fetch(`${serverUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      query: `mutation($input: ActorInput!) { createActor(input: $input) { id } }`,
      variables: { input: { name: `Outage unit ${actors} ${process.pid}`, kind: 'MILITARY_UNIT' } },
    }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data.createActor.id as string;
}

/** The protocol acknowledges no subscription: write probes until one arrives. */
async function untilLive(stream: ReturnType<typeof subscribeOn>, writeTo: string) {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const probe = await createActor(writeTo);
    try {
      return await stream.until(() => stream.has(probe), 'probe', 1_000);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

test('changes written while the database was out of reach are delivered once it is back, and the subscription holds', async () => {
  const stream = subscribeOn(a.url);
  await untilLive(stream, b.url);
  await proxy.cut();
  const during = [await createActor(b.url), await createActor(b.url)];
  // Out of reach for longer than a reconnection attempt or two.
  await new Promise((r) => setTimeout(r, 1_500));
  expect(during.filter(stream.has)).toEqual([]);
  await proxy.restore();
  await stream.until(() => during.every(stream.has), 'changes written during the outage');
  const after = await createActor(b.url);
  await stream.until(() => stream.has(after), 'a change written after the outage');
  // Each once, in the order written.
  const ids = stream.events.map((e) => e.data?.changes?.itemId);
  expect(ids.filter((id) => during.includes(id!) || id === after)).toEqual([...during, after]);
  expect(stream.closes).toEqual([]);
  await stream.client.dispose();
});

test('a run that finished while the database was out of reach is delivered once it is back, once', async () => {
  const reporter = (
    await createKey(b.dataSource.manager, { name: 'live-outage-reporter', role: Role.REPORTER, clearance: Marking.AMBER, organisation: 'test-org' })
  ).key;
  const res = await fetch(`${b.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${reporter}` },
    body: JSON.stringify({
      query: `mutation { createBriefDefinition(input: { name: "Outage weekly", brief: { topics: ["dprk-troops-in-russia"], clearance: AMBER }, cron: "0 6 * * 1", timeZone: "UTC", formats: [MARKDOWN] }) { id } }`,
    }),
  });
  const definition = (await res.json()).data.createBriefDefinition.id as string;
  const uuid = Buffer.from(definition, 'base64').toString('utf8').split(':')[1];
  let runs = 0;
  // A run finishing as a worker on B records it; returns the run's global id.
  const finishRun = async () => {
    runs += 1;
    const [{ id }] = await b.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO brief_run (id, definition_id, scheduled_for, status, started_at, finished_at, marking, organisation, content_hash)
       SELECT gen_random_uuid(), id, now() + make_interval(days => $2), 'SUCCEEDED', now(), now(), 'AMBER', organisation, 'hash' FROM brief_definition WHERE id = $1
       RETURNING id`,
      [uuid, runs],
    );
    return Buffer.from(`BriefRun:${id}`).toString('base64');
  };
  const stream = subscribeOn(a.url, `subscription($d: ID!) { briefRunFinished(definition: $d) { id } }`, { d: definition });
  // Live once a run written on B arrives.
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const probe = await finishRun();
    try {
      await stream.until(() => stream.has(probe), 'probe run', 1_000);
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
  await proxy.cut();
  const during = await finishRun();
  await new Promise((r) => setTimeout(r, 1_500));
  expect(stream.has(during)).toBe(false);
  await proxy.restore();
  await stream.until(() => stream.has(during), 'the run finished during the outage');
  const after = await finishRun();
  await stream.until(() => stream.has(after), 'a run finished after the outage');
  const ids = stream.events.map((e) => e.data?.briefRunFinished?.id);
  expect(ids.filter((id) => id === during || id === after)).toEqual([during, after]);
  expect(stream.closes).toEqual([]);
  await stream.client.dispose();
});

test('a service stopping (SIGTERM) closes its WebSockets as going away (1001) and exits cleanly', async () => {
  const port = await freePort();
  const service = startService({ SCHEDULER: 'false', SEED: 'false', DATABASE_URL: database.url, PORT: String(port) });
  await service.waitFor(/^Dossier ready/, 60_000);
  const url = `http://127.0.0.1:${port}`;
  const stream = subscribeOn(url);
  await untilLive(stream, url);
  const exit = service.stop();
  await stream.until(() => stream.closes.length > 0, 'the socket closed');
  expect(stream.closes).toEqual([1001]);
  expect(await exit).toBe(0);
});
