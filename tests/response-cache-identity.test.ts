import { Client } from 'pg';
import { captureLog } from './support/captured-log';
import { startTestServer, type TestServer } from './support/server';
import { createTestDatabase } from './support/test-database';

// A role that may not read pg_control_system() (as on a managed PostgreSQL): the response cache names the database
// another way, once, instead of failing (and answering uncached) on every request.
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: TestServer;
const role = `dossier_limited_${process.pid}`;
let warnings: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  const admin = new Client({ connectionString: database.url });
  await admin.connect();
  try {
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'limited'`);
    await admin.query(`GRANT ALL ON SCHEMA public TO ${role}`);
    await admin.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`);
    await admin.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await admin.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${role}`);
    // Function privileges are the database's own: this one database refuses it to everyone but superusers.
    await admin.query('REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC');
  } finally {
    await admin.end();
  }
  const url = new URL(database.url);
  url.username = role;
  url.password = 'limited';
  const log = captureLog();
  warnings = log.lines;
  server = await startTestServer({}, url.toString());
}, 60_000);

afterAll(async () => {
  await server?.close();
  await database?.drop();
  const admin = new Client({ connectionString: database.url.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${role}`).finally(() => admin.end());
});

const ask = async (query: string) => {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}` },
    body: JSON.stringify({ query }),
  });
  return { cache: res.headers.get('dossier-cache'), body: (await res.json()) as { data?: unknown; errors?: unknown } };
};

test('without the privilege, a repeated query is still answered from the cache, and the refusal is said once', async () => {
  const query = '{ actors(first: 2) { totalCount nodes { id name } } }';
  const first = await ask(query);
  expect(first.body.errors).toBeUndefined();
  expect(first.cache).toBe('miss');
  let again = await ask(query);
  for (let i = 0; i < 50 && again.cache !== 'hit'; i += 1) again = await ask(query);
  expect(again.cache).toBe('hit');
  expect(again.body).toEqual(first.body);
  expect(warnings.filter((line) => line.includes('pg_control_system()'))).toHaveLength(1);
});
