import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { fromGlobalId, toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, TestServer } from './support/server';

// Markings hold through writes: lowering is a release (a role, an organisation, a reason, a record, a floor), and
// citations are read only with their statement.
let server: TestServer;
const keys: Record<string, string> = {};
const article = toGlobalId('Source', fixtureId('source', 'article'));
const amberSource = '00000000-0000-4000-8000-0000000a0501';
const interpreterShortage = toGlobalId('Challenge', fixtureId('topic', 'dprk-troops-in-russia', 'challenges', 'interpreter-shortage'));

const CREATE = `mutation($input: ImplicationInput!) { createImplication(input: $input) { id marking organisation audience citations { id } } }`;
const UPDATE = `mutation($id: ID!, $input: ImplicationPatch!) { updateImplication(id: $id, input: $input) { marking audience } }`;
const REMARK = `mutation($id: ID!, $input: CitationPatch!) { updateCitation(id: $id, input: $input) { marking } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Implication { statement } ... on Challenge { statement } ... on Citation { quote } } }`;
const RELEASES = `query($item: ID!) { releases(item: $item) { item fromMarking toMarking fromAudience toAudience reason releasedBy } }`;
const QUOTES = `query($id: ID!) { source(id: $id) { citations(first: 100) { totalCount nodes { quote } } } }`;

const judgment = (extra: Record<string, unknown>, quote = 'a quote') => ({
  topic: 'dprk-troops-in-russia',
  statement: 'North Korean units rotate out of the Kursk region before spring.',
  likelihood: 'UNLIKELY',
  confidence: 'LOW',
  scope: 'CONFLICT',
  horizon: 'SHORT_TERM',
  citations: [{ source: article, verb: 'ASSESSES', quote, credibility: 4 }],
  ...extra,
});

const codeOf = (r: { body: { errors?: Array<{ extensions?: Record<string, any> }> } }) => r.body.errors?.[0]?.extensions?.code;
const fieldOf = (r: { body: { errors?: Array<{ extensions?: Record<string, any> }> } }) => r.body.errors?.[0]?.extensions?.argumentName;
const releaseCount = async () => (await server.dataSource.query(`SELECT count(*)::int AS n FROM release`))[0].n;
const quotesAs = async (key: string | null, source = article) =>
  JSON.stringify(dataOf(await server.gqlAs(key, QUOTES, { id: source })).source?.citations.nodes ?? []);

const make = async (name: string, role: Role, clearance: Marking, organisation: string) =>
  (keys[`${organisation}/${name}`] = (await createKey(server.dataSource.manager, { name, role, clearance, organisation })).key);

beforeAll(async () => {
  server = await startTestServer();
  await make('analyst', Role.ANALYST, Marking.AMBER, 'org-a');
  await make('member', Role.ANALYST, Marking.RED, 'org-a');
  await make('viewer', Role.VIEWER, Marking.RED, 'org-a');
  await make('releaser', Role.RELEASER, Marking.RED, 'org-a');
  await make('admin', Role.ADMIN, Marking.RED, 'org-a');
  await make('releaser', Role.RELEASER, Marking.RED, 'org-b');
  await server.dataSource.query(
    `INSERT INTO source (id, name, kind, reliability, marking) VALUES ($1, 'An AMBER liaison report', 'INTELLIGENCE_ASSESSMENT', 'B', 'AMBER')`,
    [amberSource],
  );
});
afterAll(() => server.close());

