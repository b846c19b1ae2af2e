import { Client } from 'pg';
import { v5 as uuidv5 } from 'uuid';
import { Marking } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { TLP2_MARKING_IDS } from '../src/modules/stix/stix-markings';
import { dataOf, startTestServer, type TestServer } from './support/server';

// A large import (over a thousand rows of one table) neither waits for locks that other imports or maintenance of the
// same tables hold, nor records its history any differently from a small write: one creation per item, with the
// item as written, its topic and who may read it (a citation: also its statement's and its source's readers).
jest.setTimeout(240_000);

const RELATIONS = 1_100;
const NAMESPACE = 'b0d7c1a4-5c55-4a55-9f0e-3c1c8f0b9a21';
const id = (type: string, n: number) => `${type}--${uuidv5(`${type}/${n}`, NAMESPACE)}`;
const stamp = '2024-05-01T00:00:00.000Z';
const IMPORT = `mutation($document: String!) { importData(format: STIX_BUNDLE, document: $document, name: "bulk") {
  document applied counts { table created } problems { path message } } }`;

/** 20 actors, one report, and `n` relationships between the actors that the report cites. */
function bundle(n: number): string {
  const common = (type: string, i: number) => ({
    type,
    spec_version: '2.1',
    id: id(type, i),
    created: stamp,
    modified: stamp,
    object_marking_refs: [TLP2_MARKING_IDS[Marking.GREEN]],
  });
  const actors = Array.from({ length: 20 }, (_, i) => ({ ...common('threat-actor', i), name: `Bulk actor ${i}`, threat_actor_types: ['crime-syndicate'] }));
  const relationships = Array.from({ length: n }, (_, i) => ({
    ...common('relationship', i),
    relationship_type: 'related-to',
    source_ref: actors[i % 20].id,
    target_ref: actors[(i + 1 + (i % 7)) % 20].id,
    description: `Bulk relationship ${i}.`,
  }));
  const report = {
    ...common('report', 0),
    name: 'Bulk report',
    report_types: ['threat-report'],
    published: stamp,
    object_refs: relationships.map((r) => r.id),
  };
  return JSON.stringify({ type: 'bundle', id: id('bundle', 0), objects: [...actors, report, ...relationships] });
}

let server: TestServer;
let key: string;
let principal: string;

beforeAll(async () => {
  server = await startTestServer({ MAX_BODY_BYTES: String(8 * 1024 * 1024) });
  const made = await createKey(server.dataSource.manager, { name: 'bulk-importer', role: Role.ANALYST, clearance: Marking.AMBER, organisation: 'org-bulk' });
  key = made.key;
  principal = made.apiKey.principal;
});
afterAll(() => server.close());

let document: string;

test('a large import does not wait for the lock that ANALYZE or VACUUM of its tables holds', async () => {
  // What another large import's ANALYZE, or autovacuum, holds on the tables while it runs.
  const holder = new Client({ connectionString: server.databaseUrl });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE actor_relation, citation IN SHARE UPDATE EXCLUSIVE MODE');
    const importing = server.gqlAs(key, IMPORT, { document: bundle(RELATIONS) });
    const outcome = await Promise.race([importing.then(() => 'done'), new Promise((resolve) => setTimeout(resolve, 120_000, 'waiting'))]);
    await holder.query('ROLLBACK');
    expect(outcome).toBe('done');
    const report = dataOf(await importing).importData;
    expect(report.problems).toEqual([]);
    expect(report.applied).toBe(true);
    const created = Object.fromEntries((report.counts as Array<{ table: string; created: number }>).map((c) => [c.table, c.created]));
    expect(created).toMatchObject({ topic: 1, actor: 20, source: 1, actor_relation: RELATIONS, citation: RELATIONS });
    document = report.document;
  } finally {
    await holder.end();
  }
});

const access = (row: string) => `jsonb_build_object('marking', ${row}.marking, 'organisation', ${row}.organisation, 'audience', ${row}.audience)`;
/** Per table: the topic and the access its creation records, from the row `t` as stored. */
const EXPECTED: Record<string, { topic: string; access: string; joins?: string }> = {
  topic: { topic: 't.id', access: `jsonb_build_array(${access('t')})` },
  actor: { topic: 'NULL::uuid', access: `jsonb_build_array(${access('t')})` },
  source: { topic: 'NULL::uuid', access: `jsonb_build_array(${access('t')})` },
  actor_relation: { topic: 't.topic_id', access: `jsonb_build_array(${access('t')})` },
  citation: {
    topic: 'r.topic_id',
    access: `jsonb_build_array(${access('t')}, ${access('r')}, ${access('s')})`,
    joins: 'JOIN actor_relation r ON r.id = t.relation_id JOIN source s ON s.id = t.source_id',
  },
};

test('each item of a large import has its creation recorded, as written', async () => {
  expect(document).toBeDefined();
  for (const [table, expected] of Object.entries(EXPECTED)) {
    const [found] = await server.dataSource.query(
      `WITH items AS (SELECT t.*, ${expected.topic} AS expected_topic, ${expected.access} AS expected_access
         FROM ${table} t JOIN imported_item i ON i.item_id = t.id AND i.document = $1 ${expected.joins ?? ''}),
       recorded AS (SELECT c.* FROM change c WHERE c.item_id IN (SELECT id FROM items))
       SELECT (SELECT count(*) FROM items)::int AS items, (SELECT count(*) FROM recorded)::int AS changes,
         (SELECT count(*) FROM items x JOIN recorded c ON c.item_id = x.id
           WHERE c.item_table = '${table}' AND c.operation = 'create' AND c.version = x.version AND c.principal = $2 AND c.comment IS NULL
             AND c.topic_id IS NOT DISTINCT FROM x.expected_topic AND c.access = x.expected_access
             AND c.after = to_jsonb(x) - '{version,updated_at,search_english,expected_topic,expected_access}'::text[]
             AND c.before IS NULL AND c.state IS NULL AND c.access_before IS NULL )::int AS exact`,
      [document, principal],
    );
    expect({ table, ...found }).toEqual({ table, items: found.items, changes: found.items, exact: found.items });
    expect(found.items).toBeGreaterThan(0);
  }
});
