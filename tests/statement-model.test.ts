import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { Marking } from '../src/common/marking';
import { createDataSource } from '../src/db/data-source';
import { BriefScheduler } from '../src/modules/brief-run/brief-scheduler';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { loadFixtures } from '../src/modules/fixture/fixture.loader';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { fromGlobalId, toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, type TestServer } from './support/server';

// Statements say what their sources say and nothing more: exact counts beside ranges, judgments with a number and an
// as-of day, what a source does not assess left not assessed, citations that point into a source without quoting it,
// and publishers that take no part in the topic.
let server: TestServer;
let analyst: string;
const TOPIC = 'strait-patrol';

/** A second scenario in the fixture format, unlike the seed: a dataset with nothing to quote, a publisher in no statement. */
const SCENARIO = {
  topic: { key: TOPIC, title: 'Strait patrol', summary: 'Coastguard patrols of a strait.' },
  actors: [
    { key: 'coastguard', name: 'Coastguard', kind: 'ARMED_FORCE' },
    { key: 'harbour-authority', name: 'Harbour Authority', kind: 'GOVERNMENT_BODY' },
    { key: 'statistics-office', name: 'Statistics Office', kind: 'ORGANISATION' },
  ],
  sources: [
    { key: 'fleet-register', name: 'Fleet register dataset', kind: 'OTHER', publisher: 'statistics-office', publishedOn: '2025-01-10', reliability: 'B' },
    { key: 'patrol-report', name: 'Patrol report', kind: 'MEDIA_REPORT', reliability: 'C' },
  ],
  capabilities: [
    {
      key: 'coastguard-vessels',
      actor: 'coastguard',
      category: 'EQUIPMENT',
      statement: 'The coastguard operates 12 patrol vessels.',
      quantity: { best: 12, unit: 'vessels', asStated: 'twelve', exact: true },
      citations: [{ source: 'fleet-register', verb: 'STATES', url: 'https://stats.example.org/fleet.csv', accessedOn: '2025-01-15', credibility: 2 }],
    },
    {
      key: 'coastguard-crews',
      actor: 'coastguard',
      category: 'MANPOWER',
      statement: 'The coastguard has about a thousand crew.',
      quantity: { low: 900, best: 1000, high: 1200, unit: 'crew' },
      citations: [{ source: 'patrol-report', verb: 'ESTIMATES', quote: 'about a thousand crew', page: '4', credibility: 3 }],
    },
  ],
  implications: [
    {
      key: 'patrols-grow',
      statement: 'The coastguard adds patrol vessels.',
      likelihood: 'LIKELY',
      confidence: 'MODERATE',
      scope: 'REGIONAL',
      horizon: 'SHORT_TERM',
      affectedActors: ['coastguard'],
      asOf: '2025-01-15',
      quantity: { low: 2, high: 4, unit: 'more vessels' },
      citations: [{ source: 'patrol-report', verb: 'ASSESSES', quote: 'more boats are coming', credibility: 3 }],
    },
    {
      key: 'patrols-continue',
      statement: 'Patrols continue through the winter.',
      likelihood: 'ROUGHLY_EVEN_CHANCE',
      citations: [{ source: 'patrol-report', verb: 'SPECULATES', quote: 'patrols may well continue', credibility: 4 }],
    },
  ],
};

const fixtureDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-statement-model-'));
  writeFileSync(join(dir, 'strait-patrol.yaml'), JSON.stringify(SCENARIO));
  return dir;
};

const actorId = (key: string) => toGlobalId('Actor', fixtureId('actor', key));
const sourceId = (key: string) => toGlobalId('Source', fixtureId('source', key));
const judgmentId = (key: string) => toGlobalId('Implication', fixtureId('topic', TOPIC, 'implications', key));