test('an analyst cannot declassify; an ADMIN releases an item of no organisation, with a reason, on the record', async () => {
  const declassify = { id: interpreterShortage, input: { marking: 'CLEAR' } };
  const CHALLENGE = `mutation($id: ID!, $input: ChallengePatch!) { updateChallenge(id: $id, input: $input) { marking } }`;
  expect(codeOf(await server.gqlAs(keys['org-a/analyst'], CHALLENGE, declassify))).toBe('FORBIDDEN');
  expect(codeOf(await server.gqlAs(keys['org-a/releaser'], CHALLENGE, declassify))).toBe('FORBIDDEN');
  expect(codeOf(await server.gqlAs(null, NODE, { id: interpreterShortage }))).toBe('NOT_FOUND');
  expect(fieldOf(await server.gqlAs(keys['org-a/admin'], CHALLENGE, declassify))).toBe('input.releaseReason');
  expect(await releaseCount()).toBe(0);

  const reason = 'Confirmed in open reporting; no source at risk.';
  dataOf(await server.gqlAs(keys['org-a/admin'], CHALLENGE, { id: interpreterShortage, input: { marking: 'CLEAR', releaseReason: reason } }));
  expect(dataOf(await server.gqlAs(null, NODE, { id: interpreterShortage })).node.statement).toContain('With few North Korean soldiers fluent in Russian');
  expect(dataOf(await server.gqlAs(keys['org-a/admin'], RELEASES, { item: interpreterShortage })).releases).toEqual([
    { item: interpreterShortage, fromMarking: 'AMBER', toMarking: 'CLEAR', fromAudience: [], toAudience: [], reason, releasedBy: 'org-a/admin' },
  ]);
  expect(codeOf(await server.gqlAs(keys['org-a/analyst'], RELEASES, { item: interpreterShortage }))).toBe('FORBIDDEN');

  // Raising is open to whoever may read and write it, and is not a release.
  expect(dataOf(await server.gqlAs(keys['org-a/analyst'], CHALLENGE, { id: interpreterShortage, input: { marking: 'AMBER' } })).updateChallenge.marking).toBe(
    'AMBER',
  );
  expect(codeOf(await server.gqlAs(null, NODE, { id: interpreterShortage }))).toBe('NOT_FOUND');
  expect(await releaseCount()).toBe(1);
});

test('a RED audience member can narrow the audience but not widen it or lower the marking; a releaser of the organisation can', async () => {
  const red = dataOf(await server.gqlAs(keys['org-a/member'], CREATE, { input: judgment({ marking: 'RED', audience: ['org-a/releaser'] }) })).createImplication;
  expect(red).toMatchObject({ organisation: 'org-a', audience: ['org-a/member', 'org-a/releaser'] });
  expect(codeOf(await server.gqlAs(keys['org-a/member'], UPDATE, { id: red.id, input: { marking: 'CLEAR' } }))).toBe('FORBIDDEN');
  const widen = { id: red.id, input: { audience: ['org-a/member', 'org-a/releaser', 'org-b/releaser'] } };
  expect(codeOf(await server.gqlAs(keys['org-a/member'], UPDATE, widen))).toBe('FORBIDDEN');
  expect(codeOf(await server.gqlAs(keys['org-b/releaser'], NODE, { id: red.id }))).toBe('NOT_FOUND');
  expect(fieldOf(await server.gqlAs(keys['org-a/releaser'], UPDATE, widen))).toBe('input.releaseReason');

  dataOf(await server.gqlAs(keys['org-a/releaser'], UPDATE, { ...widen, input: { ...widen.input, releaseReason: 'Shared with the org-b desk.' } }));
  expect(dataOf(await server.gqlAs(keys['org-b/releaser'], NODE, { id: red.id })).node.id).toBe(red.id);
  // A releaser of another organisation may read it now, but not release it further.
  expect(codeOf(await server.gqlAs(keys['org-b/releaser'], UPDATE, { id: red.id, input: { marking: 'AMBER', releaseReason: 'x' } }))).toBe('FORBIDDEN');

  expect(dataOf(await server.gqlAs(keys['org-a/releaser'], RELEASES, { item: red.id })).releases).toMatchObject([
    { fromMarking: 'RED', toMarking: 'RED', toAudience: ['org-a/member', 'org-a/releaser', 'org-b/releaser'], releasedBy: 'org-a/releaser' },
  ]);
  const narrowed = dataOf(await server.gqlAs(keys['org-a/member'], UPDATE, { id: red.id, input: { audience: ['org-a/member'] } })).updateImplication;
  expect(narrowed.audience).toEqual(['org-a/member']);
  expect(codeOf(await server.gqlAs(keys['org-a/releaser'], NODE, { id: red.id }))).toBe('NOT_FOUND');
  expect(codeOf(await server.gqlAs(keys['org-a/releaser'], RELEASES, { item: red.id }))).toBe('NOT_FOUND');
  expect(codeOf(await server.gqlAs(keys['org-a/member'], RELEASES, { item: red.id }))).toBe('FORBIDDEN');
});

