import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { fromGlobalId, toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, type GraphQLResponse, type TestServer } from './support/server';

// Relayed reporting: a source (or one citation of it) names the original it passes on. Independence is counted over
// originals, so a relay never corroborates its original, and the brief says "one original source, relayed by n other sources". A
// relay whose original the reader may not see reads as original reporting: nothing the reader gets names, counts or
// groups by the hidden original.
let server: TestServer;
const keys: Record<string, string> = {};
const ids: Record<string, string> = {};

const as = (key: string | null, query: string, variables?: Record<string, unknown>) => server.gqlAs(key === null ? null : keys[key], query, variables);
const write = async (key: string, query: string, variables?: Record<string, unknown>) => Object.values(dataOf(await as(key, query, variables)))[0] as any;
const refusal = (r: GraphQLResponse) => ({ code: r.body.errors?.[0]?.extensions?.code, field: r.body.errors?.[0]?.extensions?.argumentName });

const ACTOR = `mutation($input: ActorInput!) { createActor(input: $input) { id } }`;
const TOPIC = `mutation($input: TopicInput!) { createTopic(input: $input) { id } }`;
const SOURCE = `mutation($input: SourceInput!) { createSource(input: $input) { id relays { id } } }`;
const UPDATE_SOURCE = `mutation($id: ID!, $input: SourcePatch!) { updateSource(id: $id, input: $input) { id version relays { id name } } }`;
const CAPABILITY = `mutation($input: CapabilityInput!) { createCapability(input: $input) { id citations { id relayedFrom { id } } } }`;
const BRIEF = `query($input: BriefInput!) { brief(input: $input) { markdown html marking
  actors { capabilities { id corroborated independentSources relayedBy originalSource sources { number } } }
  sources { id title publisher } gaps { reasons explanation statement { id } } } }`;

const TOPIC_SLUG = 'relay-scenario';
const source = (name: string, extra: Record<string, unknown> = {}) =>
  write('analyst', SOURCE, { input: { name, kind: 'MEDIA_REPORT', reliability: 'C', ...extra } });
const cite = (source: string, extra: Record<string, unknown> = {}) => ({
  source,
  verb: 'REPORTS',
  quote: `${source.slice(-6)} says so`,
  credibility: 2,
  ...extra,
});
const capability = async (statement: string, citations: unknown[], marking = 'CLEAR') =>
  (await write('analyst', CAPABILITY, { input: { topic: TOPIC_SLUG, actor: ids.fleet, category: 'EQUIPMENT', statement, citations, marking } })).id as string;

async function briefAs(key: string | null) {
  return dataOf(await as(key, BRIEF, { input: { topics: [TOPIC_SLUG], limitPerSection: 100 } })).brief;
}
const statementIn = (brief: any, id: string) => brief.actors.flatMap((a: any) => a.capabilities).find((c: any) => c.id === id);

beforeAll(async () => {
  server = await startTestServer();
  const make = async (name: string, role: Role, clearance: Marking) =>
    (keys[name] = (await createKey(server.dataSource.manager, { name, role, clearance, organisation: 'org-r' })).key);
  await make('analyst', Role.ANALYST, Marking.RED);
  await make('amber', Role.VIEWER, Marking.AMBER);
  await make('green', Role.ANALYST, Marking.GREEN);
  const actor = (name: string, marking = 'CLEAR') => write('analyst', ACTOR, { input: { name, kind: 'ORGANISATION', marking } }).then((a) => a.id);
  ids.fleet = await actor('Northern Fleet');
  ids.agency = await actor('Relay Defence Agency');
  ids.wire = await actor('Relay Wire Service');
  ids.monitor = await actor('Relay Maritime Monitor');
  ids.secretService = await actor('Relay Secret Service', 'AMBER');
  await write('analyst', TOPIC, { input: { slug: TOPIC_SLUG, title: 'Relay scenario', summary: 'Who said what first.', actors: [ids.fleet] } });
  ids.original = (await source('Agency update on the fleet', { publisher: ids.agency, reliability: 'B', kind: 'INTELLIGENCE_ASSESSMENT' })).id;
  ids.wireRelay = (await source('Wire story on the agency update', { publisher: ids.wire, relays: ids.original })).id;
  ids.unattributed = (await source('Unattributed blog post', { reliability: 'F' })).id;
  ids.independent = (await source('Monitor report on the fleet', { publisher: ids.monitor })).id;
});
afterAll(() => server.close());