const BRIEF = `query($input: BriefInput!) { brief(input: $input) {
  markdown
  implications { statement { text quantity { low best high unit exact } quantityText } likelihood confidence scope horizon asOf confidenceStatement affectedActors }
  actors { name capabilities { text quantity { best exact } quantityText sources { number url page paragraph accessedOn } } }
  sources { number title publisher }
} }`;
const brief = async (extra: Record<string, unknown> = {}) => dataOf(await server.gql(BRIEF, { input: { topics: [TOPIC], ...extra } })).brief;
const JUDGMENT = `mutation($input: ImplicationInput!) { createImplication(input: $input) {
  id statement likelihood confidence scope horizon asOf affectedActors { name } quantity { low best high unit asStated exact }
} }`;
const CAPABILITY = `mutation($input: CapabilityInput!) { createCapability(input: $input) {
  id quantity { best exact } citations { quote url page paragraph accessedOn }
} }`;

beforeAll(async () => {
  server = await startTestServer();
  analyst = (await createKey(server.dataSource.manager, { name: 'model-analyst', role: Role.ANALYST, clearance: Marking.GREEN, organisation: 'org-m' })).key;
  expect(await loadFixtures(server.dataSource, fixtureDir())).toEqual({ loaded: ['strait-patrol.yaml'], unchanged: [] });
});
afterAll(() => server.close());

describe('the fixture format carries exact counts, judgments with numbers and dates, locators and bare publishers', () => {
  test('an exact count renders without "about"; a range renders as before', async () => {
    const { markdown, actors } = await brief();
    const coastguard = actors.find((a: { name: string }) => a.name === 'Coastguard');
    const vessels = coastguard.capabilities.find((c: { text: string }) => c.text.includes('12 patrol vessels'));
    expect(vessels).toMatchObject({ quantity: { best: 12, exact: true }, quantityText: '12 vessels (stated as "twelve")' });
    const crews = coastguard.capabilities.find((c: { text: string }) => c.text.includes('crew'));
    expect(crews).toMatchObject({ quantity: { best: 1000, exact: false }, quantityText: 'about 1,000 (range 900-1,200) crew' });
    expect(markdown).toContain('Quantity: 12 vessels (stated as "twelve").');
    expect(markdown).toContain('Quantity: about 1,000 (range 900-1,200) crew.');
    expect(markdown).not.toContain('about 12');
  });

  test('a judgment carries its number and as-of day, stored and rendered', async () => {
    const stored = dataOf(
      await server.gql(`query($id: ID!) { node(id: $id) { ... on Implication { asOf quantity { low best high unit exact } confidence } } }`, {
        id: judgmentId('patrols-grow'),
      }),
    ).node;
    expect(stored).toEqual({ asOf: '2025-01-15', quantity: { low: 2, best: null, high: 4, unit: 'more vessels', exact: false }, confidence: 'MODERATE' });
    const { markdown, implications } = await brief();
    expect(implications[0]).toMatchObject({ asOf: '2025-01-15', statement: { quantityText: '2-4 more vessels' } });
    expect(markdown).toContain(
      '1. Likely (55-80%): The coastguard adds patrol vessels. Quantity: 2-4 more vessels. As of 15 January 2025. We hold this judgment with moderate confidence. Bears on Coastguard; regional scope, short term horizon.',
    );
  });

  test('what the source does not assess is rendered "not assessed", and the likelihood stays', async () => {
    const { markdown, implications } = await brief();
    expect(implications[1]).toEqual({
      statement: { text: 'Patrols continue through the winter.', quantity: null, quantityText: null },
      likelihood: 'ROUGHLY_EVEN_CHANCE',
      confidence: null,
      scope: null,
      horizon: null,
      asOf: null,
      confidenceStatement: 'Confidence not assessed.',
      affectedActors: [],
    });
    expect(markdown).toContain(
      '2. Roughly even chance (45-55%): Patrols continue through the winter. Confidence not assessed. Affected actors not assessed; scope not assessed, horizon not assessed.',
    );
  });

  test('a citation without a quote is rendered by where it points', async () => {
    const { markdown, actors, sources } = await brief();
    const dataset = sources.find((s: { title: string }) => s.title === 'Fleet register dataset');
    const vessels = actors[0].capabilities.find((c: { text: string }) => c.text.includes('12 patrol vessels'));
    expect(vessels.sources).toEqual([
      { number: dataset.number, url: 'https://stats.example.org/fleet.csv', page: null, paragraph: null, accessedOn: '2025-01-15' },
    ]);
    expect(markdown).toContain(
      `The coastguard operates 12 patrol vessels. Quantity: 12 vessels (stated as "twelve"). [${dataset.number} B2 (<https://stats.example.org/fleet.csv>, accessed 15 January 2025)]`,
    );
    expect(markdown).toMatch(/about a thousand crew\. Quantity: about 1,000 \(range 900-1,200\) crew\. \[\d C3 \(p\. 4\)\]/);
    expect(markdown).toContain('Words in parentheses after a reference say where in the source to look');
  });

  test('a publisher that no statement names is named as publisher, and is no actor of the topic', async () => {
    const { markdown, actors, sources } = await brief();
    expect(sources.find((s: { title: string }) => s.title === 'Fleet register dataset').publisher).toBe('Statistics Office');
    expect(markdown).toMatch(/\d\. Fleet register dataset\. Statistics Office, 10 January 2025\. Reliability B \(usually reliable\)\./);
    expect(actors.map((a: { name: string }) => a.name)).toEqual(['Coastguard']);
    expect(markdown).not.toContain('### Statistics Office');
    const topic = dataOf(await server.gql(`{ topic(slug: "${TOPIC}") { actors { nodes { name } } } }`)).topic;
    // An actor of the file that is no publisher stays an actor of the topic, as before.
    expect(topic.actors.nodes.map((a: { name: string }) => a.name).sort()).toEqual(['Coastguard', 'Harbour Authority']);
    const publisher = dataOf(
      await server.gql(`query($id: ID!) { node(id: $id) { ... on Actor { name topics { totalCount } } } }`, { id: actorId('statistics-office') }),
    );
    expect(publisher.node).toEqual({ name: 'Statistics Office', topics: { totalCount: 0 } });
  });

  test('the fixture format refuses an exact range and a citation that points nowhere, naming the field', async () => {
    const spoilt = (change: (d: any) => void) => {
      const data = structuredClone(SCENARIO) as any;
      change(data);
      const dir = mkdtempSync(join(tmpdir(), 'dossier-statement-model-'));
      writeFileSync(join(dir, 'strait-patrol.yaml'), JSON.stringify(data));
      return loadFixtures(server.dataSource, dir);
    };
    await expect(spoilt((d) => (d.capabilities[1].quantity.exact = true))).rejects.toThrow(
      /capabilities\[1\] \(coastguard-crews\)\.quantity\.exact: an exact quantity has one value/,
    );
    await expect(spoilt((d) => delete d.capabilities[1].citations[0].quote && delete d.capabilities[1].citations[0].page)).rejects.toThrow(
      /capabilities\[1\] \(coastguard-crews\)\.citations\[0\]\.quote: a citation needs a quote or where to look/,
    );
  });
});

