import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import { freePort } from './support/free-port';
import { startService } from './support/service-process';
import { startTestServer, type TestServer } from './support/server';
import { createTestDatabase } from './support/test-database';

// The response cache under requests it must not answer from an entry: a persisted query asked for another
// operation, entries in Redis that are not this service's, and entries of another database.

interface Answer {
  status: number;
  cache: string | null;
  text: string;
}

async function post(url: string, body: object, key?: string): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, cache: res.headers.get('dossier-cache'), text: await res.text() };
}

async function waitForHit(url: string, body: object): Promise<Answer> {
  for (let i = 0; i < 50; i += 1) {
    const answer = await post(url, body);
    if (answer.cache === 'hit') return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('never answered from the cache');
}

const redisUrl = process.env.TEST_REDIS_URL ?? (process.env.REDIS_AVAILABLE === 'false' ? undefined : 'redis://127.0.0.1:6379');

async function redis() {
  const { Redis } = await import('ioredis');
  return new Redis(redisUrl!, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500, enableOfflineQueue: false });
}

async function redisAnswers(): Promise<boolean> {
  if (!redisUrl) return false;
  const client = await redis();
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function redisKeys(prefix: string): Promise<string[]> {
  const client = await redis();
  try {
    await client.connect();
    for (let i = 0; i < 100; i += 1) {
      const found = await client.keys(`${prefix}:*`);
      if (found.length) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return [];
  } finally {
    client.disconnect();
  }
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

test('a persisted query sent by its hash for another operation of its document is not answered with the first one', async () => {
  const query = 'query Topics { topics { totalCount } } query Viewer { viewer { clearance } }';
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const extensions = { persistedQuery: { version: 1, sha256Hash } };
  const topics = await post(server.url, { query, operationName: 'Topics', extensions });
  expect(topics.status).toBe(200);
  expect(JSON.parse(topics.text).data.topics).toBeDefined();
  await waitForHit(server.url, { query, operationName: 'Topics', extensions });
  // By its hash alone, naming the other operation: Apollo answers that one.
  const viewer = await post(server.url, { operationName: 'Viewer', extensions });
  expect(viewer.status).toBe(200);
  expect(JSON.parse(viewer.text).data).toEqual({ viewer: { clearance: 'CLEAR' } });
  expect((await waitForHit(server.url, { operationName: 'Viewer', extensions })).text).toBe(viewer.text);
  // Naming none, with two in the document, is an error, not the first operation's answer.
  const unnamed = await post(server.url, { extensions });
  expect(unnamed.cache).not.toBe('hit');
  expect(JSON.parse(unnamed.text).errors).toBeDefined();
});

test('an entry in Redis that is not one the cache wrote is a miss, not a failed request', async () => {
  if (!(await redisAnswers())) return console.warn('no Redis at 127.0.0.1:6379: poisoned entries are not tested');
  const env = { REDIS_URL: redisUrl!, RESPONSE_CACHE_PREFIX: `dossier-review-${process.pid}-${Date.now()}` };
  const a = await startTestServer(env, server.databaseUrl);
  const b = await startTestServer(env, server.databaseUrl);
  try {
    const garbage = ['no header line', '{not json}\n{}', '["an", "array"]\n{}', '{"content-type": 1}\n', '{"content-type": "text/plain", "a b": "c"}\n{}'];
    const client = await redis();
    try {
      await client.connect();
      for (const [i, bytes] of garbage.entries()) {
        const body = { query: `{ t${i}: topics { totalCount } }` };
        const before = new Set(await client.keys(`${env.RESPONSE_CACHE_PREFIX}:*`));
        const right = await post(a.url, body);
        expect(right.cache).toBe('miss');
        let key: string | undefined;
        for (let tries = 0; !key && tries < 100; tries += 1) {
          key = (await client.keys(`${env.RESPONSE_CACHE_PREFIX}:*`)).find((k) => !before.has(k));
          if (!key) await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await client.set(key!, bytes, 'EX', 60);
        // b has not answered it: it reads the poisoned entry from Redis.
        const answer = await post(b.url, body);
        expect({ status: answer.status, cache: answer.cache, text: answer.text }).toEqual({ status: 200, cache: 'miss', text: right.text });
      }
    } finally {
      client.disconnect();
    }
  } finally {
    await b.close();
    await a.close();
  }
});

test('instances of two databases sharing Redis and its prefix never answer from each other entries', async () => {
  if (!(await redisAnswers())) return console.warn('no Redis at 127.0.0.1:6379: the shared cache is not tested');
  // Both copies of one template: the same data version, as two clusters reach the same transaction ids.
  const [one, two] = [await createTestDatabase(), await createTestDatabase()];
  // A change in the second that notes no writer: in another cluster, its own writers would have the same ids.
  const client = new Client({ connectionString: two.url });
  await client.connect();
  await client.query(`SET session_replication_role = replica`);
  await client.query(`UPDATE topic SET title = 'Only in the second database' WHERE marking = 'CLEAR'`);
  await client.end();
  const env = { REDIS_URL: redisUrl!, RESPONSE_CACHE_PREFIX: `dossier-review-db-${process.pid}-${Date.now()}`, SEED: 'false', SCHEDULER: 'false' };
  const ports = [await freePort(), await freePort()];
  const services = [one, two].map((db, i) => startService({ ...env, PORT: String(ports[i]), DATABASE_URL: db.url }));
  try {
    await Promise.all(services.map((s) => s.waitFor(/^Dossier ready/, 60_000)));
    const [urlOne, urlTwo] = ports.map((port) => `http://127.0.0.1:${port}`);
    const body = { query: '{ topics(first: 100) { edges { node { title } } } }' };
    const first = await post(urlOne, body);
    expect(first.text).not.toContain('Only in the second database');
    await waitForHit(urlOne, body);
    await redisKeys(env.RESPONSE_CACHE_PREFIX);
    const second = await post(urlTwo, body);
    expect(second.cache).toBe('miss');
    expect(second.text).toContain('Only in the second database');
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await one.drop();
    await two.drop();
  }
}, 120_000);

test('an empty operation name is refused as Apollo refuses it, not answered with the only operation', async () => {
  const query = 'query Only { topics { totalCount } }';
  expect((await post(server.url, { query })).status).toBe(200);
  await waitForHit(server.url, { query });
  const named = await post(server.url, { query, operationName: '' });
  expect(named.cache).not.toBe('hit');
  expect(JSON.parse(named.text).errors).toBeDefined();
});

test('distinct large query texts are not remembered: the cache does not grow the process with them', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const filler = `# ${'x'.repeat(900_000)}\n`;
  const growth = async (url: string, name: string) => {
    const before = heap();
    for (let i = 0; i < 80; i += 1) {
      const answer = await post(url, { query: `${filler}query ${name}${i} { topics { totalCount } }` });
      expect(answer.status).toBe(200);
    }
    return heap() - before;
  };
  // What Apollo itself keeps of them, with the response cache off.
  const off = await startTestServer({ RESPONSE_CACHE_BYTES: '0' }, server.databaseUrl);
  let apollo: number;
  try {
    apollo = await growth(off.url, 'Off');
  } finally {
    await off.close();
  }
  // 80 texts of 900 kB: remembered by the cache, they would be 72 MB more.
  expect((await growth(server.url, 'On')) - apollo).toBeLessThan(30_000_000);
}, 90_000);

test('a persisted query Apollo refuses (another version, a hash in upper case) is not answered from the cache', async () => {
  const query = 'query Versioned { topics { totalCount } }';
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const good = { query, extensions: { persistedQuery: { version: 1, sha256Hash } } };
  expect((await post(server.url, good)).status).toBe(200);
  await waitForHit(server.url, good);
  for (const persistedQuery of [{ version: 2, sha256Hash }, { sha256Hash }, { version: 1, sha256Hash: sha256Hash.toUpperCase() }]) {
    for (const body of [{ query, extensions: { persistedQuery } }, { extensions: { persistedQuery } }]) {
      const answer = await post(server.url, body);
      expect({ persistedQuery, cache: answer.cache, errors: JSON.parse(answer.text).errors !== undefined }).toEqual({
        persistedQuery,
        cache: null,
        errors: true,
      });
    }
  }
});

test('instances whose sessions write timestamps in other time zones keep their own answers in a shared Redis', async () => {
  if (!(await redisAnswers())) return console.warn('no Redis at 127.0.0.1:6379: the shared cache is not tested');
  const env = { REDIS_URL: redisUrl!, RESPONSE_CACHE_PREFIX: `dossier-review-tz-${process.pid}-${Date.now()}` };
  const utc = await startTestServer(env, server.databaseUrl);
  const tokyo = await startTestServer(env, `${server.databaseUrl}?options=-c%20TimeZone%3DAsia%2FTokyo`);
  try {
    // A cursor of this order holds the creation time as the database wrote it, with its offset.
    const body = { query: '{ topics(first: 1, orderBy: { field: CREATED_AT }) { edges { cursor } } }' };
    const cursor = (answer: Answer) => Buffer.from(JSON.parse(answer.text).data.topics.edges[0].cursor, 'base64').toString();
    const first = await post(utc.url, body);
    expect(cursor(first)).toContain('+00:00');
    await waitForHit(utc.url, body);
    await redisKeys(env.RESPONSE_CACHE_PREFIX);
    const own = await post(tokyo.url, body);
    expect({ cache: own.cache, offset: cursor(own).includes('+09:00') }).toEqual({ cache: 'miss', offset: true });
  } finally {
    await tokyo.close();
    await utc.close();
  }
});
