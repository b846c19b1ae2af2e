import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { dataOf, startTestServer, type TestServer } from './support/server';

// importData: a document of the import format stored whole or not at all, as its importer, within its clearance;
// importing it again changes only what it wrote and nobody changed since.
let server: TestServer;
const keys: Record<string, string> = {};

const IMPORT = `mutation($document: String!, $name: String, $dryRun: Boolean) {
  importData(format: DOSSIER, document: $document, name: $name, dryRun: $dryRun) {
    document applied dryRun counts { table created updated unchanged retracted kept } kept { path reason } problems { path message }
  } }`;
type Report = {
  document: string;
  applied: boolean;
  dryRun: boolean;
  counts: Array<{ table: string; created: number; updated: number; unchanged: number; retracted: number; kept: number }>;
  kept: Array<{ path: string; reason: string }>;
  problems: Array<{ path: string; message: string }>;
};
const importAs = async (key: string, document: unknown, extra: Record<string, unknown> = {}): Promise<Report> =>
  dataOf(await server.gqlAs(keys[key], IMPORT, { document: typeof document === 'string' ? document : JSON.stringify(document), ...extra })).importData;
/** Sums of the counts over all tables. */
const totals = (r: Report) =>
  r.counts.reduce(
    (t, c) => ({
      created: t.created + c.created,
      updated: t.updated + c.updated,
      unchanged: t.unchanged + c.unchanged,
      retracted: t.retracted + c.retracted,
      kept: t.kept + c.kept,
    }),
    { created: 0, updated: 0, unchanged: 0, retracted: 0, kept: 0 },
  );
const countOf = (r: Report, table: string) => r.counts.find((c) => c.table === table)!;

/** A second scenario, unlike the seed: patrols in a strait. */
function strait(): any {
  return {
    topic: { key: 'strait-patrols', title: 'Patrols in the strait', summary: 'Coastguard patrols and what they meet.', marking: 'GREEN' },
    actors: [
      { key: 'coastguard', name: 'Strait Coastguard', kind: 'ARMED_FORCE', marking: 'GREEN' },
      { key: 'port-authority', name: 'Port Authority', kind: 'GOVERNMENT_BODY', marking: 'GREEN' },
    ],
    locations: [{ key: 'narrows', name: 'The Narrows', kind: 'AREA', latitude: 12.5, longitude: 43.3, marking: 'GREEN' }],
    sources: [{ key: 'patrol-log', name: 'Coastguard patrol log', kind: 'OFFICIAL_STATEMENT', reliability: 'B', marking: 'GREEN' }],
    capabilities: [
      {
        key: 'patrol-boats',
        actor: 'coastguard',
        category: 'EQUIPMENT',
        statement: 'The coastguard has 12 patrol boats.',
        quantity: { best: 12, exact: true, unit: 'boats' },
        marking: 'GREEN',
        citations: [{ source: 'patrol-log', verb: 'STATES', quote: 'twelve boats', credibility: 2, marking: 'GREEN' }],
      },
      {
        key: 'night-patrols',
        actor: 'coastguard',
        category: 'TACTICS',
        statement: 'The coastguard patrols at night.',
        marking: 'GREEN',
        citations: [{ source: 'patrol-log', verb: 'REPORTS', page: '4', credibility: 3, marking: 'GREEN' }],
      },
    ],
    challenges: [
      {
        key: 'fuel',
        actor: 'coastguard',
        category: 'LOGISTICS',
        statement: 'Fuel is short.',
        marking: 'GREEN',
        citations: [{ source: 'patrol-log', verb: 'REPORTS', quote: 'fuel is short', credibility: 3, marking: 'GREEN' }],
      },
    ],
    implications: [
      {
        key: 'more-patrols',
        statement: 'Patrols will increase.',
        likelihood: 'LIKELY',
        affectedActors: ['coastguard', 'port-authority'],
        marking: 'GREEN',
        citations: [{ source: 'patrol-log', verb: 'ASSESSES', quote: 'patrols will increase', credibility: 3, marking: 'GREEN' }],
      },
    ],
    events: [
      {
        key: 'boarding',
        title: 'Boarding in the Narrows',
        occurredOn: '2025-01-10',
        precision: 'DAY',
        location: 'narrows',
        actors: ['coastguard'],
        marking: 'GREEN',
        citations: [{ source: 'patrol-log', verb: 'REPORTS', quote: 'boarded a vessel', credibility: 2, marking: 'GREEN' }],
      },
    ],
  };
}