test('a relay never corroborates its original: the brief says one original source, relayed by n other sources', async () => {
  const relayed = await capability('The fleet has four new frigates.', [cite(ids.original), cite(ids.wireRelay)]);
  const corroborated = await capability('The fleet has two new submarines.', [cite(ids.original), cite(ids.independent)]);
  const brief = await briefAs('analyst');
  expect(statementIn(brief, relayed)).toMatchObject({ corroborated: false, independentSources: 1, relayedBy: 1, originalSource: 'Relay Defence Agency' });
  expect(statementIn(brief, corroborated)).toMatchObject({ corroborated: true, independentSources: 2, relayedBy: 0, originalSource: null });
  expect(brief.markdown).toMatch(
    /The fleet has four new frigates\. One original source \(Relay Defence Agency\), relayed by 1 other source\. \[\d B2, \d C2\]/,
  );
  expect(brief.markdown).toMatch(/The fleet has two new submarines\. Corroborated by 2 independent sources\./);
  const gap = brief.gaps.find((g: any) => g.statement.id === relayed);
  expect(gap).toMatchObject({ reasons: ['SINGLE_SOURCED'], explanation: 'Only one original source supports it, relayed by 1 other source.' });
});

test('an unattributed relay adds nothing by itself: its citation speaks with the voice of what it relays', async () => {
  const relayed = await capability('The fleet sails in March.', [cite(ids.original), cite(ids.unattributed, { relayedFrom: ids.original })]);
  const own = await capability('The fleet sails in April.', [cite(ids.original), cite(ids.unattributed)]);
  const onlyRelayed = await capability('The fleet sails in May.', [cite(ids.independent), cite(ids.unattributed, { relayedFrom: ids.original })]);
  const brief = await briefAs('analyst');
  expect(statementIn(brief, relayed)).toMatchObject({ corroborated: false, independentSources: 1, relayedBy: 1, originalSource: 'Relay Defence Agency' });
  // In its own right (no relay recorded), the blog is a voice of its own, as a source with no known publisher always was.
  expect(statementIn(brief, own)).toMatchObject({ corroborated: true, independentSources: 2, relayedBy: 0 });
  // Relaying the agency, it brings the agency's voice beside the monitor's: two originals, one relay.
  expect(statementIn(brief, onlyRelayed)).toMatchObject({ corroborated: true, independentSources: 2, relayedBy: 1, originalSource: null });
  expect(brief.markdown).toContain('The fleet sails in May. Corroborated by 2 independent sources, relayed by 1 other source.');
  // The agency is listed among the sources although only the relay cites it for May.
  expect(brief.sources.map((s: any) => s.title)).toContain('Agency update on the fleet');
});

