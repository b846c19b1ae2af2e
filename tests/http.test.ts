import { serverAudits } from 'graphql-http';
import { startDatabaseProxy } from './support/database-proxy';
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
  expect(await ready.json()).toEqual({
    status: 'ready',
    database: { status: 'up', checkedAt: expect.any(String), latencyMs: expect.any(Number), since: expect.any(String) },
    scheduler: { status: 'off' },
  });
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

test('GraphiQL opens on the whole brief, the tab the README runs first, then its parts', async () => {
  const page = await (await fetch(`${server.url}/`)).text();
  const options = page.match(/renderYogaGraphiQL\(\s*window\.document\.querySelector\('#root'\),\s*(\{.*\}),\s*\);/s);
  expect(options).not.toBeNull();
  const { defaultTabs, defaultQuery } = JSON.parse(options![1]) as { defaultTabs: { query: string }[]; defaultQuery: string };
  const names = defaultTabs.map((tab) => tab.query.match(/^(?:query|mutation) (\w+)/m)?.[1]);
  expect(names).toEqual(['DprkBrief', 'DprkBottomLine', 'ActorProfile', 'WellSourcedTimeline', 'SingleSourced']);
  expect(defaultQuery).toBe(defaultTabs[0].query);
});

test('GraphiQL subscribes over graphql-ws on the same path, with its bundled client', async () => {
  const page = await (await fetch(`${server.url}/`)).text();
  const options = page.match(/renderYogaGraphiQL\(\s*window\.document\.querySelector\('#root'\),\s*(\{.*\}),\s*\);/s);
  expect(JSON.parse(options![1])).toMatchObject({ endpoint: '/graphql', subscriptionsProtocol: 'WS' });
  expect(page).toContain('graphql-transport-ws');
});

test('GraphQL answers are never stored by a cache and carry no ETag; the GraphiQL page keeps its own', async () => {
  const post = (headers: Record<string, string> = {}) =>
    fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
  const answer = await post();
  expect(answer.status).toBe(200);
  expect(answer.headers.get('cache-control')).toBe('no-store');
  expect(answer.headers.get('etag')).toBeNull();
  // A refused credential is no more cacheable than an answer.
  const refused = await post({ authorization: 'Bearer dsk_unknown' });
  expect(refused.status).toBe(401);
  expect(refused.headers.get('cache-control')).toBe('no-store');
  const page = await fetch(`${server.url}/`);
  const etag = page.headers.get('etag');
  expect(etag).toMatch(/^"/);
  // (fetch would add Cache-Control: no-cache to a conditional request, which asks for the page anew)
  const again = await fetch(`${server.url}/`, { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
  expect(again.status).toBe(304);
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
  console.log(
    `graphql-http audit: ${JSON.stringify(counts)}\n${results
      .filter((r) => r.status !== 'ok')
      .map((r) => `${r.status}: ${r.name}`)
      .join('\n')}`,
  );
  expect(results.filter((r) => r.status === 'error').map((r) => r.name)).toEqual([]);
  expect(results.filter((r) => r.status === 'warn').length).toBeLessThanOrEqual(2);
});

test('/readyz answers 503 when the database cannot be reached, while /healthz still answers', async () => {
  const proxy = await startDatabaseProxy(server.databaseUrl);
  const lonely = await startTestServer({ DATABASE_CHECK_INTERVAL_MS: '100' }, proxy.url);
  try {
    await proxy.cut();
    // The monitor's open connection may first be seen as lost; once it reconnects, every attempt is refused.
    const readyz = async () => {
      const response = await fetch(`${lonely.url}/readyz`);
      return { status: response.status, body: await response.json() };
    };
    let ready = await readyz();
    for (let waited = 0; ready.body.database?.reason !== 'connection refused' && waited < 10_000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      ready = await readyz();
    }
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'database unreachable', database: { status: 'down', reason: 'connection refused' } });
    expect((await fetch(`${lonely.url}/healthz`)).status).toBe(200);
  } finally {
    await proxy.restore();
    await lonely.close();
    await proxy.close();
  }
});
