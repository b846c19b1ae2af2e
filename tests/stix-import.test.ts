import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Marking } from '../src/common/marking';
import { createDataSource } from '../src/db/data-source';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { extensionId } from '../src/modules/stix/stix-extensions';
import { TLP1_MARKING_IDS, TLP2_MARKING_IDS } from '../src/modules/stix/stix-markings';
import { dataOf, startTestServer, TestServer } from './support/server';
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
    ['strict', Marking.AMBER_STRICT],
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

const OPENCTI = 'opencti-bundle.json';
const relationOf = async (stixId: string) =>
  (
    await empty.dataSource.query(
      `SELECT r.description, r.type, r.marking, r.retracted_at IS NOT NULL AS retracted, s.confidence
       FROM stix_object s JOIN actor_relation r ON r.id = s.item_id WHERE s.stix_id = $1`,
      [stixId],
    )
  )[0] as { description: string; type: string; marking: string; retracted: boolean; confidence: number | null };
/** The bundle of a fixture with some of its objects changed. */
const edited = (file: string, change: (o: Record<string, any>) => void) => {
  const bundle = JSON.parse(fixture(file));
  bundle.objects.forEach(change);
  return JSON.stringify(bundle);
};

describe('third-party bundles', () => {
  test('a dry run of an OpenCTI bundle shows the plan and the skips, and stores nothing', async () => {
    const before = await rowCounts();
    const report = await importAs(keys.strict, fixture(OPENCTI), { name: 'opencti', dryRun: true });
    expect(report.applied).toBe(false);
    expect(report.problems).toEqual([]);
    expect(countsOf(report)).toEqual({
      topic: '1/0/0/0/0',
      actor: '4/0/0/0/0',
      location: '1/0/0/0/0',
      source: '2/0/0/0/0',
      capability: '1/0/0/0/0',
      actor_relation: '2/0/0/0/0',
      citation: '4/0/0/0/0',
    });
    expect(report.skipped.length).toBe(4);
    expect(await rowCounts()).toEqual(before);
  });

  test('an OpenCTI bundle imports actors, place, report, note, relations and a capability; what Dossier does not model is skipped per object', async () => {
    const report = await importAs(keys.strict, fixture(OPENCTI), { name: 'opencti' });
    expect(report.problems).toEqual([]);
    expect(report.applied).toBe(true);
    expect(countsOf(report)).toEqual({
      topic: '1/0/0/0/0',
      actor: '4/0/0/0/0',
      location: '1/0/0/0/0',
      source: '2/0/0/0/0',
      capability: '1/0/0/0/0',
      actor_relation: '2/0/0/0/0',
      citation: '4/0/0/0/0',
    });
    expect([...report.skipped].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'attack-pattern--a9000000-0000-4000-8000-000000000001', type: 'attack-pattern', reason: 'Dossier does not model attack-pattern' },
      { id: 'indicator--f1000000-0000-4000-8000-000000000001', type: 'indicator', reason: 'Dossier does not model indicator' },
      { id: 'relationship--11000000-0000-4000-8000-000000000003', type: 'relationship', reason: 'a relationship Dossier keeps only between two actors' },
      { id: 'relationship--11000000-0000-4000-8000-000000000004', type: 'relationship', reason: 'a relationship Dossier keeps only between two actors' },
    ]);
    const db = empty.dataSource;
    // Reliability stays the source's, as OpenCTI gave it; confidence is kept raw and mapped to credibility by Appendix A.
    const [source] = await db.query(
      `SELECT s.reliability, s.url, s.published_on::text AS published, x.reliability AS given FROM source s JOIN stix_object x ON x.item_id = s.id WHERE x.stix_id = $1`,
      ['report--21000000-0000-4000-8000-000000000001'],
    );
    expect(source).toEqual({
      reliability: 'B',
      url: 'https://cert.example.org/reports/2024-05-apt-example',
      published: '2024-05-01',
      given: 'B - Usually reliable',
    });
    const attribution = await relationOf('relationship--11000000-0000-4000-8000-000000000001');
    expect(attribution).toMatchObject({ type: 'ATTRIBUTED_TO', marking: 'GREEN', confidence: 75 });
    const credibility = await db.query(
      `SELECT c.verb, c.credibility FROM citation c JOIN stix_object x ON x.item_id = c.relation_id WHERE x.stix_id = $1 ORDER BY c.verb::text`,
      ['relationship--11000000-0000-4000-8000-000000000001'],
    );
    expect(credibility).toEqual([
      { verb: 'REPORTS', credibility: 2 },
      { verb: 'STATES', credibility: 1 },
    ]);
    const [uses] = await db.query(`SELECT category, statement FROM capability c JOIN stix_object x ON x.item_id = c.id WHERE x.stix_id = $1`, [
      'relationship--11000000-0000-4000-8000-000000000002',
    ]);
    expect(uses).toEqual({ category: 'CYBER', statement: 'Uses malware ExampleWiper.' });
    // OpenCTI's own AMBER+STRICT id is no standard one, but its definition states the level: AMBER+STRICT, within the
    // importer's organisation, never plain AMBER.
    expect(await relationOf('relationship--11000000-0000-4000-8000-000000000005')).toMatchObject({ type: 'TARGETS', marking: 'AMBER_STRICT' });
    const [strict] = await empty.dataSource.query(`SELECT r.organisation FROM actor_relation r JOIN stix_object x ON x.item_id = r.id WHERE x.stix_id = $1`, [
      'relationship--11000000-0000-4000-8000-000000000005',
    ]);
    expect(strict.organisation).toBe('partners');
    const [actor] = await db.query(`SELECT kind, aliases, external_ids FROM actor WHERE name = 'APT-Example'`);
    expect(actor).toEqual({
      kind: 'GROUP',
      aliases: ['Example Bear'],
      external_ids: [{ scheme: 'STIX', value: 'intrusion-set--b1000000-0000-4000-8000-000000000001' }],
    });
  });

  test('the same bundle again writes no row; a newer modified updates; an older one changes nothing; revoked retracts', async () => {
    const before = await rowCounts();
    const again = await importAs(keys.strict, fixture(OPENCTI), { name: 'opencti' });
    expect(again.applied).toBe(true);
    expect(again.counts.every((c) => c.created + c.updated + c.retracted === 0)).toBe(true);
    expect(await rowCounts()).toEqual(before);

    const attribution = 'relationship--11000000-0000-4000-8000-000000000001';
    const older = edited(OPENCTI, (o) => {
      if (o.id === attribution) Object.assign(o, { description: 'An older text.', modified: '2024-04-02T08:00:00.000Z' });
    });
    expect(countsOf(await importAs(keys.strict, older, { name: 'opencti' })).actor_relation).toBe('0/0/2/0/0');
    expect((await relationOf(attribution)).description).toBe('APT-Example works for Example Unit 123.');

    const newer = edited(OPENCTI, (o) => {
      if (o.id === attribution) Object.assign(o, { description: 'APT-Example is Example Unit 123.', modified: '2024-06-01T08:00:00.000Z', confidence: 95 });
    });
    const updated = await importAs(keys.strict, newer, { name: 'opencti' });
    expect(countsOf(updated).actor_relation).toBe('0/1/1/0/0');
    expect(await relationOf(attribution)).toMatchObject({ description: 'APT-Example is Example Unit 123.', confidence: 95 });
    const [{ updated_at }] = await empty.dataSource.query(
      `SELECT updated_at FROM actor_relation r JOIN stix_object x ON x.item_id = r.id WHERE x.stix_id = $1`,
      [attribution],
    );
    expect(new Date(updated_at).toISOString()).toBe('2024-06-01T08:00:00.000Z');

    const target = 'relationship--11000000-0000-4000-8000-000000000005';
    const revoked = edited(OPENCTI, (o) => {
      if (o.id === attribution) Object.assign(o, { description: 'APT-Example is Example Unit 123.', modified: '2024-06-01T08:00:00.000Z', confidence: 95 });
      if (o.id === target) Object.assign(o, { revoked: true, modified: '2024-06-02T08:00:00.000Z' });
    });
    const retracted = await importAs(keys.strict, revoked, { name: 'opencti' });
    expect(retracted.problems).toEqual([]);
    expect(countsOf(retracted).actor_relation).toBe('0/0/1/1/0');
    expect((await relationOf(target)).retracted).toBe(true);
  });

  test('a MISP bundle: report, threat actors, relations, an opinion; statement markings read nothing, unknown markings the most restrictive', async () => {
    const report = await importAs(keys.amber, fixture('misp-bundle.json'), { name: 'misp' });
    expect(report.problems).toEqual([]);
    expect(countsOf(report)).toEqual({ topic: '1/0/0/0/0', actor: '4/0/0/0/0', source: '2/0/0/0/0', actor_relation: '2/0/0/0/0', citation: '3/0/0/0/0' });
    expect(report.skipped.map((s) => s.type).sort()).toEqual(['domain-name', 'indicator', 'observed-data', 'vulnerability', 'x-misp-object']);
    const markings = await empty.dataSource.query(`SELECT name, kind, marking FROM actor WHERE name IN ('Phish Kitten', 'Quiet Partner') ORDER BY name`);
    expect(markings).toEqual([
      { name: 'Phish Kitten', kind: 'CRIME_SYNDICATE', marking: 'GREEN' },
      { name: 'Quiet Partner', kind: 'UNKNOWN', marking: 'AMBER' },
    ]);
    const verbs = await empty.dataSource.query(
      `SELECT c.verb, c.credibility FROM citation c JOIN stix_object x ON x.item_id = c.relation_id WHERE x.stix_id = $1 ORDER BY c.verb::text`,
      ['relationship--5d4d9f3c-0000-4000-8000-000000000007'],
    );
    expect(verbs).toEqual([
      { verb: 'ASSESSES', credibility: 6 },
      { verb: 'REPORTS', credibility: 3 },
    ]);
  });

  test('what came in AMBER, or under an unknown marking, a GREEN reader does not see', async () => {
    const exportTopic = async (key: string, topic: string) =>
      (dataOf(await empty.gqlAs(key, EXPORT, { scope: { topics: [topic] } })).stixBundle as { json: string }).json;
    const green = await exportTopic(keys.green, 'stix-misp');
    const amber = await exportTopic(keys.amber, 'stix-misp');
    expect(amber).toContain('Quiet Partner');
    expect(green).not.toContain('Quiet Partner');
    expect(green).toContain('Phish Kitten');
    const names = (key: string) =>
      empty.gqlAs(key, `{ actors(first: 100) { nodes { name } } }`).then((r) => (dataOf(r).actors.nodes as Array<{ name: string }>).map((a) => a.name));
    expect(await names(keys.amber)).toContain('Quiet Partner');
    expect(await names(keys.green)).not.toContain('Quiet Partner');
    expect(await names(keys.green)).toContain('Phish Kitten');
  });
});

