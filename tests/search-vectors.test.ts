import { Marking } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, type TestServer } from './support/server';

// The stored search vectors (search_english on the statement tables and citations) are derived data: after writes
// of every kind (mutations, imports, hand-written SQL) each row's vector must equal the one its text gives now, and
// search must find the new words and not the old ones, only for those who may read the row.
let server: TestServer;
const keys: Record<string, string> = {};

const english = (...columns: string[]) => columns.map((c) => `to_tsvector('english'::regconfig, coalesce(${c}, ''))`).join(' || ');
const VECTORS: Array<[string, string]> = [
  ['capability', english('statement')],
  ['challenge', english('statement')],
  ['implication', english('statement')],
  ['event', english('title', 'description')],
  ['actor_relation', english('description')],
  ['citation', english('quote')],
];

/** Rows of each table whose stored vector differs from their text's, and how many rows there are. */
async function drift() {
  const out: Record<string, { rows: number; wrong: number }> = {};
  for (const [table, expression] of VECTORS) {
    const [r] = await server.dataSource.query(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE search_english IS DISTINCT FROM ${expression})::int AS wrong FROM ${table}`,
    );
    out[table] = r;
  }
  return out;
}
const expectNoDrift = async () => {
  for (const [table, { rows, wrong }] of Object.entries(await drift())) {
    expect({ table, wrong }).toEqual({ table, wrong: 0 });
    expect(rows).toBeGreaterThan(0);
  }
};

const IMPORT = `mutation($document: String!) { importData(format: DOSSIER, document: $document) { applied problems { path message } } }`;
const SEARCH = `query($q: String!) { search(query: $q, first: 50) { totalCount nodes { type item { id } } } }`;
const found = async (key: string, q: string) => {
  const r = dataOf(await server.gqlAs(keys[key], SEARCH, { q })).search as { totalCount: number; nodes: Array<{ type: string; item: { id: string } }> };
  expect(r.totalCount).toBe(r.nodes.length);
  return r.nodes.map((n) => n.type).sort();
};

function document(word: string, marking: string): unknown {
  return {
    topic: { key: 'vector-topic', title: 'Harbour watch', summary: 'Who watches the harbour.', marking: 'GREEN' },
    actors: [{ key: 'watch', name: 'Harbour Watch', kind: 'ARMED_FORCE', marking: 'GREEN' }],
    sources: [{ key: 'log', name: 'Watch log', kind: 'OFFICIAL_STATEMENT', reliability: 'B', marking: 'GREEN' }],
    capabilities: [
      {
        key: 'boats',
        actor: 'watch',
        category: 'EQUIPMENT',
        statement: `The watch keeps ${word} boats.`,
        marking,
        citations: [{ source: 'log', verb: 'STATES', quote: `${word} boats seen`, credibility: 2, marking }],
      },
    ],
    events: [
      {
        key: 'drill',
        title: `A ${word} drill`,
        occurredOn: '2025-02-01',
        precision: 'DAY',
        actors: ['watch'],
        marking,
        citations: [{ source: 'log', verb: 'REPORTS', page: '2', credibility: 3, marking }],
      },
    ],
  };
}

beforeAll(async () => {
  server = await startTestServer();
  keys.analyst = (await createKey(server.dataSource.manager, { name: 'vector-analyst', role: Role.ANALYST, clearance: Marking.AMBER, organisation: 'o' })).key;
  keys.green = (await createKey(server.dataSource.manager, { name: 'vector-green', role: Role.VIEWER, clearance: Marking.GREEN, organisation: 'o' })).key;
});
afterAll(() => server.close());

test('the seed and migration fill every vector', expectNoDrift);

test('imports, re-imports, mutations and plain SQL keep the vectors exact, and search follows them under markings', async () => {
  const first = dataOf(await server.gqlAs(keys.analyst, IMPORT, { document: JSON.stringify(document('zephyrine', 'GREEN')) })).importData;
  expect(first).toEqual({ applied: true, problems: [] });
  await expectNoDrift();
  expect(await found('green', 'zephyrine')).toEqual(['CAPABILITY', 'CITATION', 'EVENT']);

  // Re-imported with other words and a higher marking: the old words leave, the new ones come, not for the green reader.
  const second = dataOf(await server.gqlAs(keys.analyst, IMPORT, { document: JSON.stringify(document('quillwort', 'AMBER')) })).importData;
  expect(second).toEqual({ applied: true, problems: [] });
  await expectNoDrift();
  expect(await found('analyst', 'zephyrine')).toEqual([]);
  expect(await found('analyst', 'quillwort')).toEqual(['CAPABILITY', 'CITATION', 'EVENT']);
  expect(await found('green', 'quillwort')).toEqual([]);

  // A mutation, then a hand-written UPDATE of another text column.
  const [{ id }] = await server.dataSource.query(`SELECT id FROM capability WHERE statement LIKE '%quillwort%'`);
  const updated = await server.gqlAs(
    keys.analyst,
    `mutation($id: ID!) { updateCapability(id: $id, input: { statement: "The watch keeps marram boats." }) { id } }`,
    {
      id: toGlobalId('Capability', id),
    },
  );
  expect(updated.body.errors).toBeUndefined();
  await server.dataSource.query(`UPDATE event SET description = 'Held at dawn by the marram pier.' WHERE title LIKE '%quillwort%'`);
  await expectNoDrift();
  expect(await found('analyst', 'marram')).toEqual(['CAPABILITY', 'EVENT']);
  expect(await found('analyst', 'quillwort')).toEqual(['CITATION', 'EVENT']);

  // Retracted: gone from search, though its vector stays exact.
  const retracted = await server.gqlAs(keys.analyst, `mutation($id: ID!) { retractCapability(id: $id, reason: "wrong") { id } }`, {
    id: toGlobalId('Capability', id),
  });
  expect(retracted.body.errors).toBeUndefined();
  await expectNoDrift();
  expect(await found('analyst', 'marram')).toEqual(['EVENT']);
});