describe('the write path takes the same statements', () => {
  test('an exact count and a citation with only a locator are accepted, stored and rendered', async () => {
    const created = dataOf(
      await server.gqlAs(analyst, CAPABILITY, {
        input: {
          topic: TOPIC,
          actor: actorId('harbour-authority'),
          category: 'EQUIPMENT',
          statement: 'The harbour authority owns 3 tugs.',
          quantity: { best: 3, low: 3, high: 3, unit: 'tugs', exact: true },
          citations: [{ source: sourceId('fleet-register'), verb: 'STATES', page: ' 7 ', paragraph: '2.1', credibility: 2 }],
        },
      }),
    ).createCapability;
    expect(created).toMatchObject({
      quantity: { best: 3, exact: true },
      citations: [{ quote: null, url: null, page: '7', paragraph: '2.1', accessedOn: null }],
    });
    const { markdown } = await brief();
    expect(markdown).toMatch(/The harbour authority owns 3 tugs\. Quantity: 3 tugs\. \[\d B2 \(p\. 7, para\. 2\.1\)\]/);
  });

  test('a citation with neither quote nor locator is refused naming the field, and nothing is written', async () => {
    const [before] = await server.dataSource.query(`SELECT count(*)::int AS n FROM citation`);
    const refused = await server.gqlAs(analyst, JUDGMENT, {
      input: {
        topic: TOPIC,
        statement: 'Tugs escort tankers.',
        likelihood: 'LIKELY',
        citations: [{ source: sourceId('fleet-register'), verb: 'STATES', credibility: 2 }],
      },
    });
    expect(refused.status).toBeLessThan(500);
    expect(refused.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('a quote, url, page, paragraph or accessedOn'),
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'input.citations[0].quote' },
    });
    const [after] = await server.dataSource.query(`SELECT count(*)::int AS n FROM citation`);
    expect(after.n).toBe(before.n);
  });

  test('a judgment without confidence, scope, horizon or actors is stored as not assessed, and rendered so', async () => {
    const created = dataOf(
      await server.gqlAs(analyst, JUDGMENT, {
        input: {
          topic: TOPIC,
          statement: 'The strait stays open to traffic.',
          likelihood: 'VERY_LIKELY',
          citations: [{ source: sourceId('patrol-report'), verb: 'ASSESSES', quote: 'the strait will stay open', credibility: 3 }],
        },
      }),
    ).createImplication;
    expect(created).toMatchObject({ likelihood: 'VERY_LIKELY', confidence: null, scope: null, horizon: null, asOf: null, affectedActors: [], quantity: null });
    const [row] = await server.dataSource.query(`SELECT confidence, scope, horizon, as_of, quantity_exact FROM implication WHERE id = $1`, [
      fromGlobalId(created.id, 'id').id,
    ]);
    expect(row).toEqual({ confidence: null, scope: null, horizon: null, as_of: null, quantity_exact: false });
    const { markdown } = await brief();
    expect(markdown).toContain(
      'Very likely (80-95%): The strait stays open to traffic. Confidence not assessed. Affected actors not assessed; scope not assessed, horizon not assessed.',
    );
    // The bottom line too says it, without the context.
    expect(markdown).toMatch(/\n1\. Very likely \(80-95%\): The strait stays open to traffic\. Confidence not assessed\. \[/);

    // Assessed later, and taken back: null removes what was given.
    const UPDATE = `mutation($id: ID!, $input: ImplicationPatch!) { updateImplication(id: $id, input: $input) { confidence horizon asOf quantity { best exact } } }`;
    const assessed = dataOf(
      await server.gqlAs(analyst, UPDATE, {
        id: created.id,
        input: { confidence: 'HIGH', horizon: 'MEDIUM_TERM', asOf: '2025-02-01', quantity: { best: 1, exact: true } },
      }),
    );
    expect(assessed.updateImplication).toEqual({ confidence: 'HIGH', horizon: 'MEDIUM_TERM', asOf: '2025-02-01', quantity: { best: 1, exact: true } });
    const unchanged = dataOf(await server.gqlAs(analyst, UPDATE, { id: created.id, input: { likelihood: 'ALMOST_CERTAIN' } }));
    expect(unchanged.updateImplication).toEqual(assessed.updateImplication);
    const withdrawn = dataOf(await server.gqlAs(analyst, UPDATE, { id: created.id, input: { confidence: null, asOf: null, quantity: null } }));
    expect(withdrawn.updateImplication).toEqual({ confidence: null, horizon: 'MEDIUM_TERM', asOf: null, quantity: null });
  });

  test('a judgment with a number and an as-of day is stored, filtered and ordered by it', async () => {
    const created = dataOf(
      await server.gqlAs(analyst, JUDGMENT, {
        input: {
          topic: TOPIC,
          statement: 'The coastguard boards ships each week.',
          likelihood: 'LIKELY',
          confidence: 'LOW',
          affectedActors: [actorId('coastguard')],
          asOf: '2025-03-01',
          quantity: { best: 40, unit: 'boardings a week', asStated: '40', exact: true },
          citations: [{ source: sourceId('patrol-report'), verb: 'REPORTS', quote: '40 boardings a week', credibility: 3 }],
        },
      }),
    ).createImplication;
    expect(created).toMatchObject({
      confidence: 'LOW',
      scope: null,
      horizon: null,
      asOf: '2025-03-01',
      affectedActors: [{ name: 'Coastguard' }],
      quantity: { low: null, best: 40, high: null, unit: 'boardings a week', asStated: '40', exact: true },
    });
    const { markdown } = await brief({ limitPerSection: 100 });
    expect(markdown).toContain(
      'Likely (55-80%): The coastguard boards ships each week. Quantity: 40 boardings a week (stated as "40"). As of 1 March 2025. We hold this judgment with low confidence. Bears on Coastguard; scope not assessed, horizon not assessed.',
    );

    const LIST = `query($filter: ImplicationFilter, $order: ImplicationOrder, $after: String) {
      implications(filter: $filter, orderBy: $order, first: 1, after: $after) { nodes { statement confidence } pageInfo { endCursor hasNextPage } }
    }`;
    const statements = async (filter: Record<string, unknown>) => {
      const all = dataOf(
        await server.gql(`query($filter: ImplicationFilter) { implications(filter: $filter, first: 100) { nodes { statement } } }`, { filter }),
      );
      return all.implications.nodes.map((n: { statement: string }) => n.statement).sort();
    };
    expect(await statements({ topic: TOPIC, asOfFrom: '2025-02-01' })).toEqual(['The coastguard boards ships each week.']);
    expect(await statements({ topic: TOPIC, asOfTo: '2025-01-31' })).toEqual(['The coastguard adds patrol vessels.']);
    // Not assessed is not "at least LOW".
    expect(await statements({ topic: TOPIC, confidenceAtLeast: 'LOW' })).toEqual([
      'The coastguard adds patrol vessels.',
      'The coastguard boards ships each week.',
    ]);

    // Ordered by confidence, page by page: judgments not assessed come after every grade, none lost or repeated.
    const seen: Array<{ statement: string; confidence: string | null }> = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const result: any = dataOf(await server.gql(LIST, { filter: { topic: TOPIC }, order: { field: 'CONFIDENCE', direction: 'DESC' }, after })).implications;
      seen.push(...result.nodes);
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    expect(seen.map((j) => j.confidence)).toEqual(['MODERATE', 'LOW', null, null]);
    expect(new Set(seen.map((j) => j.statement)).size).toBe(4);
    const byAsOf = dataOf(
      await server.gql(`{ implications(filter: { topic: "${TOPIC}" }, orderBy: { field: AS_OF, direction: DESC }, first: 2) { nodes { asOf } } }`),
    );
    expect(byAsOf.implications.nodes).toEqual([{ asOf: '2025-03-01' }, { asOf: '2025-01-15' }]);
  });
});

