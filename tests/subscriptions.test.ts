import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Marking } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { freePort } from './support/free-port';
import { dataOf, startTestServer, type TestServer } from './support/server';
import { startService, type ServiceProcess } from './support/service-process';

// Live updates through the public API: instance A (this process) serves the subscriptions, instance B (the real
// service, another process) takes the writes, both on one database.
let a: TestServer;
let b: ServiceProcess;
let bUrl: string;
const keys: Record<string, string> = {};
const clients: Client[] = [];
const DEADLINE_MS = 30_000;

beforeAll(async () => {
  a = await startTestServer({ VIEWER_CLEARANCE: 'AMBER', SUBSCRIPTIONS_PER_IDENTITY: '2', CORS_ORIGINS: 'https://dash.example.org' });
  const make = async (name: string, role: Role, clearance: Marking, organisation = 'test-org') =>
    (await createKey(a.dataSource.manager, { name, role, clearance, organisation })).key;
  keys.writer = await make('live-writer', Role.ANALYST, Marking.AMBER);
  keys.green = await make('live-green', Role.VIEWER, Marking.GREEN);
  keys.amber = await make('live-amber', Role.VIEWER, Marking.AMBER);
  keys.limited = await make('live-limited', Role.VIEWER, Marking.GREEN);
  keys.redWriter = await make('live-red-writer', Role.ANALYST, Marking.RED);
  keys.redMember = await make('live-red-member', Role.VIEWER, Marking.RED);
  keys.redOutsider = await make('live-red-outsider', Role.VIEWER, Marking.RED);
  keys.otherOrg = await make('live-other-org', Role.VIEWER, Marking.RED, 'other-org');
  keys.releaser = await make('live-releaser', Role.RELEASER, Marking.RED);
  const port = await freePort();
  b = startService({ SCHEDULER: 'false', SEED: 'false', DATABASE_URL: a.databaseUrl, PORT: String(port) });
  await b.waitFor(/^Dossier ready/, 60_000);
  bUrl = `http://127.0.0.1:${port}/graphql`;
}, 90_000);

jest.setTimeout(120_000);

// Each test's connections end with it: the subscriptions of an identity count against its limit.
afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
});

afterAll(async () => {
  await b?.stop();
  await a?.close();
});

const wsUrl = () => a.url.replace(/^http/, 'ws') + '/graphql';

function connect(key: string | null, extra: { origin?: string; url?: string } = {}) {
  const closes: Array<{ code: number; reason: string }> = [];
  const client = createClient({
    url: extra.url ?? wsUrl(),
    webSocketImpl: class extends WebSocket {
      constructor(url: string, protocols: string[]) {
        super(url, protocols, extra.origin ? { headers: { origin: extra.origin } } : {});
      }
    },
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => closes.push({ code: (event as CloseEvent).code, reason: (event as CloseEvent).reason }) },
  });
  clients.push(client);
  return { client, closes };
}

interface Stream {
  events: Array<{ data?: any; errors?: any[] }>;
  /** How the subscription ended (an error, or 'complete'), or a failure after the deadline. */
  done: Promise<unknown>;
  waitFor: (match: (e: { data?: any; errors?: any[] }) => boolean, within?: number) => Promise<{ data?: any; errors?: any[] }>;
}

