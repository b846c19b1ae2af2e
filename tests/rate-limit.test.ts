import { startTestServer } from './support/server';

// Requests per identity and window. In memory by default; in Redis (REDIS_URL) so instances share the counts.
const QUERY = '{ topics { totalCount } }';

test('an identity over its limit gets 429 RATE_LIMITED with Retry-After; other identities go on', async () => {
  const server = await startTestServer({ RATE_LIMIT_POINTS: '5', RATE_LIMIT_WINDOW_S: '60' });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await server.gql(QUERY)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}` },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await res.json();
    expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await server.gqlAs(null, QUERY)).status).toBe(200);
  } finally {
    await server.close();
  }
});

test('an address that keeps sending refused credentials is told to wait (429) instead of costing a lookup each time', async () => {
  const server = await startTestServer();
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i += 1) statuses.push((await server.gqlAs(`dsk_guess-${i}`, QUERY)).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  } finally {
    await server.close();
  }
});

// Needs a Redis server: .ci/run sets TEST_REDIS_URL when one answers on 127.0.0.1:6379.
const redisUrl = process.env.TEST_REDIS_URL;
(redisUrl ? test : test.skip)('with REDIS_URL, two instances share one count per identity', async () => {
  const env = { RATE_LIMIT_POINTS: '5', REDIS_URL: redisUrl!, RATE_LIMIT_PREFIX: `dossier-test-${process.pid}-${Date.now()}` };
  const a = await startTestServer(env);
  const b = await startTestServer(env, a.databaseUrl);
  try {
    // The same principal on both: b's key is another identity, so ask b with a's key.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await a.gql(QUERY)).status);
    for (let i = 0; i < 3; i += 1) statuses.push((await b.gqlAs(a.key, QUERY)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  } finally {
    await b.close();
    await a.close();
  }
});
