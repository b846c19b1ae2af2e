import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestOf, queryHash } from '../src/server/persisted-queries';
import { dataOf, startTestServer, TestServer } from './support/server';

// Automatic persisted queries, and the allow-list mode that accepts registered operations only.
const operationsDir = join(__dirname, '..', 'fixtures', 'operations');
const operations = readdirSync(operationsDir)
  .filter((f) => f.endsWith('.graphql'))
  .map((f) => ({ name: f, body: readFileSync(join(operationsDir, f), 'utf8') }));
const bottomLine = operations.find((o) => o.name === 'dprk-bottom-line.graphql')!.body;

async function post(server: TestServer, body: Record<string, unknown>) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}` },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

test('automatic persisted queries: a hash alone runs once the query has been sent with it', async () => {
  const server = await startTestServer();
  try {
    const query = '{ topics { totalCount } }';
    const hash = queryHash(query);
    expect((await post(server, { extensions: persisted(hash) })).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post(server, { query, extensions: persisted(hash) })).data).toEqual({ topics: { totalCount: 1 } });
    expect((await post(server, { extensions: persisted(hash) })).data).toEqual({ topics: { totalCount: 1 } });
  } finally {
    await server.close();
  }
});

test('allow-list mode runs registered operations only, by hash or by their text, and registers nothing new', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'dossier-allowlist-')), 'operations.manifest.json');
  writeFileSync(file, JSON.stringify(manifestOf(operations)));
  const server = await startTestServer({ ALLOWLIST_FILE: file });
  try {
    const byHash = await post(server, { extensions: persisted(queryHash(bottomLine)) });
    expect(byHash.data.brief.title).toBe('North Korean troop deployment to Russia, 2024');
    expect(dataOf({ status: 200, body: await post(server, { query: bottomLine }) }).brief.marking).toBe('CLEAR');

    const other = '{ topics { totalCount } }';
    expect((await post(server, { query: other })).errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_ALLOWED');
    expect((await post(server, { query: other, extensions: persisted(queryHash(other)) })).errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_ALLOWED');
    // Nothing was registered, and an unregistered query learns nothing about the schema (no "Did you mean").
    expect((await post(server, { extensions: persisted(queryHash(other)) })).errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_ALLOWED');
    const typo = await post(server, { query: '{ topicz { totalCount } }' });
    expect(typo.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_ALLOWED');
    expect(JSON.stringify(typo)).not.toMatch(/Did you mean|topics/);
    const get = await fetch(`${server.url}/graphql?query=${encodeURIComponent(other)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect({ status: get.status, code: (await get.json()).errors?.[0]?.extensions?.code }).toEqual({ status: 403, code: 'OPERATION_NOT_ALLOWED' });
  } finally {
    await server.close();
  }
});

test('a persisted query that cannot be used is the client’s error, coded, never an internal one', async () => {
  const server = await startTestServer();
  try {
    const query = '{ topics { totalCount } }';
    for (const extensions of [persisted(queryHash('{ other }')), { persistedQuery: { version: 2, sha256Hash: queryHash(query) } }]) {
      const answer = await post(server, { query, extensions });
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
      expect(answer.errors?.[0].message).not.toMatch(/internal/i);
    }
  } finally {
    await server.close();
  }
});