const TABLES = ['topic', 'actor', 'location', 'source', 'citation', 'capability', 'challenge', 'implication', 'event', 'actor_relation'];
const OTHER = ['topic_actor', 'implication_actor', 'event_actor', 'actor_external_id', 'imported_item', 'release'];
/** The newest transaction that wrote any row of the tables an import touches. */
const newestWrite = async (): Promise<number> =>
  (
    await server.dataSource.query(
      `SELECT max(x) AS n FROM (${[...TABLES, ...OTHER].map((t) => `SELECT max(xmin::text::bigint) AS x FROM ${t}`).join(' UNION ALL ')}) w`,
    )
  )[0].n;
const rowCount = async (table: string, where = 'true') => (await server.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`))[0].n;

const NODE = `query($id: ID!) { node(id: $id) { ... on Capability { statement version retractedAt retractionReason } } }`;
const STRAIT = `query { topic(slug: "strait-patrols") { title capabilities { totalCount nodes { id statement } } actors { nodes { name } } } }`;

beforeAll(async () => {
  server = await startTestServer();
  const make = async (name: string, role: Role, clearance: Marking, organisation: string) =>
    (keys[name] = (await createKey(server.dataSource.manager, { name, role, clearance, organisation })).key);
  await make('analyst', Role.ANALYST, Marking.AMBER, 'org-i');
  await make('colleague', Role.ANALYST, Marking.AMBER, 'org-i');
  await make('outsider', Role.ANALYST, Marking.AMBER, 'org-x');
  await make('green', Role.ANALYST, Marking.GREEN, 'org-g');
  await make('viewer', Role.VIEWER, Marking.AMBER, 'org-i');
});
afterAll(() => server.close());

describe('a new scenario goes in through importData', () => {
  test('a dry run counts what it would write and stores nothing', async () => {
    const before = await newestWrite();
    const report = await importAs('analyst', strait(), { dryRun: true });
    expect(report).toMatchObject({ document: 'principal:org-i/analyst/strait-patrols', applied: false, dryRun: true, problems: [] });
    expect(totals(report)).toEqual({ created: 15, updated: 0, unchanged: 0, retracted: 0, kept: 0 });
    expect(await newestWrite()).toBe(before);
    expect((await server.gqlAs(keys.analyst, STRAIT)).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  test('the import stores all of it, as the importer, and answers the counts', async () => {
    const report = await importAs('analyst', strait());
    expect(report).toMatchObject({ applied: true, dryRun: false, problems: [], kept: [] });
    expect(countOf(report, 'capability')).toEqual({ table: 'capability', created: 2, updated: 0, unchanged: 0, retracted: 0, kept: 0 });
    expect(countOf(report, 'citation').created).toBe(5);
    const topic = dataOf(await server.gqlAs(keys.analyst, STRAIT)).topic;
    expect(topic.capabilities.totalCount).toBe(2);
    expect(topic.actors.nodes.map((a: { name: string }) => a.name).sort()).toEqual(['Port Authority', 'Strait Coastguard']);
    // Written as the importer: GREEN items of its organisation, which another organisation's GREEN reader reads too.
    expect(await rowCount('capability', `organisation = 'org-i' AND marking = 'GREEN'`)).toBe(2);
    expect(dataOf(await server.gqlAs(keys.green, STRAIT)).topic.capabilities.totalCount).toBe(2);
    expect((await server.gqlAs(null, STRAIT)).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  test('the same document twice changes nothing the second time: no row is written', async () => {
    const before = await newestWrite();
    const report = await importAs('analyst', strait());
    expect(report.applied).toBe(true);
    expect(totals(report)).toEqual({ created: 0, updated: 0, unchanged: 15, retracted: 0, kept: 0 });
    expect(await newestWrite()).toBe(before);
  });

  test('a changed document updates its items, retracts what it dropped, and restores what comes back', async () => {
    const doc = strait();
    doc.capabilities[0].statement = 'The coastguard has 14 patrol boats.';
    doc.capabilities[0].quantity.best = 14;
    doc.implications[0].affectedActors = ['coastguard'];
    const dropped = doc.challenges.pop();
    const report = await importAs('analyst', doc);
    expect(countOf(report, 'capability')).toMatchObject({ updated: 1, unchanged: 1 });
    // A link is part of its judgment: one fewer affected actor is an update of it.
    expect(countOf(report, 'implication')).toMatchObject({ updated: 1 });
    expect(countOf(report, 'challenge')).toMatchObject({ retracted: 1 });
    expect(countOf(report, 'citation')).toMatchObject({ retracted: 1, unchanged: 4 });
    const reason = (await server.dataSource.query(`SELECT retraction_reason FROM challenge WHERE statement = 'Fuel is short.'`))[0].retraction_reason;
    expect(reason).toBe('no longer in the document principal:org-i/analyst/strait-patrols');
    expect(dataOf(await server.gqlAs(keys.analyst, `query { topic(slug: "strait-patrols") { challenges { totalCount } } }`)).topic.challenges.totalCount).toBe(
      0,
    );
    doc.challenges.push(dropped);
    const back = await importAs('analyst', doc);
    expect(countOf(back, 'challenge')).toMatchObject({ updated: 1 });
    expect(await rowCount('challenge', `statement = 'Fuel is short.' AND retracted_at IS NULL AND retraction_reason IS NULL`)).toBe(1);
  });

  test('an item an analyst changed through the API is left as it is, and so is one written by anyone else', async () => {
    const topic = dataOf(await server.gqlAs(keys.analyst, STRAIT)).topic;
    const night = topic.capabilities.nodes.find((c: { statement: string }) => c.statement.includes('night'));
    const { node } = dataOf(await server.gqlAs(keys.colleague, NODE, { id: night.id }));
    const edited = dataOf(
      await server.gqlAs(
        keys.colleague,
        `mutation($id: ID!, $v: Int) { updateCapability(id: $id, version: $v, input: { statement: "The coastguard patrols at night, with drones." }) { version } }`,
        { id: night.id, v: node.version },
      ),
    ).updateCapability;
    const doc = strait();
    doc.capabilities[1].statement = 'The coastguard patrols at night and at dawn.';
    const report = await importAs('analyst', doc);
    expect(countOf(report, 'capability').kept).toBe(1);
    expect(report.kept).toContainEqual({ path: 'capabilities[1] (night-patrols)', reason: 'changed through the API since it was imported: left as it is' });
    expect(dataOf(await server.gqlAs(keys.analyst, NODE, { id: night.id })).node).toMatchObject({
      statement: 'The coastguard patrols at night, with drones.',
      version: edited.version,
    });
    // Dropped from the document after the analyst's change: still left.
    doc.capabilities.pop();
    const dropped = await importAs('analyst', doc);
    expect(countOf(dropped, 'capability')).toMatchObject({ kept: 1, retracted: 0 });
    expect(dataOf(await server.gqlAs(keys.analyst, NODE, { id: night.id })).node.retractedAt).toBeNull();
  });

  test('another organisation importing the same document gets its own items and changes nothing of the first', async () => {
    const before = await rowCount('capability', `organisation = 'org-i'`);
    const doc = strait();
    doc.topic.key = 'strait-patrols-x';
    doc.capabilities[0].statement = 'Org X says: 13 boats.';
    const report = await importAs('outsider', doc);
    expect(report).toMatchObject({ applied: true, document: 'principal:org-x/outsider/strait-patrols-x' });
    // Same names, same kinds: the actors org-i wrote are the same actors, used as they are.
    expect(countOf(report, 'actor')).toMatchObject({ created: 0, kept: 2 });
    expect(report.kept.find((k) => k.path === 'actors[0] (coastguard)')!.reason).toMatch(
      /^Actor "Strait Coastguard" \(.+\) is named "Strait Coastguard": it is used as it is$/,
    );
    expect(await rowCount('capability', `organisation = 'org-i'`)).toBe(before);
    expect(await rowCount('actor', `name = 'Strait Coastguard'`)).toBe(1);
  });

  test('an actor the seed has already is reused, never created twice', async () => {
    const doc = strait();
    doc.topic.key = 'strait-and-russia';
    doc.actors.push({ key: 'rf', name: 'Russia', kind: 'STATE', marking: 'CLEAR' });
    doc.capabilities[0].actor = 'rf';
    const report = await importAs('analyst', doc);
    expect(report.applied).toBe(true);
    expect(report.kept.map((k) => k.path)).toContain('actors[2] (rf)');
    expect(await rowCount('actor', `name = 'Russia'`)).toBe(1);
    const seedRussia = (await server.dataSource.query(`SELECT id FROM actor WHERE name = 'Russia'`))[0].id;
    expect(await rowCount('capability', `actor_id = '${seedRussia}' AND statement = 'The coastguard has 12 patrol boats.'`)).toBe(1);
  });

  test('two documents of one owner sharing a key each have their own item under it', async () => {
    const first = strait();
    first.topic.key = 'keys-one';
    first.sources[0].name = 'Harbour log';
    const second = strait();
    second.topic.key = 'keys-two';
    second.sources[0].name = 'Radar log';
    expect((await importAs('analyst', first)).applied).toBe(true);
    expect((await importAs('analyst', second)).applied).toBe(true);
    const cited = async (topic: string) =>
      (
        await server.dataSource.query(
          `SELECT DISTINCT s.name FROM citation c JOIN source s ON s.id = c.source_id JOIN capability k ON k.id = c.capability_id JOIN topic t ON t.id = k.topic_id WHERE t.slug = $1`,
          [topic],
        )
      ).map((r: { name: string }) => r.name);
    expect(await cited('keys-one')).toEqual(['Harbour log']);
    expect(await cited('keys-two')).toEqual(['Radar log']);
  });
});

describe('an import never releases anything, and a bad one stores nothing', () => {
  const refused = async (key: string, doc: unknown) => {
    const before = await newestWrite();
    const report = await importAs(key, doc);
    expect(report.applied).toBe(false);
    expect(report.counts).toEqual([]);
    expect(await newestWrite()).toBe(before);
    return report.problems;
  };

  test('above the importer’s clearance, every such item is a problem naming its path', async () => {
    const doc = strait();
    doc.topic.key = 'amber-strait';
    for (const item of [doc.topic, doc.capabilities[0]]) item.marking = 'AMBER';
    expect(await refused('green', doc)).toEqual([
      { path: 'topic.marking', message: 'cannot write above your own clearance (GREEN)' },
      { path: 'capabilities[0] (patrol-boats).marking', message: 'cannot write above your own clearance (GREEN)' },
    ]);
  });

  test('a citation read by more people than its source, or a statement resting only on sources fewer may read', async () => {
    const doc = strait();
    doc.topic.key = 'leaky-strait';
    doc.sources[0].marking = 'AMBER';
    expect(await refused('analyst', doc)).toEqual(
      expect.arrayContaining([
        { path: 'capabilities[0] (patrol-boats).citations[0].marking', message: 'a citation cannot be read by more people than its source' },
        {
          path: 'capabilities[0] (patrol-boats).marking',
          message: 'the statement would rest only on sources fewer people may read than may read it: mark it higher',
        },
      ]),
    );
  });

  test('lowering the marking of an item it wrote is a release, which an import does not make', async () => {
    const doc = strait();
    doc.topic.key = 'release-strait';
    doc.capabilities[1].marking = 'AMBER';
    doc.capabilities[1].citations[0].marking = 'AMBER';
    expect((await importAs('analyst', doc)).applied).toBe(true);
    doc.capabilities[1].marking = 'GREEN';
    doc.capabilities[1].citations[0].marking = 'GREEN';
    expect(await refused('analyst', doc)).toEqual([
      {
        path: 'capabilities[1] (night-patrols).marking',
        message: 'more people could read it than now: that is a release, made through the API with its reason',
      },
      {
        path: 'capabilities[1] (night-patrols).citations[0].marking',
        message: 'more people could read it than now: that is a release, made through the API with its reason',
      },
    ]);
  });

  test('a reference to what the importer may not see is no reference at all', async () => {
    const doc = strait();
    doc.topic.key = 'red-reference';
    // A seed source made RED for someone else: the importer is told what it is told of a key nobody defined.
    await server.dataSource.query(`UPDATE source SET marking = 'RED', audience = '{demo/lead-analyst}' WHERE id = $1`, [
      fixtureId('source', 'nato-sg-statement'),
    ]);
    doc.capabilities[0].citations[0].source = 'nato-sg-statement';
    const hidden = await refused('analyst', doc);
    doc.capabilities[0].citations[0].source = 'no-such-source';
    expect(hidden).toEqual([{ path: 'capabilities[0] (patrol-boats).citations[0].source', message: 'no source has key "nato-sg-statement"' }]);
    expect(await refused('analyst', doc)).toEqual([
      { path: 'capabilities[0] (patrol-boats).citations[0].source', message: 'no source has key "no-such-source"' },
    ]);
    // A CLEAR one of the seed is found by its key.
    doc.capabilities[0].citations[0].source = 'pentagon-statement';
    expect((await importAs('analyst', doc)).applied).toBe(true);
  });

  test('not the format: problems with paths, and nothing stored', async () => {
    const doc = strait();
    doc.capabilities[0].citations[0].credibility = 9;
    doc.events[0].location = 'atlantis';
    const problems = await refused('analyst', doc);
    expect(problems).toEqual([{ path: 'capabilities[0] (patrol-boats).citations[0].credibility', message: expect.stringContaining('6') }]);
    expect(await refused('analyst', 'topic: [unclosed')).toEqual([{ path: '(document)', message: expect.stringMatching(/^not valid YAML/) }]);
    doc.capabilities[0].citations[0].credibility = 2;
    expect(await refused('analyst', doc)).toEqual([{ path: 'events[0] (boarding).location', message: 'no location has key "atlantis"' }]);
    doc.events[0].location = 'narrows';
    doc.actors[0].kind = 'VESSELS';
    expect(await refused('analyst', doc)).toEqual([
      { path: 'actors[0] (coastguard).kind', message: expect.stringMatching(/^"VESSELS" is not a term of the actor-kind vocabulary; close terms: VESSEL/) },
    ]);
  });

  test('only writers import: a viewer is FORBIDDEN, an anonymous caller UNAUTHENTICATED', async () => {
    const codes = async (key: string | null) =>
      (await server.gqlAs(key, IMPORT, { document: JSON.stringify(strait()) })).body.errors?.map((e) => e.extensions?.code);
    expect(await codes(keys.viewer)).toEqual(['FORBIDDEN']);
    expect(await codes(null)).toEqual(['UNAUTHENTICATED']);
    const bad = await server.gqlAs(keys.analyst, IMPORT, { document: '{}', name: '../etc' });
    expect(bad.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'name' });
  });
});