test('raising a marking or narrowing an audience takes the citations with it, on every path', async () => {
  const strict = dataOf(await server.gqlAs(keys['org-a/member'], CREATE, { input: judgment({ marking: 'AMBER_STRICT' }, 'STRICT-QUOTE') })).createImplication;
  const citation = strict.citations[0].id;
  expect(await quotesAs(keys['org-a/viewer'])).toContain('STRICT-QUOTE');
  dataOf(await server.gqlAs(keys['org-a/member'], UPDATE, { id: strict.id, input: { marking: 'RED' } }));
  expect(await quotesAs(keys['org-a/viewer'])).not.toContain('STRICT-QUOTE');
  expect(codeOf(await server.gqlAs(keys['org-a/viewer'], NODE, { id: citation }))).toBe('NOT_FOUND');
  expect(await quotesAs(keys['org-a/member'])).toContain('STRICT-QUOTE');

  const red = dataOf(
    await server.gqlAs(keys['org-a/member'], CREATE, { input: judgment({ marking: 'RED', audience: ['org-a/viewer'] }, 'RED-QUOTE') }),
  ).createImplication;
  expect(await quotesAs(keys['org-a/viewer'])).toContain('RED-QUOTE');
  const before = dataOf(await server.gqlAs(keys['org-a/viewer'], QUOTES, { id: article })).source.citations.totalCount;
  dataOf(await server.gqlAs(keys['org-a/member'], UPDATE, { id: red.id, input: { audience: [] } }));
  expect(await quotesAs(keys['org-a/viewer'])).not.toContain('RED-QUOTE');
  expect(dataOf(await server.gqlAs(keys['org-a/viewer'], QUOTES, { id: article })).source.citations.totalCount).toBe(before - 1);
  expect(codeOf(await server.gqlAs(keys['org-a/viewer'], NODE, { id: red.citations[0].id }))).toBe('NOT_FOUND');
});

test('a citation can be re-marked: raising by its writer, lowering again only as a release', async () => {
  const input = judgment({});
  input.citations = [
    { source: article, verb: 'ASSESSES', quote: 'PUBLIC-QUOTE', credibility: 3 },
    { source: article, verb: 'REPORTS', quote: 'SOON-AMBER-QUOTE', credibility: 3 },
  ];
  const created = dataOf(await server.gqlAs(keys['org-a/member'], CREATE, { input })).createImplication;
  const [first, second] = created.citations.map((c: { id: string }) => c.id);
  const quoteOf = async (id: string) => dataOf(await server.gqlAs(keys['org-a/member'], NODE, { id })).node.quote;
  const amberId = (await quoteOf(first)) === 'SOON-AMBER-QUOTE' ? first : second;
  expect(await quotesAs(null)).toContain('SOON-AMBER-QUOTE');

  expect(dataOf(await server.gqlAs(keys['org-a/member'], REMARK, { id: amberId, input: { marking: 'AMBER' } })).updateCitation.marking).toBe('AMBER');
  expect(await quotesAs(null)).not.toContain('SOON-AMBER-QUOTE');
  expect(await quotesAs(null)).toContain('PUBLIC-QUOTE');
  expect(
    dataOf(await server.gqlAs(null, `query($id: ID!) { node(id: $id) { ... on Implication { sourceCount citations { quote } } } }`, { id: created.id })).node,
  ).toEqual({ sourceCount: 1, citations: [{ quote: 'PUBLIC-QUOTE' }] });

  expect(codeOf(await server.gqlAs(keys['org-a/member'], REMARK, { id: amberId, input: { marking: 'CLEAR' } }))).toBe('FORBIDDEN');
  expect(codeOf(await server.gqlAs(keys['org-b/releaser'], REMARK, { id: amberId, input: { marking: 'CLEAR', releaseReason: 'x' } }))).toBe('FORBIDDEN');
  dataOf(await server.gqlAs(keys['org-a/releaser'], REMARK, { id: amberId, input: { marking: 'CLEAR', releaseReason: 'The quote is public.' } }));
  expect(await quotesAs(null)).toContain('SOON-AMBER-QUOTE');
  expect(codeOf(await server.gqlAs(null, REMARK, { id: amberId, input: { marking: 'AMBER' } }))).toBe('UNAUTHENTICATED');
});

