import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Marking } from '../src/common/marking';
import { createDataSource } from '../src/db/data-source';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { TLP1_MARKING_IDS, TLP2_MARKING_IDS } from '../src/modules/stix/stix-markings';
import { dataOf, startTestServer, TestServer, type GraphQLResponse } from './support/server';
import { databaseUrl, withAdmin } from './support/test-database';

// The STIX import: Dossier's own export comes back byte for byte through an empty database; bundles shaped as OpenCTI
// and MISP write them import with the expected counts and skips; the same bundle twice writes nothing, a newer
// `modified` updates, `revoked` retracts; hostile bundles are coded errors with nothing written; markings hold.
jest.setTimeout(180_000);

const TOPIC = 'dprk-troops-in-russia';
const EXPORT = `query Export($scope: ScopeInput!) { stixBundle(scope: $scope) { id objectCount json } }`;
const IMPORT = `mutation Import($document: String!, $name: String, $dryRun: Boolean) {
  importData(format: STIX_BUNDLE, document: $document, name: $name, dryRun: $dryRun) {
    document applied dryRun
    counts { table created updated unchanged retracted kept }
    kept { path reason }
    skipped { id type reason }
    problems { path message }
  }
}`;
const FIXTURES = join(__dirname, 'fixtures', 'stix');
const fixture = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');

type Counts = { table: string; created: number; updated: number; unchanged: number; retracted: number; kept: number };
type Report = {
  applied: boolean;
  counts: Counts[];
  kept: Array<{ path: string; reason: string }>;
  skipped: Array<{ id: string; type: string; reason: string }>;
  problems: Array<{ path: string; message: string }>;
};

/** The counts of the tables something happens to, as "table: created/updated/unchanged/retracted/kept". */
const countsOf = (report: Report) =>
  Object.fromEntries(
    report.counts
      .filter((c) => c.created + c.updated + c.unchanged + c.retracted + c.kept > 0)
      .map((c) => [c.table, `${c.created}/${c.updated}/${c.unchanged}/${c.retracted}/${c.kept}`]),
  );

let seeded: TestServer;
let empty: TestServer;
let emptyName: string;
const keys: Record<string, string> = {};

/** A database migrated and nothing more: no seed, no items. */
async function emptyDatabase(): Promise<string> {
  emptyName = `dossier_stix_empty_${process.pid}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${emptyName}"`));
  const dataSource = createDataSource(databaseUrl(emptyName));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  return databaseUrl(emptyName);
}

beforeAll(async () => {
  const env = { MAX_BODY_BYTES: String(64 * 1024 * 1024), STATEMENT_TIMEOUT_MS: '60000', LOG_LEVEL: 'error' };
  seeded = await startTestServer(env);
  empty = await startTestServer(env, await emptyDatabase());
  // The seed's RED judgment is for demo/lead-analyst: that reader exports and imports the whole topic.
  const lead = { name: 'lead-analyst', role: Role.ANALYST, clearance: Marking.RED, organisation: 'demo' };
  keys.seededLead = (await createKey(seeded.dataSource.manager, lead)).key;
  keys.lead = (await createKey(empty.dataSource.manager, lead)).key;
  for (const [name, clearance] of [
    ['green', Marking.GREEN],
    ['amber', Marking.AMBER],
    ['red', Marking.RED],
  ] as const) {
    keys[name] = (await createKey(empty.dataSource.manager, { name: `${name}-analyst`, role: Role.ANALYST, clearance, organisation: 'partners' })).key;
  }
  // An AMBER+STRICT statement of the lead's organisation, cited, so that the organisation travels too.
  const db = seeded.dataSource;
  const [topic] = await db.query(`SELECT id FROM topic WHERE slug = $1`, [TOPIC]);
  const [capability] = await db.query(`SELECT actor_id, id FROM capability WHERE topic_id = $1 AND marking = 'CLEAR' ORDER BY id LIMIT 1`, [topic.id]);
  const [source] = await db.query(`SELECT id FROM source WHERE marking = 'CLEAR' ORDER BY name LIMIT 1`);
  await db.query(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, organisation)
     VALUES ('00000000-0000-4000-8000-00000000c001', $1, $2, 'CYBER', 'Within demo only.', 'AMBER_STRICT', 'demo')`,
    [topic.id, capability.actor_id],
  );
  await db.query(
    `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id, marking, organisation)
     VALUES ('00000000-0000-4000-8000-00000000c002', $1, 'STATES', 'demo quote', 2, '00000000-0000-4000-8000-00000000c001', 'AMBER_STRICT', 'demo')`,
    [source.id],
  );
});

afterAll(async () => {
  await seeded?.close();
  await empty?.close();
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${emptyName}" WITH (FORCE)`));
});

const exportFrom = async (server: TestServer, key: string) =>
  dataOf(await server.gqlAs(key, EXPORT, { scope: { topics: [TOPIC], clearance: 'RED' } })).stixBundle as { id: string; objectCount: number; json: string };
const importAs = async (key: string, document: string, variables: Record<string, unknown> = {}) =>
  dataOf(await empty.gqlAs(key, IMPORT, { document, ...variables })).importData as Report;
/** Rows of every item table and of the history, to show that nothing was written. */
const rowCounts = async () =>
  (
    await empty.dataSource.query(
      `SELECT (SELECT count(*) FROM change)::int AS changes, (SELECT count(*) FROM stix_object)::int AS stix, (SELECT count(*) FROM imported_item)::int AS imported`,
    )
  )[0] as Record<string, number>;

describe('round trip', () => {
  test('the seed topic exported, imported into an empty database and exported again is the same bundle, byte for byte', async () => {
    const first = await exportFrom(seeded, keys.seededLead);
    expect(first.json).toContain('"organisation":"demo"');
    expect(first.json).toContain('"audience":["demo/lead-analyst"]');
    const report = await importAs(keys.lead, first.json);
    expect(report.problems).toEqual([]);
    expect(report.applied).toBe(true);
    expect(report.skipped).toEqual([]);
    const again = await exportFrom(empty, keys.lead);
    expect(again.objectCount).toBe(first.objectCount);
    expect(again.json).toBe(first.json);

    // Imported again: nothing is written, no row anywhere.
    const before = await rowCounts();
    const twice = await importAs(keys.lead, first.json);
    expect(twice.applied).toBe(true);
    expect(twice.counts.every((c) => c.created + c.updated + c.retracted === 0)).toBe(true);
    expect(await rowCounts()).toEqual(before);
    expect((await exportFrom(empty, keys.lead)).json).toBe(first.json);
  });
});