describe('the database holds the rules, whoever writes', () => {
  const violation = (sql: string, params: unknown[] = []) =>
    server.dataSource.query(sql, params).then(
      () => null,
      (e: { driverError?: { code?: string; constraint?: string } }) => e.driverError,
    );

  test('a citation row with neither quote nor locator is refused; one with only a locator is taken', async () => {
    const capability = fixtureId('topic', TOPIC, 'capabilities', 'coastguard-vessels');
    const source = fixtureId('source', 'fleet-register');
    const insert = `INSERT INTO citation (id, source_id, verb, credibility, capability_id, quote, url, page, paragraph, accessed_on)
      VALUES (gen_random_uuid(), $1, 'STATES', 2, $2, $3, $4, $5, $6, $7)`;
    expect(await violation(insert, [source, capability, null, null, null, null, null])).toMatchObject({
      code: '23514',
      constraint: 'citation_points_somewhere',
    });
    expect(await violation(insert, [source, capability, null, 'not a link', null, null, null])).toMatchObject({
      code: '23514',
      constraint: 'citation_url_format',
    });
    expect(await violation(insert, [source, capability, null, null, null, null, '2025-01-02'])).toBeNull();
  });

  test('an exact quantity row with a range is refused', async () => {
    const judgment = fixtureId('topic', TOPIC, 'implications', 'patrols-grow');
    expect(await violation(`UPDATE implication SET quantity_exact = true WHERE id = $1`, [judgment])).toMatchObject({
      code: '23514',
      constraint: 'quantity_exact_one_value',
    });
    expect(
      await violation(`UPDATE implication SET quantity_exact = true, quantity_best = 3, quantity_low = 3, quantity_high = 3 WHERE id = $1`, [judgment]),
    ).toBeNull();
    await server.dataSource.query(`UPDATE implication SET quantity_exact = false, quantity_best = NULL, quantity_low = 2, quantity_high = 4 WHERE id = $1`, [
      judgment,
    ]);
  });
});