test('nothing is marked or released below what it was derived from', async () => {
  const amber = toGlobalId('Source', amberSource);
  const fromAmber = (extra: Record<string, unknown>, citation: Record<string, unknown> = {}) =>
    judgment({ ...extra, citations: [{ source: amber, verb: 'ASSESSES', quote: 'LIAISON-QUOTE', credibility: 2, ...citation }] });
  const count = async () => (await server.dataSource.query(`SELECT count(*)::int AS n FROM implication`))[0].n;
  const before = await count();
  expect(fieldOf(await server.gqlAs(keys['org-a/member'], CREATE, { input: fromAmber({ marking: 'CLEAR' }) }))).toBe('input.marking');
  expect(fieldOf(await server.gqlAs(keys['org-a/member'], CREATE, { input: fromAmber({ marking: 'AMBER' }, { marking: 'GREEN' }) }))).toBe(
    'input.citations[0].marking',
  );
  expect(await count()).toBe(before);

  const created = dataOf(await server.gqlAs(keys['org-a/member'], CREATE, { input: fromAmber({ marking: 'AMBER' }) })).createImplication;
  const lower = await server.gqlAs(keys['org-a/releaser'], UPDATE, { id: created.id, input: { marking: 'GREEN', releaseReason: 'wanted wider' } });
  expect(fieldOf(lower)).toBe('input.marking');
  const remark = await server.gqlAs(keys['org-a/releaser'], REMARK, {
    id: created.citations[0].id,
    input: { marking: 'GREEN', releaseReason: 'wanted wider' },
  });
  expect(fieldOf(remark)).toBe('input.marking');
  expect(await quotesAs(keys['org-a/releaser'], amber)).toContain('LIAISON-QUOTE');
  expect(codeOf(await server.gqlAs(null, QUOTES, { id: amber }))).toBe('NOT_FOUND');
});

test('a change never moves an item to the writer’s organisation, nor out of the writer’s sight', async () => {
  const CHALLENGE = `mutation($id: ID!, $input: ChallengePatch!) { updateChallenge(id: $id, input: $input) { marking organisation } }`;
  await make('analyst', Role.ANALYST, Marking.RED, 'org-b');
  // The seed's AMBER challenge belongs to no organisation; a writer of org-b touching it does not make it org-b's.
  expect(dataOf(await server.gqlAs(keys['org-b/analyst'], CHALLENGE, { id: interpreterShortage, input: { marking: 'AMBER' } })).updateChallenge).toEqual({
    marking: 'AMBER',
    organisation: null,
  });
  expect(fieldOf(await server.gqlAs(keys['org-b/analyst'], CHALLENGE, { id: interpreterShortage, input: { marking: 'AMBER_STRICT' } }))).toBe('input.marking');
  expect(codeOf(await server.gqlAs(keys['org-b/releaser'], CHALLENGE, { id: interpreterShortage, input: { marking: 'CLEAR', releaseReason: 'x' } }))).toBe(
    'FORBIDDEN',
  );

  // Who may read an org-a item is org-a's to decide: a writer of org-b may neither take it away from org-a (RED for
  // itself alone, AMBER+STRICT out of its own sight) nor change it otherwise; refused, unchanged.
  const amber = dataOf(await server.gqlAs(keys['org-a/member'], CREATE, { input: judgment({ marking: 'AMBER' }) })).createImplication;
  for (const input of [{ marking: 'AMBER_STRICT' }, { marking: 'RED', audience: [] }]) {
    expect(codeOf(await server.gqlAs(keys['org-b/analyst'], UPDATE, { id: amber.id, input }))).toBe('FORBIDDEN');
  }
  expect(dataOf(await server.gqlAs(keys['org-b/analyst'], NODE, { id: amber.id })).node.id).toBe(amber.id);
  const [row] = await server.dataSource.query(`SELECT marking FROM implication WHERE id = $1`, [fromGlobalId(amber.id, 'id').id]);
  expect(row.marking).toBe('AMBER');
});