test('a relay is written through the API with its history, and a relay names the original itself', async () => {
  const relay = (await source('Second wire story')).id;
  expect(refusal(await as('analyst', UPDATE_SOURCE, { id: relay, input: { relays: relay } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.relays' });
  // A relay of a relay would hide who said it first: name the original.
  expect(refusal(await as('analyst', SOURCE, { input: { name: 'Third', kind: 'MEDIA_REPORT', reliability: 'C', relays: ids.wireRelay } }))).toEqual({
    code: 'BAD_USER_INPUT',
    field: 'input.relays',
  });
  // An original relays no other.
  expect(refusal(await as('analyst', UPDATE_SOURCE, { id: ids.original, input: { relays: ids.independent } }))).toEqual({
    code: 'BAD_USER_INPUT',
    field: 'input.relays',
  });
  expect(
    refusal(
      await as('analyst', CAPABILITY, {
        input: {
          topic: TOPIC_SLUG,
          actor: ids.fleet,
          category: 'EQUIPMENT',
          statement: 'x',
          citations: [cite(ids.unattributed, { relayedFrom: ids.unattributed })],
        },
      }),
    ),
  ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.citations[0].relayedFrom' });
  const updated = await write('analyst', UPDATE_SOURCE, { id: relay, input: { relays: ids.original } });
  expect(updated.relays).toEqual({ id: ids.original, name: 'Agency update on the fleet' });
  const history = dataOf(await as('analyst', `query($id: ID!) { history(id: $id) { nodes { operation before after } } }`, { id: relay })).history.nodes;
  expect(history.at(-1)).toMatchObject({ operation: 'UPDATE', before: { relaysId: null }, after: { relaysId: ids.original } });
  const undone = await write('analyst', UPDATE_SOURCE, { id: relay, input: { relays: null } });
  expect(undone.relays).toBeNull();

  // A citation's original is changed through updateCitation, and its history says so.
  const statement = await write('analyst', CAPABILITY, {
    input: { topic: TOPIC_SLUG, actor: ids.fleet, category: 'EQUIPMENT', statement: 'The fleet has a hospital ship.', citations: [cite(ids.unattributed)] },
  });
  const UPDATE_CITATION = `mutation($id: ID!, $input: CitationPatch!) { updateCitation(id: $id, input: $input) { relayedFrom { id } } }`;
  const citation = statement.citations[0].id;
  expect(refusal(await as('analyst', UPDATE_CITATION, { id: citation, input: { relayedFrom: ids.unattributed } }))).toEqual({
    code: 'BAD_USER_INPUT',
    field: 'input.relayedFrom',
  });
  expect((await write('analyst', UPDATE_CITATION, { id: citation, input: { relayedFrom: ids.original } })).relayedFrom).toEqual({ id: ids.original });
  const changes = dataOf(await as('analyst', `query($id: ID!) { history(id: $id) { nodes { operation after } } }`, { id: citation })).history.nodes;
  expect(changes.at(-1)).toMatchObject({ operation: 'UPDATE', after: { relayedFromId: ids.original } });
  expect(statementIn(await briefAs('analyst'), statement.id)).toMatchObject({ independentSources: 1, relayedBy: 1, originalSource: 'Relay Defence Agency' });
});

test('a hidden original is never revealed: not by name, id, grouping or count, in the brief, fields, history or search', async () => {
  // An AMBER original with an AMBER publisher, relayed by two CLEAR sources that a GREEN reader may see.
  const hidden = (
    await source('Secret service assessment of the fleet', {
      publisher: ids.secretService,
      reliability: 'A',
      kind: 'INTELLIGENCE_ASSESSMENT',
      marking: 'AMBER',
    })
  ).id;
  const first = (await source('First open relay', { relays: hidden })).id;
  const second = (await source('Second open relay', { relays: hidden })).id;
  const third = (await source('Third open report')).id;
  const statement = await capability('The fleet has a new tanker.', [cite(first), cite(second), cite(third, { relayedFrom: hidden })]);
  const hiddenUuid = fromGlobalId(hidden, 'id').id;
  const leaks = (text: string) => ['Secret service', 'Relay Secret Service', hidden, hiddenUuid].filter((x) => text.includes(x));

  // Cleared, the reader sees one original, relayed by 3.
  const amber = await briefAs('amber');
  expect(statementIn(amber, statement)).toMatchObject({ corroborated: false, independentSources: 1, relayedBy: 3, originalSource: 'Relay Secret Service' });
  expect(amber.marking).toBe('AMBER');

  // Not cleared, the relays read as original reporting: no name, no id, and counts only of what the reader sees.
  const green = await briefAs('green');
  expect(leaks(JSON.stringify(green))).toEqual([]);
  expect(statementIn(green, statement)).toMatchObject({ independentSources: 3, relayedBy: 0, originalSource: null });
  expect(green.markdown).toContain('- Equipment: The fleet has a new tanker. Corroborated by 3 independent sources. [');
  expect(green.marking).toBe('CLEAR');
  const fields = dataOf(
    await as(
      'green',
      `query($a: ID!, $b: ID!, $s: ID!) { a: node(id: $a) { ... on Source { relays { id } } } b: node(id: $b) { ... on Source { relays { id } } }
        s: node(id: $s) { ... on Capability { citations { relayedFrom { id name } source { name relays { id } } } } } }`,
      { a: first, b: second, s: statement },
    ),
  );
  expect([fields.a, fields.b]).toEqual([{ relays: null }, { relays: null }]);
  expect(fields.s.citations).toHaveLength(3);
  expect(fields.s.citations.every((c: any) => c.relayedFrom === null && c.source.relays === null)).toBe(true);
  const history = dataOf(await as('green', `query($id: ID!) { history(id: $id) { nodes { after } } }`, { id: first })).history.nodes;
  expect(history[0].after.relaysId).toBeNull();
  const search = dataOf(await as('green', `query { search(query: "\\"Secret service assessment\\"") { totalCount } }`)).search;
  expect(search.totalCount).toBe(0);

  // Nothing can be inferred: the GREEN brief is byte for byte the brief of the same data with no relay recorded.
  await server.dataSource.query(`UPDATE source SET relays_id = NULL WHERE relays_id = $1`, [hiddenUuid]);
  await server.dataSource.query(`UPDATE citation SET relayed_from_id = NULL WHERE relayed_from_id = $1`, [hiddenUuid]);
  const unrecorded = await briefAs('green');
  expect(unrecorded.markdown).toBe(green.markdown);
  expect(unrecorded.html).toBe(green.html);
});

test('a visible original counts only the relays the reader may see', async () => {
  const original = (await source('Open original on the fleet', { publisher: ids.monitor })).id;
  const openRelay = (await source('Open relay of the original', { relays: original })).id;
  const amberRelay = (await source('Amber relay of the original', { relays: original, marking: 'AMBER' })).id;
  const statement = await capability('The fleet has a new dock.', [cite(original), cite(openRelay), cite(amberRelay)]);
  const relayedBy = `query($id: ID!) { node(id: $id) { ... on Source { relayedBy { totalCount nodes { name } } } } }`;
  expect(dataOf(await as('green', relayedBy, { id: original })).node.relayedBy).toEqual({ totalCount: 1, nodes: [{ name: 'Open relay of the original' }] });
  expect(dataOf(await as('amber', relayedBy, { id: original })).node.relayedBy.totalCount).toBe(2);
  expect(statementIn(await briefAs('green'), statement)).toMatchObject({ independentSources: 1, relayedBy: 1 });
  expect(statementIn(await briefAs('amber'), statement)).toMatchObject({ independentSources: 1, relayedBy: 2 });
});

test('the seed records the article’s relays and cites its own inference to the article', async () => {
  const article = toGlobalId('Source', fixtureId('source', 'article'));
  const armyRecognition = toGlobalId('Source', fixtureId('source', 'army-recognition-2024-10-19'));
  const CITATIONS = `query($id: ID!) { node(id: $id) { ... on Implication { citations { quote verb source { id } relayedFrom { id } } } ... on Event { citations { quote source { id } relayedFrom { id } } } } }`;
  const readied = toGlobalId('Implication', fixtureId('topic', 'dprk-troops-in-russia', 'implications', 'dprk-forces-readied-for-front-line-combat'));
  const inference = dataOf(await as(null, CITATIONS, { id: readied })).node.citations.find((c: any) => c.quote.startsWith('The footage suggests'));
  expect(inference).toEqual({ quote: expect.any(String), verb: 'ASSESSES', source: { id: article }, relayedFrom: null });
  const videos = toGlobalId('Event', fixtureId('topic', 'dprk-troops-in-russia', 'events', 'army-recognition-reports-videos'));
  const relayed = dataOf(await as(null, CITATIONS, { id: videos })).node.citations.find((c: any) => c.source.id === article);
  expect(relayed.relayedFrom).toEqual({ id: armyRecognition });

  const brief = dataOf(
    await as(
      null,
      `query { brief(input: { topics: ["dprk-troops-in-russia"] }) { markdown implications { statement { id independentSources corroborated } } } }`,
    ),
  ).brief;
  expect(brief.implications.find((j: any) => j.statement.id === readied).statement).toEqual({ id: readied, independentSources: 2, corroborated: true });
  expect(brief.markdown).not.toContain('Corroborated by 3 independent sources');
  expect(brief.markdown).toContain('in joint exercises with Russian forces. One original source (Army Recognition), relayed by 1 other source.');
  expect(brief.markdown).toContain('no date given. One original source (UK Defence Intelligence), relayed by 1 other source.');
  expect(brief.markdown).toContain(
    'faces substantial challenges. We hold this judgment with moderate confidence. One original source (UK Defence Intelligence), relayed by 1 other source.',
  );
});

test('the import format records relays, and refuses a relay of a relay or of an unknown key', async () => {
  const IMPORT = `mutation($document: String!) { importData(format: DOSSIER, document: $document) { applied problems { path message } } }`;
  const doc = (sources: unknown[], citation: Record<string, unknown>) =>
    JSON.stringify({
      topic: { key: 'relay-import', title: 'Relay import', summary: 'Relays in a document.', marking: 'CLEAR' },
      actors: [{ key: 'fleet', name: 'Import Fleet', kind: 'ORGANISATION', marking: 'CLEAR' }],
      sources,
      capabilities: [
        {
          key: 'ships',
          actor: 'fleet',
          category: 'EQUIPMENT',
          statement: 'The import fleet has ships.',
          marking: 'CLEAR',
          citations: [{ source: 'original', verb: 'STATES', quote: 'ships', credibility: 2, marking: 'CLEAR' }, citation],
        },
      ],
    });
  const src = (key: string, extra: Record<string, unknown> = {}) => ({
    key,
    name: `Import ${key}`,
    kind: 'MEDIA_REPORT',
    reliability: 'C',
    marking: 'CLEAR',
    ...extra,
  });
  const importDoc = async (document: string) => dataOf(await as('analyst', IMPORT, { document })).importData;
  const cited = (source: string, relayedFrom?: string) => ({
    source,
    ...(relayedFrom ? { relayedFrom } : {}),
    verb: 'STATES',
    quote: 'ships too',
    credibility: 2,
    marking: 'CLEAR',
  });

  expect((await importDoc(doc([src('original'), src('relay', { relays: 'original' }), src('blog')], cited('blog', 'nowhere')))).problems).toEqual([
    expect.objectContaining({ path: 'capabilities[0] (ships).citations[1].relayedFrom' }),
  ]);
  expect((await importDoc(doc([src('original'), src('relay', { relays: 'original' }), src('blog', { relays: 'relay' })], cited('blog')))).problems).toEqual([
    { path: 'sources[2] (blog).relays', message: '"relay" relays another: name the original it relays' },
  ]);
  const report = await importDoc(doc([src('original'), src('relay', { relays: 'original' }), src('blog')], cited('blog', 'original')));
  expect(report).toEqual({ applied: true, problems: [] });
  const brief = dataOf(await as('analyst', BRIEF, { input: { topics: ['relay-import'] } })).brief;
  expect(brief.actors[0].capabilities[0]).toMatchObject({ independentSources: 1, relayedBy: 1 });
  const [relay] = await server.dataSource.query(`SELECT o.name FROM source r JOIN source o ON o.id = r.relays_id WHERE r.name = 'Import relay'`);
  expect(relay).toEqual({ name: 'Import original' });
});

test('an import holds to the rule of relays against what is stored: an original relays no other, a relay names the original', async () => {
  const IMPORT = `mutation($document: String!) { importData(format: DOSSIER, document: $document) { applied problems { path message } } }`;
  const src = (key: string, extra: Record<string, unknown> = {}) => ({
    key,
    name: `Stored ${key}`,
    kind: 'MEDIA_REPORT',
    reliability: 'C',
    marking: 'CLEAR',
    ...extra,
  });
  const doc = (sources: unknown[]) =>
    JSON.stringify({
      topic: { key: 'relay-stored', title: 'Relays against the stored', summary: 'Relays checked against what is stored.', marking: 'CLEAR' },
      actors: [{ key: 'fleet', name: 'Stored Fleet', kind: 'ORGANISATION', marking: 'CLEAR' }],
      sources,
      capabilities: [
        {
          key: 'ships',
          actor: 'fleet',
          category: 'EQUIPMENT',
          statement: 'The stored fleet has ships.',
          marking: 'CLEAR',
          citations: ['original', 'blog'].map((source) => ({ source, verb: 'STATES', quote: `${source} says ships`, credibility: 2, marking: 'CLEAR' })),
        },
      ],
    });
  const importDoc = async (document: string) => dataOf(await as('analyst', IMPORT, { document })).importData;
  expect(await importDoc(doc([src('original'), src('blog')]))).toEqual({ applied: true, problems: [] });
  // Through the API, a source now relays the document's blog: the blog is an original.
  const [blog] = await server.dataSource.query(`SELECT id FROM source WHERE name = 'Stored blog'`);
  await source('Relay of the stored blog', { relays: toGlobalId('Source', blog.id) });
  expect(await importDoc(doc([src('original'), src('blog', { relays: 'original' })]))).toEqual({
    applied: false,
    problems: [{ path: 'sources[1] (blog).relays', message: 'other reporting relays this source: an original relays no other' }],
  });
  const [stored] = await server.dataSource.query(`SELECT relays_id FROM source WHERE id = $1`, [blog.id]);
  expect(stored.relays_id).toBeNull();
});