describe('stored runs compare the new facets, and runs stored before them report no change', () => {
  let scheduler: BriefScheduler;
  let schedulerSource: DataSource;
  beforeAll(async () => {
    schedulerSource = createDataSource(server.databaseUrl);
    await schedulerSource.initialize();
    scheduler = await BriefScheduler.start(schedulerSource, { connectionString: server.databaseUrl, tickMs: 3_600_000, pollSeconds: 0.5 });
  });
  afterAll(async () => {
    await scheduler.stop();
    await schedulerSource.destroy();
  });

  async function runAt(definition: string, year: number) {
    await scheduler.tick(new Date(`${year}-01-01T00:00:05Z`));
    for (let waited = 0; waited < 20_000; waited += 100) {
      const [{ open }] = await server.dataSource.query(
        `SELECT count(*)::int AS open FROM brief_run WHERE definition_id = $1 AND status IN ('QUEUED', 'RUNNING')`,
        [fromGlobalId(definition, 'id').id],
      );
      if (open === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('runs did not finish within 20 s');
  }

  test('a new locator or as-of day is a change; a facet an older run lacks is not', async () => {
    const created = dataOf(
      await server.gql(`mutation($input: BriefDefinitionInput!) { createBriefDefinition(input: $input) { id } }`, {
        input: { name: 'strait', brief: { topics: [TOPIC] }, cron: '0 0 1 1 *', timeZone: 'UTC', formats: ['MARKDOWN'] },
      }),
    ).createBriefDefinition;
    await runAt(created.id, 2027);
    // As a run stored before judgments had these facets: nothing in it can be said to have changed.
    await server.dataSource.query(
      `UPDATE brief_run SET snapshot = (SELECT jsonb_object_agg(k, jsonb_set(v, '{facets}', (v->'facets') - 'asOf' - 'scope' - 'horizon')) FROM jsonb_each(snapshot) AS e(k, v))
       WHERE definition_id = $1`,
      [fromGlobalId(created.id, 'id').id],
    );
    await runAt(created.id, 2028);
    await server.dataSource.query(`UPDATE citation SET page = '5', updated_at = now() WHERE capability_id = $1`, [
      fixtureId('topic', TOPIC, 'capabilities', 'coastguard-vessels'),
    ]);
    await server.dataSource.query(`UPDATE implication SET as_of = '2025-01-20', updated_at = now() WHERE id = $1`, [
      fixtureId('topic', TOPIC, 'implications', 'patrols-grow'),
    ]);
    await runAt(created.id, 2029);
    const runs = dataOf(
      await server.gql(
        `query($d: ID!) { briefRuns(definition: $d) { nodes { scheduledFor delta { added { id } removed { id } changed { id changes } unchanged } } } }`,
        {
          d: created.id,
        },
      ),
    ).briefRuns.nodes;
    const [latest, upgraded] = runs;
    expect(upgraded.delta).toMatchObject({ added: [], removed: [], changed: [] });
    // Capabilities before judgments, as a delta lists them.
    expect(latest.delta.changed).toEqual([
      { id: toGlobalId('Capability', fixtureId('topic', TOPIC, 'capabilities', 'coastguard-vessels')), changes: ['citations'] },
      { id: judgmentId('patrols-grow'), changes: ['asOf'] },
    ]);
  });
});