test('a statement is never read by more people than its sources, and a citation only by readers of its source', async () => {
  const strictSource = '00000000-0000-4000-8000-0000000a0502';
  const redSource = '00000000-0000-4000-8000-0000000a0503';
  await server.dataSource.query(
    `INSERT INTO source (id, name, kind, reliability, marking, organisation, audience) VALUES
       ($1, 'An org-a only report', 'INTELLIGENCE_ASSESSMENT', 'B', 'AMBER_STRICT', 'org-a', '{}'),
       ($2, 'A report for one analyst', 'INTELLIGENCE_ASSESSMENT', 'B', 'RED', NULL, '{org-a/member}')`,
    [strictSource, redSource],
  );
  const citing = (source: string, extra: Record<string, unknown>) =>
    judgment({ ...extra, citations: [{ source: toGlobalId('Source', source), verb: 'ASSESSES', quote: 'SOURCE-WORDS', credibility: 2 }] });
  for (const [source, extra] of [
    [strictSource, { marking: 'RED', audience: ['org-b/viewer'] }],
    [redSource, { marking: 'RED', audience: ['org-a/viewer'] }],
  ] as const) {
    // Its citation, marked like the statement, would be read beyond the source's readers: refused there first.
    expect(fieldOf(await server.gqlAs(keys['org-a/member'], CREATE, { input: citing(source, extra) }))).toBe('input.citations[0].marking');
  }
  const strict = dataOf(await server.gqlAs(keys['org-a/member'], CREATE, { input: citing(strictSource, { marking: 'AMBER_STRICT' }) })).createImplication;
  const release = { id: strict.id, input: { marking: 'RED', audience: ['org-b/viewer'], releaseReason: 'share' } };
  expect(fieldOf(await server.gqlAs(keys['org-a/releaser'], UPDATE, release))).toBe('input.marking');

  // Even a citation stored below its source (as a loader might) is read only by readers of the source.
  const capability = fixtureId('topic', 'dprk-troops-in-russia', 'capabilities', 'kpa-active-manpower');
  await server.dataSource.query(
    `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) VALUES (gen_random_uuid(), $1, 'STATES', 'STRICT-SOURCE-WORDS', 2, $2)`,
    [strictSource, capability],
  );
  const CAPABILITY = `query($id: ID!) { node(id: $id) { ... on Capability { sourceCount citations { quote } } } }`;
  const asAnonymous = dataOf(await server.gqlAs(null, CAPABILITY, { id: toGlobalId('Capability', capability) })).node;
  expect(JSON.stringify(asAnonymous)).not.toContain('STRICT-SOURCE-WORDS');
  expect(JSON.stringify(dataOf(await server.gqlAs(keys['org-a/viewer'], CAPABILITY, { id: toGlobalId('Capability', capability) })))).toContain(
    'STRICT-SOURCE-WORDS',
  );
});

test('a citation of a RED statement may carry a marking of its own', async () => {
  const input = judgment({
    marking: 'RED',
    audience: ['org-a/viewer'],
    citations: [{ source: article, verb: 'ASSESSES', quote: 'q', credibility: 4, marking: 'AMBER' }],
  });
  const created = dataOf(await server.gqlAs(keys['org-a/member'], CREATE, { input })).createImplication;
  const CITATION = `query($id: ID!) { node(id: $id) { ... on Citation { marking audience } } }`;
  expect(dataOf(await server.gqlAs(keys['org-a/member'], CITATION, { id: created.citations[0].id })).node).toEqual({ marking: 'AMBER', audience: [] });
});

test('an update racing a delete answers NOT_FOUND or the change, never an internal error', async () => {
  const codes = new Set<string>();
  for (let i = 0; i < 15; i += 1) {
    const created = dataOf(await server.gqlAs(keys['org-a/member'], CREATE, { input: judgment({ marking: 'AMBER' }) })).createImplication;
    const [update, remove] = await Promise.all([
      server.gqlAs(keys['org-a/member'], UPDATE, { id: created.id, input: { marking: 'RED' } }),
      server.gqlAs(keys['org-a/admin'], `mutation($id: ID!) { deleteImplication(id: $id) }`, { id: created.id }),
    ]);
    for (const r of [update, remove]) codes.add(codeOf(r) ?? 'OK');
  }
  expect([...codes].filter((c) => c !== 'OK' && c !== 'NOT_FOUND')).toEqual([]);
});

test('an ADMIN of no organisation cannot keep an AMBER+STRICT brief definition nobody could see', async () => {
  const { key } = await createKey(server.dataSource.manager, { name: 'orgless-admin', role: Role.ADMIN, clearance: Marking.AMBER_STRICT, organisation: null });
  const response = await server.gqlAs(key, `mutation($input: BriefDefinitionInput!) { createBriefDefinition(input: $input) { id } }`, {
    input: { name: 'strict', brief: { topics: ['dprk-troops-in-russia'] }, cron: '0 0 1 1 *' },
  });
  expect(fieldOf(response)).toBe('input.brief.clearance');
  const [{ n }] = await server.dataSource.query(`SELECT count(*)::int AS n FROM brief_definition`);
  expect(n).toBe(0);
});

