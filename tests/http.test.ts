import { serverAudits } from 'graphql-http';
import { startTestServer, TestServer } from './support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

test('/healthz answers while the process is up, /readyz while the database is reachable', async () => {
  expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: 'ready' });
});

test('/ serves a self-contained GraphiQL with the example operations, loading nothing from elsewhere', async () => {
  const response = await fetch(`${server.url}/`);
  expect(response.status).toBe(200);
  const page = await response.text();
  expect(page).toContain('<title>Dossier</title>');
  expect(page).toContain('query DprkBrief');
  expect(page).toContain('query SingleSourced');
  expect(page).not.toMatch(/<script[^>]+src=["']https?:/i);
  expect(page).not.toMatch(/<link[^>]+href=["']https?:/i);
});

test('a malformed JSON body gets a JSON GraphQL error, not an HTML page', async () => {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"query": "{ topics { totalCount } "',
  });
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  expect(await response.json()).toEqual({
    errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
  });
});

test('the GraphQL-over-HTTP conformance audit finds no error and at most two warnings', async () => {
  const results = await Promise.all(serverAudits({ url: `${server.url}/graphql` }).map(async (audit) => ({ ...(await audit.fn()), name: audit.name })));
  const counts = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
  console.log(`graphql-http audit: ${JSON.stringify(counts)}\n${results.filter((r) => r.status !== 'ok').map((r) => `${r.status}: ${r.name}`).join('\n')}`);
  expect(results.filter((r) => r.status === 'error').map((r) => r.name)).toEqual([]);
  expect(results.filter((r) => r.status === 'warn').length).toBeLessThanOrEqual(2);
});

test('/readyz answers 503 when the database cannot be reached, while /healthz still answers', async () => {
  const lonely = await startTestServer();
  await lonely.dataSource.destroy();
  const ready = await fetch(`${lonely.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ status: 'database unreachable' });
  expect((await fetch(`${lonely.url}/healthz`)).status).toBe(200);
  await lonely.close();
});