function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}): Stream {
  const events: Stream['events'] = [];
  const waiters = new Set<() => void>();
  const done = new Promise((resolve) => {
    client.subscribe(
      { query, variables },
      {
        next: (event) => {
          events.push(event as Stream['events'][number]);
          for (const w of waiters) w();
        },
        error: (error) => resolve(error),
        complete: () => resolve('complete'),
      },
    );
  });
  const waitFor: Stream['waitFor'] = (match, within = DEADLINE_MS) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = events.find(match);
        if (found) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching event within ${within} ms; got ${JSON.stringify(events)}`));
      }, within);
      waiters.add(check);
      check();
    });
  const bounded = Promise.race([
    done,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`${query}: not ended within ${DEADLINE_MS} ms; got ${JSON.stringify(events)}`)), DEADLINE_MS).unref(),
    ),
  ]);
  bounded.catch(() => undefined);
  return { events, done: bounded, waitFor };
}

/** A write through instance B. */
async function writeOnB(query: string, variables: Record<string, unknown> = {}, as = keys.writer) {
  const res = await fetch(bUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${as}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

let actors = 0;
const createActor = async (marking: string, extra: { audience?: string[]; as?: string } = {}) => {
  actors += 1;
  const name = `Live unit ${actors} ${marking} ${process.pid}`;
  const input = { name, kind: 'MILITARY_UNIT', marking, ...(extra.audience ? { audience: extra.audience } : {}) };
  const data = await writeOnB(`mutation($input: ActorInput!) { createActor(input: $input) { id } }`, { input }, extra.as);
  return { id: data.createActor.id as string, name };
};

const CHANGES = `subscription { changes(filter: { types: ["Actor"] }) { cursor operation itemId itemType after } }`;
const isItem = (id: string) => (e: { data?: any }) => e.data?.changes?.itemId === id;

/**
 * A subscription is live once the server has run its subscribe; the protocol sends no acknowledgement, so write
 * probes through B until one arrives.
 */
async function untilLive(stream: Stream) {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const probe = await createActor('CLEAR');
    try {
      return await stream.waitFor(isItem(probe.id), 1_000);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

test('a subscriber on one instance receives a change written through another instance', async () => {
  const { client } = connect(keys.amber);
  const stream = subscribe(client, CHANGES);
  await untilLive(stream);
  const actor = await createActor('GREEN');
  const event = await stream.waitFor(isItem(actor.id));
  expect(event.data.changes).toMatchObject({ operation: 'CREATE', itemType: 'Actor', after: { name: actor.name, marking: 'GREEN' } });
  expect(typeof event.data.changes.cursor).toBe('string');
});

test('markings are applied at delivery: a GREEN reader gets no AMBER item, and a HIDDEN change when one it read is re-marked', async () => {
  const green = subscribe(connect(keys.green).client, CHANGES);
  const amber = subscribe(connect(keys.amber).client, CHANGES);
  await untilLive(green);
  await untilLive(amber);
  const secret = await createActor('AMBER');
  const open = await createActor('GREEN');
  // Ordered feed: once the GREEN reader has the later GREEN item, the AMBER one was not sent to it.
  await green.waitFor(isItem(open.id));
  await amber.waitFor(isItem(secret.id));
  expect(green.events.filter(isItem(secret.id))).toEqual([]);
  // Re-marked beyond the GREEN reader: it is told once, with no content.
  await writeOnB(`mutation($id: ID!) { updateActor(id: $id, input: { marking: AMBER }) { id } }`, { id: open.id });
  const hidden = await green.waitFor((e) => isItem(open.id)(e) && e.data.changes.operation !== 'CREATE');
  expect(hidden.data.changes).toMatchObject({ operation: 'HIDDEN', after: null });
  const seen = await amber.waitFor((e) => isItem(open.id)(e) && e.data.changes.operation === 'UPDATE');
  expect(seen.data.changes.after).toMatchObject({ marking: 'AMBER' });
});

test('a RED item reaches its audience only; an AMBER+STRICT one its own organisation only', async () => {
  const streams = Object.fromEntries(['redMember', 'redOutsider', 'amber', 'otherOrg'].map((k) => [k, subscribe(connect(keys[k]).client, CHANGES)]));
  for (const stream of Object.values(streams)) await untilLive(stream);
  const red = await createActor('RED', { audience: ['test-org/live-red-member'], as: keys.redWriter });
  const strict = await createActor('AMBER_STRICT', { as: keys.redWriter });
  const fence = await createActor('CLEAR');
  // Ordered feed: once each has the later CLEAR item, what it was not sent was withheld.
  for (const stream of Object.values(streams)) await stream.waitFor(isItem(fence.id));
  expect(streams.redMember.events.filter(isItem(red.id))).toHaveLength(1);
  expect(streams.redOutsider.events.filter(isItem(red.id))).toEqual([]);
  expect(streams.amber.events.filter(isItem(red.id))).toEqual([]);
  // AMBER+STRICT: the organisation's readers cleared for it, no one of another organisation, whatever their clearance.
  expect(streams.redOutsider.events.filter(isItem(strict.id))).toHaveLength(1);
  expect(streams.amber.events.filter(isItem(strict.id))).toEqual([]);
  expect(streams.otherOrg.events.filter(isItem(strict.id))).toEqual([]);
  expect(streams.otherOrg.events.filter(isItem(red.id))).toEqual([]);
});

test('an item released to a reader after it subscribed comes to it as REVEALED, with its content', async () => {
  const green = subscribe(connect(keys.green).client, CHANGES);
  await untilLive(green);
  const item = await createActor('AMBER');
  await writeOnB(
    `mutation($id: ID!) { updateActor(id: $id, input: { marking: GREEN, releaseReason: "Confirmed in open reporting." }) { id } }`,
    { id: item.id },
    keys.releaser,
  );
  const revealed = await green.waitFor(isItem(item.id));
  expect(revealed.data.changes).toMatchObject({ operation: 'REVEALED', after: { name: item.name, marking: 'GREEN' } });
  expect(green.events.filter(isItem(item.id))).toHaveLength(1);
});

test('bad credentials close the connection with 4401; a subscription with none is anonymous (ANONYMOUS=read)', async () => {
  const { client, closes } = connect('dsk_not-a-key');
  const refused = await subscribe(client, CHANGES).done;
  expect(closes[0]?.code ?? (refused as CloseEvent).code).toBe(4401);
  const anonymous = subscribe(connect(null).client, CHANGES);
  await untilLive(anonymous);
  const green = await createActor('GREEN');
  const clear = await createActor('CLEAR');
  await anonymous.waitFor(isItem(clear.id));
  expect(anonymous.events.filter(isItem(green.id))).toEqual([]);
});

test('a revoked key stops receiving: its connection is closed at the next delivery', async () => {
  const key = (await createKey(a.dataSource.manager, { name: 'live-revoked', role: Role.VIEWER, clearance: Marking.GREEN, organisation: 'test-org' })).key;
  const { client, closes } = connect(key);
  const stream = subscribe(client, CHANGES);
  await untilLive(stream);
  await a.dataSource.query(`UPDATE api_key SET revoked_at = now() WHERE name = 'live-revoked'`);
  const after = await createActor('CLEAR');
  await stream.done;
  expect(closes.at(-1)?.code).toBe(4401);
  expect(stream.events.filter(isItem(after.id))).toEqual([]);
});

test('an identity holds at most SUBSCRIPTIONS_PER_IDENTITY subscriptions', async () => {
  const { client } = connect(keys.limited);
  const first = subscribe(client, CHANGES);
  const second = subscribe(client, CHANGES);
  await untilLive(first);
  await untilLive(second);
  const third = subscribe(client, CHANGES);
  const refused = await third.waitFor((e) => Boolean(e.errors));
  expect(refused.errors![0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'subscriptions', max: 2 });
});

test('subscribes sent all at once cannot pass the identity limit together', async () => {
  const key = (await createKey(a.dataSource.manager, { name: 'live-burst', role: Role.VIEWER, clearance: Marking.GREEN, organisation: 'test-org' })).key;
  const { client } = connect(key);
  const streams = Array.from({ length: 10 }, () => subscribe(client, CHANGES));
  // Eight are refused (the limit is 2); the two admitted stay open and receive.
  const refused = await Promise.all(streams.slice(2).map((stream) => stream.waitFor((e) => Boolean(e.errors))));
  for (const event of refused) expect(event.errors![0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'subscriptions' });
  await untilLive(streams[0]);
  await untilLive(streams[1]);
});

test('a key revoked while connected subscribes to nothing more: the connection is closed with 4401', async () => {
  const key = (await createKey(a.dataSource.manager, { name: 'live-revoked-idle', role: Role.VIEWER, clearance: Marking.GREEN, organisation: 'test-org' })).key;
  const { client, closes } = connect(key);
  await untilLive(subscribe(client, CHANGES));
  await a.dataSource.query(`UPDATE api_key SET revoked_at = now() WHERE name = 'live-revoked-idle'`);
  // Nothing is written meanwhile: the new subscribe itself must notice, before it looks the definition up.
  const probe = subscribe(
    client,
    `subscription { briefRunFinished(definition: "QnJpZWZEZWZpbml0aW9uOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMQ==") { id } }`,
  );
  await probe.done;
  expect(closes.at(-1)?.code).toBe(4401);
  expect(JSON.stringify(probe.events)).not.toContain('NOT_FOUND');
});

test('one client address holds at most WS_MAX_CONNECTIONS_PER_ADDRESS sockets, and subscribes count against its rate limit', async () => {
  const small = await startTestServer({ WS_MAX_CONNECTIONS_PER_ADDRESS: '2', RATE_LIMIT_POINTS: '3' }, a.databaseUrl);
  const sockets: WebSocket[] = [];
  try {
    const url = small.url.replace(/^http/, 'ws') + '/graphql';
    const open = () =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, 'graphql-transport-ws');
        ws.on('error', () => undefined);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          sockets.push(ws);
          resolve(101);
        });
      });
    expect([await open(), await open(), await open()]).toEqual([101, 101, 429]);
    // Their slots are free once the server has seen them close.
    await Promise.all(sockets.splice(0).map((ws) => new Promise((closed) => ws.once('close', closed).close())));
    const deadline = Date.now() + DEADLINE_MS;
    while ((await open()) !== 101) {
      if (Date.now() > deadline) throw new Error('the closed sockets never gave their slots back');
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const ws of sockets.splice(0)) ws.close();
    // Anonymous subscribes of one address: three per window, as for its HTTP requests.
    const { client } = connect(null, { url });
    const outcomes: unknown[] = [];
    for (let i = 0; i < 5; i += 1) {
      const stream = subscribe(client, `subscription { changes(filter: { types: ["Nope"] }) { cursor } }`);
      // Refused at subscribe: an error message; refused by the resolver: a result with errors, then complete.
      const ended = await stream.done;
      const errors = Array.isArray(ended) ? ended : stream.events.find((e) => e.errors)?.errors;
      outcomes.push(errors?.[0]?.extensions?.code);
    }
    expect(outcomes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(2);
    expect(outcomes.slice(0, 3)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
  } finally {
    for (const ws of sockets) ws.close();
    for (const client of clients.splice(0)) await client.dispose();
    await small.close();
  }
});

test('queries over the limits and unknown filters are refused as over HTTP; queries go over HTTP', async () => {
  const { client } = connect(keys.amber);
  const badType = subscribe(client, `subscription { changes(filter: { types: ["Nope"] }) { cursor } }`);
  expect((await badType.waitFor((e) => Boolean(e.errors))).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  const query = subscribe(client, `{ topics { totalCount } }`);
  expect(await query.done).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_REQUEST' }) })]);
  const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: cursor`).join(' ');
  const tooMany = subscribe(client, `subscription { changes { cursor ${aliases} } }`);
  expect(await tooMany.done).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'aliases' }) })]);
});