describe('hostile bundles: coded errors, nothing written', () => {
  const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const refused = async (document: string, key = keys.amber) => {
    const before = await rowCounts();
    const response = await empty.gqlAs(key, IMPORT, { document, name: 'hostile' });
    expect(await rowCounts()).toEqual(before);
    expect(response.status).toBe(200);
    return { code: response.body.errors?.[0]?.extensions?.code, message: response.body.errors?.[0]?.message ?? '' };
  };
  const actor = (i: number, extra: Record<string, unknown> = {}) => ({
    type: 'threat-actor',
    spec_version: '2.1',
    id: `threat-actor--${uuid(i)}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    name: `Actor ${i}`,
    ...extra,
  });
  const bundle = (objects: unknown[]) => JSON.stringify({ type: 'bundle', id: `bundle--${uuid(0)}`, objects });

  test('deep nesting', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { x_nested: deep };
    expect(await refused(bundle([actor(1, { x_deep: deep })]))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('nested deeper than 24'),
    });
  });

  test('a huge string', async () => {
    expect(await refused(bundle([actor(1, { description: 'x'.repeat(100_001) })]))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('longer than 100000'),
    });
  });

  test('100,000 objects', async () => {
    const objects = Array.from({ length: 100_000 }, (_, i) => ({ type: 'x-thing', id: `x-thing--${uuid(i)}` }));
    expect(await refused(bundle(objects))).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('more than 50000 objects') });
  });

  test('the same object twice', async () => {
    expect(await refused(bundle([actor(1), actor(1)]))).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('twice') });
  });

  test('a reference to an object the bundle does not hold', async () => {
    const relationship = {
      type: 'relationship',
      spec_version: '2.1',
      id: `relationship--${uuid(9)}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      relationship_type: 'related-to',
      source_ref: `threat-actor--${uuid(1)}`,
      target_ref: `threat-actor--${uuid(2)}`,
    };
    expect(await refused(bundle([actor(1), relationship]))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining(`threat-actor--${uuid(2)}`),
    });
  });

  test('a marking above the importer’s clearance refuses the whole bundle', async () => {
    const red1 = Object.entries(TLP1_MARKING_IDS).find(([, m]) => m === Marking.RED)![0];
    expect(await refused(bundle([actor(1), actor(2, { object_marking_refs: [TLP2_MARKING_IDS[Marking.RED]] })]))).toMatchObject({ code: 'FORBIDDEN' });
    // TLP 1.0's RED is RED too; a GREEN reader may not write TLP 2.0's AMBER+STRICT.
    expect(await refused(bundle([actor(3, { object_marking_refs: [red1] })]))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refused(bundle([actor(4, { object_marking_refs: [TLP2_MARKING_IDS[Marking.AMBER_STRICT]] })]), keys.green)).toMatchObject({
      code: 'FORBIDDEN',
    });
    // A tool's own definition that states AMBER+STRICT (OpenCTI's) is above an AMBER importer too, not AMBER.
    expect(await refused(fixture(OPENCTI), keys.amber)).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('confidence and times a STIX tool cannot have sent: coded errors, not server errors', async () => {
    for (const extra of [
      { confidence: 50.5 },
      { confidence: 1e12 },
      { confidence: -3 },
      { modified: 'yesterday' },
      { created: 'long ago', modified: 'long ago' },
    ]) {
      expect([extra, await refused(bundle([actor(20, extra)]))]).toEqual([extra, expect.objectContaining({ code: 'BAD_USER_INPUT' })]);
    }
  });

  test('not a bundle', async () => {
    expect(await refused(JSON.stringify({ type: 'report', id: `report--${uuid(1)}` }))).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('ids of items the importer may not see', () => {
  const HIDDEN = '00000000-0000-4000-8000-0000000a1d01';
  const FREE = '00000000-0000-4000-8000-0000000a1d02';
  test('a dossier_id naming a hidden item reads as a free one: created under the document’s own id, the hidden item untouched', async () => {
    await empty.dataSource.query(`INSERT INTO actor (id, name, kind, marking, audience) VALUES ($1, 'Hidden actor', 'PERSON', 'RED', '{someone-else}')`, [
      HIDDEN,
    ]);
    const actorExt = extensionId('actor');
    const identity = (n: number, dossierId: string) => ({
      type: 'identity',
      spec_version: '2.1',
      id: `identity--00000000-0000-4000-8000-0000000a1e0${n}`,
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: `Probe ${n}`,
      identity_class: 'individual',
      extensions: { [actorExt]: { extension_type: 'property-extension', dossier_id: dossierId, kind: 'PERSON', aliases: [] } },
    });
    const probe = (n: number, id: string) =>
      JSON.stringify({ type: 'bundle', id: `bundle--00000000-0000-4000-8000-0000000a1f0${n}`, objects: [identity(n, id)] });
    const hidden = await importAs(keys.green, probe(1, HIDDEN), { name: 'probe-hidden' });
    const free = await importAs(keys.green, probe(2, FREE), { name: 'probe-free' });
    expect(free.problems).toEqual([]);
    expect(countsOf(free)).toEqual({ actor: '1/0/0/0/0', topic: '1/0/0/0/0' });
    // The same answer as for an id no item has: nothing tells the importer the hidden actor exists.
    expect(hidden.problems).toEqual([]);
    expect(hidden.kept).toEqual([]);
    expect(countsOf(hidden)).toEqual(countsOf(free));
    const [row] = await empty.dataSource.query(`SELECT name, marking::text AS marking, audience FROM actor WHERE id = $1`, [HIDDEN]);
    expect(row).toEqual({ name: 'Hidden actor', marking: 'RED', audience: ['someone-else'] });
    const [mine] = await empty.dataSource.query(`SELECT id FROM actor WHERE name = 'Probe 1'`);
    expect(mine.id).not.toBe(HIDDEN);
  });
});

describe('granular markings on references', () => {
  test('a granular marking on a report’s object_refs marks the citations made of them, as high as the bundle says', async () => {
    const bundle = JSON.parse(fixture(OPENCTI)) as { objects: Array<Record<string, unknown>> };
    const report = bundle.objects.find((o) => o.id === 'report--21000000-0000-4000-8000-000000000001')!;
    // Which statements the report speaks of is AMBER: the report itself stays GREEN.
    report.granular_markings = [{ marking_ref: TLP2_MARKING_IDS[Marking.AMBER], selectors: ['object_refs'] }];
    const result = await importAs(keys.strict, JSON.stringify(bundle), { name: 'opencti-granular' });
    expect(result.problems).toEqual([]);
    const rows: Array<{ marking: string }> = await empty.dataSource.query(
      `SELECT c.marking::text AS marking FROM citation c JOIN stix_object x ON x.item_id = c.source_id
       WHERE x.stix_id = $1 AND x.document LIKE '%opencti-granular'`,
      ['report--21000000-0000-4000-8000-000000000001'],
    );
    expect(rows.length).toBeGreaterThan(0);
    // AMBER as the granular marking says; the citation of the AMBER+STRICT relation is as strict as its statement.
    expect(rows.map((r) => r.marking).sort()).toEqual(['AMBER', 'AMBER', 'AMBER_STRICT']);
    const [source] = await empty.dataSource.query(
      `SELECT s.marking::text AS marking FROM source s JOIN stix_object x ON x.item_id = s.id WHERE x.stix_id = $1 AND x.document LIKE '%opencti-granular'`,
      ['report--21000000-0000-4000-8000-000000000001'],
    );
    expect(source.marking).toBe('GREEN');
  });
});

describe('concurrent imports of one document', () => {
  test('an older version queued behind a newer one changes nothing: what is stored is read under the document’s lock', async () => {
    const version = (modified: string, name: string) =>
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--00000000-0000-4000-8000-0000000b0001',
        objects: [
          {
            type: 'threat-actor',
            spec_version: '2.1',
            id: 'threat-actor--00000000-0000-4000-8000-0000000b0002',
            created: '2024-01-01T00:00:00.000Z',
            modified,
            name,
          },
        ],
      });
    const older = version('2024-01-01T00:00:00.000Z', 'Queued Actor (old name)');
    const newer = version('2024-06-01T00:00:00.000Z', 'Queued Actor (new name)');
    const { document } = (await importAs(keys.amber, older, { name: 'concurrent', dryRun: true })) as Report & { document: string };
    const runner = empty.dataSource.createQueryRunner();
    await runner.connect();
    const waiting = async (n: number) => {
      for (let i = 0; i < 200; i++) {
        const [{ count }] = await empty.dataSource.query(`SELECT count(*)::int AS count FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
        if (count >= n) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`fewer than ${n} imports waiting`);
    };
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [`import ${document}`]);
      // Both read the document while it is locked; the newer then writes first, the older after it.
      const first = importAs(keys.amber, newer, { name: 'concurrent' });
      await waiting(1);
      const second = importAs(keys.amber, older, { name: 'concurrent' });
      await waiting(2);
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`import ${document}`]);
      const [a, b] = await Promise.all([first, second]);
      expect(a.problems).toEqual([]);
      expect(b.problems).toEqual([]);
      expect(countsOf(b)).toMatchObject({ actor: '0/0/1/0/0' });
    } finally {
      await runner.release();
    }
    const [row] = await empty.dataSource.query(
      `SELECT a.name, x.modified FROM actor a JOIN stix_object x ON x.item_id = a.id WHERE x.stix_id = $1 AND x.document = $2`,
      ['threat-actor--00000000-0000-4000-8000-0000000b0002', document],
    );
    expect(row.name).toBe('Queued Actor (new name)');
    expect(new Date(row.modified).toISOString()).toBe('2024-06-01T00:00:00.000Z');
  });
});

describe('statements of another document', () => {
  test('a bundle naming another’s statement by its dossier_id adds no citation to it', async () => {
    const [topic] = await empty.dataSource.query(`SELECT 1 FROM topic WHERE slug = $1`, [TOPIC]);
    if (!topic) expect((await importAs(keys.lead, (await exportFrom(seeded, keys.seededLead)).json)).applied).toBe(true);
    const exported = (dataOf(await empty.gqlAs(keys.green, EXPORT, { scope: { topics: [TOPIC] } })).stixBundle as { json: string }).json;
    const bundle = JSON.parse(exported) as { objects: Array<Record<string, any>> };
    const citationExt = extensionId('citation');
    const notes = bundle.objects.filter((o) => o.type === 'note' && o.extensions?.[citationExt]);
    expect(notes.length).toBeGreaterThan(0);
    // Fresh citations (new STIX ids, new dossier ids) of the statements as exported.
    notes.forEach((n, i) => {
      const fresh = `00000000-0000-4000-8000-${String(900000 + i).padStart(12, '0')}`;
      n.extensions[citationExt].dossier_id = fresh;
    });
    const count = async () => (await empty.dataSource.query(`SELECT count(*)::int AS n FROM citation`))[0].n as number;
    const before = await count();
    const report = await importAs(keys.green, JSON.stringify(bundle), { name: 'citations-of-another' });
    const created = report.counts.find((c) => c.table === 'citation')?.created ?? 0;
    const [{ n }] = await empty.dataSource
      .query(
        `SELECT count(*)::int AS n FROM citation c WHERE c.id = ANY($1::uuid[]) AND NOT EXISTS (
         SELECT 1 FROM imported_item i WHERE i.document = $2 AND i.item_id IN (c.capability_id, c.challenge_id, c.implication_id, c.event_id, c.relation_id))`,
        [notes.map((x) => x.extensions[citationExt].dossier_id), report.problems.length ? '' : (report as Report & { document: string }).document],
      )
      .catch(() => [{ n: -1 }]);
    expect({ created, attachedToAnother: n, problems: report.problems.length }).toEqual({ created: 0, attachedToAnother: 0, problems: 0 });
    expect(await count()).toBe(before);
  });
});
