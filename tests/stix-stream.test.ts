import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { v5 as uuidv5 } from 'uuid';
import { Marking } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { DOSSIER_STIX_NAMESPACE } from '../src/modules/stix/stix-ids';
import { manifestOf } from '../src/server/persisted-queries';
import { addMarkedLayer, AMBER_STATEMENT, ids as layer } from './support/marked-layer';
import { NODE_TS } from './support/node-ts';
import { dataOf, startTestServer, TestServer } from './support/server';

// GET /stix/bundle: stixBundle's bundle streamed over HTTP, the same bytes for every reader, behind the same identity
// checks as /graphql, with bad scope a 400 that carries a code.
jest.setTimeout(120_000);

const TOPIC = 'dprk-troops-in-russia';
const EXPORT = `query Export($scope: ScopeInput!) { stixBundle(scope: $scope) { id objectCount json } }`;

let server: TestServer;
const keys: Record<string, string | null> = { anonymous: null };

beforeAll(async () => {
  server = await startTestServer({ ANONYMOUS: 'read' });
  await addMarkedLayer(server.dataSource);
  for (const [name, clearance] of [
    ['clear', Marking.CLEAR],
    ['green', Marking.GREEN],
    ['amber', Marking.AMBER],
    ['revoked', Marking.AMBER],
  ] as const) {
    keys[name] = (await createKey(server.dataSource.manager, { name: `stream-${name}`, role: Role.ANALYST, clearance, organisation: 'org-s' })).key;
  }
});
afterAll(() => server.close());

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The response as sent, bytes not decoded (fetch would gunzip them out of sight). */
const get = (path: string, key: string | null, headers: Record<string, string> = {}, base = server.url) =>
  new Promise<Raw>((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { ...headers, ...(key ? { authorization: `Bearer ${key}` } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });

const graphqlBundle = async (key: string | null, scope: Record<string, unknown>) =>
  dataOf(await server.gqlAs(key, EXPORT, { scope })).stixBundle.json as string;
const errorOf = (raw: Raw) => (JSON.parse(raw.body.toString('utf8')) as { errors: Array<{ message: string; extensions: { code: string } }> }).errors[0];

test.each(['clear', 'green', 'amber', 'anonymous'])('the %s reader streams the bytes stixBundle answers', async (reader) => {
  const raw = await get(`/stix/bundle?topic=${TOPIC}`, keys[reader]);
  expect(raw.status).toBe(200);
  expect(raw.headers['content-type']).toBe('application/stix+json;version=2.1');
  expect(raw.headers['content-encoding']).toBeUndefined();
  expect(raw.headers['cache-control']).toBe('no-store');
  // Streamed: no length known before the last object is written.
  expect(raw.headers['content-length']).toBeUndefined();
  expect(raw.body.toString('utf8')).toBe(await graphqlBundle(keys[reader], { topics: [TOPIC] }));
});

test('every scope field maps onto ScopeInput: the same bundle as the same scope through GraphQL', async () => {
  const query = `topics=${TOPIC}&from=2024-01-01&to=2025-06-30&minCredibility=3&minReliability=C&clearance=GREEN`;
  const raw = await get(`/stix/bundle?${query}`, keys.amber);
  const scope = { topics: [TOPIC], from: '2024-01-01', to: '2025-06-30', minCredibility: 3, minReliability: 'C', clearance: 'GREEN' };
  expect(raw.status).toBe(200);
  const text = raw.body.toString('utf8');
  expect(text).toBe(await graphqlBundle(keys.amber, scope));
  expect(text).not.toBe(await graphqlBundle(keys.amber, { topics: [TOPIC] }));
});

test('an AMBER item reaches the AMBER reader only, never a GREEN or anonymous one', async () => {
  const amberId = uuidv5(layer.amberCapability, DOSSIER_STIX_NAMESPACE);
  for (const reader of ['green', 'anonymous', 'clear']) {
    const text = (await get(`/stix/bundle?topic=${TOPIC}`, keys[reader])).body.toString('utf8');
    expect([reader, text.includes(amberId), text.includes(AMBER_STATEMENT)]).toEqual([reader, false, false]);
  }
  const amber = (await get(`/stix/bundle?topic=${TOPIC}`, keys.amber)).body.toString('utf8');
  expect([amber.includes(amberId), amber.includes(AMBER_STATEMENT)]).toEqual([true, true]);
  // A GREEN reader asking above its clearance is refused, not served less.
  const above = await get(`/stix/bundle?topic=${TOPIC}&clearance=AMBER`, keys.green);
  expect([above.status, errorOf(above).extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
});

test('a revoked or unknown key is refused with 401, as on /graphql', async () => {
  expect((await get(`/stix/bundle?topic=${TOPIC}`, keys.revoked)).status).toBe(200);
  await server.dataSource.query(`UPDATE api_key SET revoked_at = now() WHERE name = 'stream-revoked'`);
  for (const key of [keys.revoked, 'dsk_not-a-key']) {
    const raw = await get(`/stix/bundle?topic=${TOPIC}`, key);
    expect([raw.status, errorOf(raw).extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(raw.body.toString('utf8')).not.toContain('"type":"bundle"');
  }
});

test.each([
  ['no topic nor actor', ''],
  ['an unknown parameter', `topic=${TOPIC}&colour=red`],
  ['a day that is not one', `topic=${TOPIC}&from=2024-02-30`],
  ['a window that ends before it starts', `topic=${TOPIC}&from=2024-02-01&to=2024-01-01`],
  ['a credibility that is not a number', `topic=${TOPIC}&minCredibility=high`],
  ['a credibility out of range', `topic=${TOPIC}&minCredibility=9`],
  ['a reliability that is not a grade', `topic=${TOPIC}&minReliability=Z`],
  ['a clearance that is not a marking', `topic=${TOPIC}&clearance=PURPLE`],
  ['a single value given twice', `topic=${TOPIC}&from=2024-01-01&from=2024-01-02`],
  ['a topic that is not there', 'topic=no-such-topic'],
  ['an actor id that is not one', 'actor=not-an-id'],
])('%s is a 400 with BAD_USER_INPUT', async (_what, query) => {
  const raw = await get(`/stix/bundle?${query}`, keys.amber);
  expect(raw.status).toBe(400);
  expect(raw.headers['content-type']).toMatch(/^application\/json/);
  expect(errorOf(raw).extensions.code).toBe('BAD_USER_INPUT');
});

test('gzip when the client accepts it, the same bytes once decoded', async () => {
  const raw = await get(`/stix/bundle?topic=${TOPIC}`, keys.amber, { 'accept-encoding': 'gzip' });
  expect([raw.status, raw.headers['content-encoding']]).toEqual([200, 'gzip']);
  expect(gunzipSync(raw.body).toString('utf8')).toBe(await graphqlBundle(keys.amber, { topics: [TOPIC] }));
  const identity = await get(`/stix/bundle?topic=${TOPIC}`, keys.amber, { 'accept-encoding': 'identity' });
  expect(identity.headers['content-encoding']).toBeUndefined();
});

test('npm run export streams the bundle from /stix/bundle: the API’s bytes on stdout', async () => {
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [...NODE_TS, 'src/cli/export.ts', '--url', `${server.url}/graphql`, ...args],
        { cwd: join(__dirname, '..'), env: { ...process.env, DOSSIER_API_KEY: keys.amber! }, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  const [ok, bad] = await Promise.all([
    run(['--topic', TOPIC, '--min-credibility', '3']),
    run(['--topic', TOPIC, '--from', '2024-03-01', '--to', '2024-01-01']),
  ]);
  expect([ok.code, ok.stdout]).toEqual([0, `${await graphqlBundle(keys.amber, { topics: [TOPIC], minCredibility: 3 })}\n`]);
  expect(ok.stderr).toMatch(/dossier export: \d+ objects in bundle--[0-9a-f-]{36}, streamed/);
  expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('the window ends before it starts')]);
});

test('with an allow-list, the route runs only when a registered operation asks for stixBundle', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-stix-allowlist-'));
  const manifest = (name: string, bodies: string[]) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(manifestOf(bodies.map((body, i) => ({ name: `op${i}`, body })))));
    return file;
  };
  const without = await startTestServer({ ALLOWLIST_FILE: manifest('without.json', ['{ topics { totalCount } }']) }, server.databaseUrl);
  const withExport = await startTestServer({ ALLOWLIST_FILE: manifest('with.json', [EXPORT]) }, server.databaseUrl);
  try {
    const refused = await get(`/stix/bundle?topic=${TOPIC}`, keys.amber, {}, without.url);
    expect([refused.status, errorOf(refused).extensions.code]).toEqual([403, 'OPERATION_NOT_ALLOWED']);
    const served = await get(`/stix/bundle?topic=${TOPIC}`, keys.amber, {}, withExport.url);
    expect(served.status).toBe(200);
    expect(served.body.toString('utf8')).toBe(await graphqlBundle(keys.amber, { topics: [TOPIC] }));
  } finally {
    await without.close();
    await withExport.close();
  }
});