test('a page of another origin may not open a WebSocket; a listed origin may', async () => {
  const refused = await new Promise<number>((resolve) => {
    const ws = new WebSocket(wsUrl(), 'graphql-transport-ws', { headers: { origin: 'https://evil.example.com' } });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
  });
  expect(refused).toBe(403);
  const listed = subscribe(connect(keys.amber, { origin: 'https://dash.example.org' }).client, CHANGES);
  await untilLive(listed);
});

test('with CORS_ORIGINS=*, a page of another origin subscribes anonymously only: credentials close with 4403', async () => {
  const open = await startTestServer({ CORS_ORIGINS: '*' }, a.databaseUrl);
  try {
    const url = open.url.replace(/^http/, 'ws') + '/graphql';
    const withKey = connect(keys.amber, { origin: 'https://elsewhere.example.net', url });
    const refused = await subscribe(withKey.client, CHANGES).done;
    expect(withKey.closes[0]?.code ?? (refused as CloseEvent).code).toBe(4403);
    const anonymous = subscribe(connect(null, { origin: 'https://elsewhere.example.net', url }).client, CHANGES);
    await untilLive(anonymous);
  } finally {
    for (const client of clients.splice(0)) await client.dispose();
    await open.close();
  }
});

test('briefRunFinished delivers a finished run of a definition the reader may read; NOT_FOUND for one it may not', async () => {
  const definition = dataOf(
    await a.gql(
      `mutation { createBriefDefinition(input: { name: "Live weekly", brief: { topics: ["dprk-troops-in-russia"], clearance: AMBER }, cron: "0 6 * * 1", timeZone: "UTC", formats: [MARKDOWN] }) { id } }`,
    ),
  ).createBriefDefinition.id as string;
  const green = subscribe(connect(keys.green).client, `subscription($d: ID!) { briefRunFinished(definition: $d) { id status } }`, { d: definition });
  expect((await green.waitFor((e) => Boolean(e.errors))).errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  const amber = subscribe(connect(keys.amber).client, `subscription($d: ID!) { briefRunFinished(definition: $d) { id status contentHash } }`, {
    d: definition,
  });
  const uuid = Buffer.from(definition, 'base64').toString('utf8').split(':')[1];
  // A run finishing, as a worker records it: until the subscription is live, one each second.
  const deadline = Date.now() + DEADLINE_MS;
  let runs = 0;
  for (;;) {
    runs += 1;
    await a.dataSource.query(
      `INSERT INTO brief_run (id, definition_id, scheduled_for, status, marking, organisation, content_hash)
       SELECT gen_random_uuid(), id, now() + make_interval(days => $2), 'SUCCEEDED', 'AMBER', organisation, 'hash' FROM brief_definition WHERE id = $1`,
      [uuid, runs],
    );
    try {
      const event = await amber.waitFor((e) => Boolean(e.data?.briefRunFinished), 1_000);
      expect(event.data.briefRunFinished).toMatchObject({ status: 'SUCCEEDED', contentHash: 'hash' });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
});