describe('brief definitions', () => {
  const DEFINE = `mutation($input: BriefDefinitionInput!) { createBriefDefinition(input: $input) { id name } }`;
  const CHANGE = `mutation($id: ID!, $input: BriefDefinitionPatch!) { updateBriefDefinition(id: $id, input: $input) { id name input } }`;
  const define = async (name: string, clearance: string) =>
    dataOf(await server.gqlAs(keys['org-a/admin'], DEFINE, { input: { name, brief: { topics: ['dprk-troops-in-russia'], clearance }, cron: '0 0 1 1 *' } }))
      .createBriefDefinition;
  afterEach(() => server.dataSource.query('DELETE FROM brief_definition'));

  test('a taken name tells nothing of definitions the renamer cannot see', async () => {
    await make('admin2', Role.ADMIN, Marking.RED, 'org-a');
    const open = await define('open', 'AMBER');
    await define('visible', 'AMBER');
    await define('operation-nightfall', 'RED'); // the owner's alone
    expect(codeOf(await server.gqlAs(keys['org-a/admin2'], CHANGE, { id: open.id, input: { name: 'visible' } }))).toBe('CONFLICT');
    expect(dataOf(await server.gqlAs(keys['org-a/admin2'], CHANGE, { id: open.id, input: { name: 'operation-nightfall' } })).updateBriefDefinition.name).toBe(
      'operation-nightfall',
    );
  });

  test('an edit keeps the clearance, and never leaves the editor unable to read the definition', async () => {
    const amber = await define('amber', 'AMBER');
    const edited = dataOf(
      await server.gqlAs(keys['org-a/admin2'], CHANGE, { id: amber.id, input: { brief: { topics: ['dprk-troops-in-russia'], limitPerSection: 3 } } }),
    );
    expect(edited.updateBriefDefinition.input).toMatchObject({ clearance: 'AMBER', limitPerSection: 3 });
    const red = { id: amber.id, input: { brief: { topics: ['dprk-troops-in-russia'], clearance: 'RED' } } };
    expect(fieldOf(await server.gqlAs(keys['org-a/admin2'], CHANGE, red))).toBe('input.brief.clearance');
    const [{ marking }] = await server.dataSource.query(`SELECT marking FROM brief_definition WHERE id = $1`, [fromGlobalId(amber.id, 'id').id]);
    expect(marking).toBe('AMBER');
  });

  test('a change racing a delete never brings the definition back', async () => {
    for (let i = 0; i < 5; i += 1) {
      const d = await define(`raced-${i}`, 'AMBER');
      const [change, remove] = await Promise.all([
        server.gqlAs(keys['org-a/admin'], CHANGE, { id: d.id, input: { brief: { topics: ['dprk-troops-in-russia'], limitPerSection: 4 } } }),
        new Promise((r) => setTimeout(r, 3)).then(() =>
          server.gqlAs(keys['org-a/admin'], `mutation($id: ID!) { deleteBriefDefinition(id: $id) }`, { id: d.id }),
        ),
      ]);
      const [{ n }] = await server.dataSource.query(`SELECT count(*)::int AS n FROM brief_definition WHERE id = $1`, [fromGlobalId(d.id, 'id').id]);
      expect({ i, change: codeOf(change) ?? 'OK', remove: codeOf(remove) ?? 'OK', left: n }).toEqual({
        i,
        change: codeOf(change) ?? 'OK',
        remove: 'OK',
        left: 0,
      });
      expect(['OK', 'NOT_FOUND']).toContain(codeOf(change) ?? 'OK');
    }
  });

  test('over-long names and aliases are refused or handled, never an internal error', async () => {
    const long = await server.gqlAs(keys['org-a/admin'], DEFINE, {
      input: { name: 'n'.repeat(8000), brief: { topics: ['dprk-troops-in-russia'] }, cron: '0 0 1 1 *' },
    });
    expect(fieldOf(long)).toBe('input.name');
    const alias = `a${'x'.repeat(8000)}`;
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys['org-a/member']}`, 'idempotency-key': 'long-alias' },
      body: JSON.stringify({
        query: `mutation($input: ImplicationInput!) { ${alias}: createImplication(input: $input) { id } }`,
        variables: { input: judgment({}) },
      }),
    });
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data[alias].id).toEqual(expect.any(String));
  });
});
