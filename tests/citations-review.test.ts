import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { withoutStacks } from './support/answers';
import { dataOf, startTestServer, type TestServer } from './support/server';

// A statement's citations probed through every path that reads them, by readers of every kind, on the compiled fast
// path and on the normal one: a citation is read only with its source and its statement, and pages over citations
// tell nothing (counts, cursors, neighbours) of the hidden ones between them.

let normal: TestServer;
let compiled: TestServer;
const readers: Record<string, string | null> = { anonymous: null };

const capability = fixtureId('topic', 'dprk-troops-in-russia', 'capabilities', 'kpa-active-manpower');
const capabilityId = toGlobalId('Capability', capability);
const article = fixtureId('source', 'article');
const src = (n: number) => `00000000-0000-4000-8000-00000000c5${String(n).padStart(2, '0')}`;
const cit = (n: number) => `00000000-0000-4000-8000-00000000c6${String(n).padStart(2, '0')}`;
const redStatement = '00000000-0000-4000-8000-00000000c701';

// Sources: [id, marking, organisation, audience, retracted].
const SOURCES: Array<[string, string, string | null, string, boolean]> = [
  [src(1), 'AMBER_STRICT', 'org-a', '{}', false],
  [src(2), 'AMBER_STRICT', 'org-b', '{}', false],
  [src(3), 'RED', null, '{org-a/member}', false],
  [src(4), 'RED', null, '{org-z/nobody}', false],
  [src(5), 'AMBER', null, '{}', false],
  [src(6), 'CLEAR', null, '{}', true],
];
// Citations of the CLEAR fixture capability, one per source above and a few standing, all CLEAR themselves.
const QUOTE = (n: number) => `REVIEW-Q${n}`;

const Q_CAPABILITY = `query($id: ID!) { node(id: $id) { ... on Capability { sourceCount citations { id quote credibility marking
  source { id name marking citations(first: 50) { totalCount nodes { quote } } } } } } }`;
const Q_SOURCE = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $order: CitationOrder) {
  source(id: $id) { citations(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { quote } } } } }`;
const Q_NODE = `query($id: ID!) { node(id: $id) { ... on Citation { quote source { name } } } }`;
const Q_LIST = `{ capabilities(first: 100) { nodes { id citations { quote source { id } } } } }`;

async function both(key: string | null, query: string, variables?: Record<string, unknown>) {
  const [a, b] = await Promise.all([normal.gqlAs(key, query, variables), compiled.gqlAs(key, query, variables)]);
  expect(withoutStacks(JSON.stringify(b.body))).toBe(withoutStacks(JSON.stringify(a.body)));
  // A hidden item is answered as one that does not exist: NOT_FOUND, nothing else.
  for (const e of a.body.errors ?? []) expect(e.extensions?.code).toBe('NOT_FOUND');
  return a.body.errors ? (a.body.data ?? {}) : dataOf(a);
}

beforeAll(async () => {
  const env = { RESPONSE_CACHE_BYTES: '0', RATE_LIMIT_POINTS: '1000000' };
  normal = await startTestServer({ ...env, FAST_PATH: 'off' });
  compiled = await startTestServer(env, normal.databaseUrl);
  const db = normal.dataSource;
  for (const [name, role, clearance, organisation] of [
    ['member', Role.ANALYST, Marking.RED, 'org-a'],
    ['strict', Role.ANALYST, Marking.AMBER_STRICT, 'org-a'],
    ['viewer', Role.VIEWER, Marking.RED, 'org-b'],
    ['amber', Role.VIEWER, Marking.AMBER, 'org-c'],
    ['green', Role.VIEWER, Marking.GREEN, 'org-a'],
  ] as const) {
    readers[`${organisation}/${name}`] = (await createKey(db.manager, { name, role, clearance, organisation })).key;
  }
  for (const [id, marking, organisation, audience, retracted] of SOURCES) {
    await db.query(
      `INSERT INTO source (id, name, kind, reliability, marking, organisation, audience, retracted_at, retraction_reason)
       VALUES ($1, $2, 'INTELLIGENCE_ASSESSMENT', 'B', $3, $4, $5, $6, CASE WHEN $6::timestamptz IS NULL THEN NULL ELSE 'withdrawn' END)`,
      [id, `SOURCE-${id.slice(-2)}`, marking, organisation, audience, retracted ? new Date() : null],
    );
  }
  for (let i = 0; i < SOURCES.length; i++) {
    await db.query(`INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) VALUES ($1, $2, 'STATES', $3, 3, $4)`, [
      cit(i + 1),
      SOURCES[i][0],
      QUOTE(i + 1),
      capability,
    ]);
  }
  // A RED statement of org-a/member, cited from the CLEAR article, between visible citations of the article.
  await db.query(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, audience)
     SELECT $1, topic_id, actor_id, 'TACTICS', 'RED-STATEMENT', 'RED', '{org-a/member}' FROM capability WHERE id = $2`,
    [redStatement, capability],
  );
  await db.query(
    `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id, marking) VALUES
       ($1, $2, 'STATES', 'REVIEW-RED-STATEMENT', 3, $3, 'CLEAR'),
       ($4, $2, 'STATES', 'REVIEW-RETRACTED', 3, $5, 'CLEAR'),
       ($6, $2, 'STATES', 'REVIEW-AMBER-OWN', 3, $5, 'AMBER')`,
    [cit(50), article, redStatement, cit(51), capability, cit(52)],
  );
  await db.query(`UPDATE citation SET retracted_at = now(), retraction_reason = 'withdrawn' WHERE id = $1`, [cit(51)]);
});
afterAll(async () => {
  await compiled?.close();
  await normal?.close();
});

// Which of the review quotes each reader may read through the capability (retracted source: as before the change).
const EXPECTED: Record<string, string[]> = {
  anonymous: ['REVIEW-Q6'],
  'org-a/green': ['REVIEW-Q6'],
  'org-c/amber': ['REVIEW-AMBER-OWN', 'REVIEW-Q5', 'REVIEW-Q6'],
  'org-a/strict': ['REVIEW-AMBER-OWN', 'REVIEW-Q1', 'REVIEW-Q5', 'REVIEW-Q6'],
  'org-b/viewer': ['REVIEW-AMBER-OWN', 'REVIEW-Q2', 'REVIEW-Q5', 'REVIEW-Q6'],
  'org-a/member': ['REVIEW-AMBER-OWN', 'REVIEW-Q1', 'REVIEW-Q3', 'REVIEW-Q5', 'REVIEW-Q6'],
};
const reviewQuotes = (text: string) => [...new Set(text.match(/REVIEW-[A-Z0-9-]+/g) ?? [])].sort();

test("a statement's citations are those of visible sources only, for every reader, on both paths", async () => {
  for (const [name, key] of Object.entries(readers)) {
    const node = (await both(key, Q_CAPABILITY, { id: capabilityId })).node;
    const quotes = node.citations.map((c: { quote: string }) => c.quote).filter((q: string) => q.startsWith('REVIEW'));
    expect([name, quotes.sort()]).toEqual([name, EXPECTED[name]]);
    // Nothing of a hidden source reaches the reader through the joined source either.
    const names = node.citations.map((c: { source: { name: string } }) => c.source.name);
    expect(names).toEqual(node.citations.map((c: { source: { name: string } }) => c.source.name));
    for (const c of node.citations) expect(c.source).not.toBeNull();
  }
});

test('a citation of a hidden statement stays hidden on every path: node, source citations, statement lists', async () => {
  for (const [name, key] of Object.entries(readers)) {
    const mayReadRed = name === 'org-a/member';
    const viaNode = (await both(key, Q_NODE, { id: toGlobalId('Citation', cit(50)) }))?.node;
    expect([name, viaNode?.quote ?? null]).toEqual([name, mayReadRed ? 'REVIEW-RED-STATEMENT' : null]);
    const viaSource = JSON.stringify(await both(key, Q_SOURCE, { id: toGlobalId('Source', article), first: 100 }));
    expect([name, viaSource.includes('REVIEW-RED-STATEMENT')]).toEqual([name, mayReadRed]);
    expect(viaSource).not.toContain('REVIEW-RETRACTED');
    const viaList = JSON.stringify(await both(key, Q_LIST));
    expect([name, viaList.includes('REVIEW-RED-STATEMENT')]).toEqual([name, mayReadRed]);
    expect(reviewQuotes(viaList).filter((q) => q !== 'REVIEW-RED-STATEMENT')).toEqual(EXPECTED[name]);
    expect(viaList).not.toContain('REVIEW-RETRACTED');
  }
});

test('pages over a source’s citations count and step over hidden ones alike, by every ordering, both ways', async () => {
  const source = toGlobalId('Source', article);
  for (const name of ['anonymous', 'org-a/strict', 'org-a/member']) {
    const key = readers[name];
    for (const field of ['CREDIBILITY', 'CREATED_AT', 'UPDATED_AT']) {
      for (const direction of ['ASC', 'DESC']) {
        const order = { field, direction };
        const all = (await both(key, Q_SOURCE, { id: source, first: 100, order })).source.citations;
        const everyQuote = all.edges.map((e: { node: { quote: string } }) => e.node.quote);
        expect(all.totalCount).toBe(everyQuote.length);
        expect(all.pageInfo.hasNextPage).toBe(false);
        // Forward one by one.
        const forward: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = (await both(key, Q_SOURCE, { id: source, first: 3, after, order })).source.citations;
          expect(page.totalCount).toBe(all.totalCount);
          forward.push(...page.edges.map((e: { node: { quote: string } }) => e.node.quote));
          expect(page.pageInfo.hasNextPage).toBe(forward.length < everyQuote.length);
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect([name, field, direction, forward]).toEqual([name, field, direction, everyQuote]);
        // Backward one by one.
        const backward: string[] = [];
        let before: string | undefined;
        for (;;) {
          const page = (await both(key, Q_SOURCE, { id: source, last: 3, before, order })).source.citations;
          backward.unshift(...page.edges.map((e: { node: { quote: string } }) => e.node.quote));
          expect(page.pageInfo.hasPreviousPage).toBe(backward.length < everyQuote.length);
          if (!page.pageInfo.hasPreviousPage) break;
          before = page.pageInfo.startCursor;
        }
        expect([name, field, direction, backward]).toEqual([name, field, direction, everyQuote]);
      }
    }
  }
}, 240_000);

test('a hidden source is not reached through a visible citation’s source field, and its citations are not counted', async () => {
  for (const [name, key] of Object.entries(readers)) {
    for (let i = 1; i <= 5; i++) {
      const viaSource = (await both(key, Q_SOURCE, { id: toGlobalId('Source', src(i)), first: 10 })).source;
      const quotes = viaSource?.citations.edges.map((e: { node: { quote: string } }) => e.node.quote) ?? [];
      expect([name, i, quotes]).toEqual([name, i, EXPECTED[name].includes(QUOTE(i)) ? [QUOTE(i)] : []]);
    }
  }
});

test('every statement kind’s citations, reached through a source’s citations, keep the rule on both paths', async () => {
  const kinds = ['capability', 'challenge', 'implication', 'event', 'relation'];
  const tables: Record<string, string> = { relation: 'actor_relation' };
  for (const kind of kinds) {
    const [{ id }] = await normal.dataSource.query(
      `SELECT id FROM ${tables[kind] ?? kind} WHERE marking = 'CLEAR' AND retracted_at IS NULL ORDER BY id LIMIT 1`,
    );
    for (let i = 1; i <= 5; i++) {
      await normal.dataSource.query(
        `INSERT INTO citation (id, source_id, verb, quote, credibility, ${kind}_id) VALUES (gen_random_uuid(), $1, 'STATES', $2, 4, $3)`,
        [src(i), `REVIEW-K${kind.toUpperCase()}-${i}`, id],
      );
    }
    // And a visible citation of the article, so that the statement is reached from the article's citations.
    await normal.dataSource.query(
      `INSERT INTO citation (id, source_id, verb, quote, credibility, ${kind}_id) VALUES (gen_random_uuid(), $1, 'STATES', 'REVIEW-REACH', 4, $2)`,
      [article, id],
    );
  }
  const inner = `citations { quote source { name marking } }`;
  const QUERY = `query($id: ID!) { source(id: $id) { citations(first: 100) { nodes { quote statement {
    ... on Capability { ${inner} } ... on Challenge { ${inner} } ... on Implication { ${inner} } ... on Event { ${inner} } ... on ActorRelation { ${inner} } } } } } }`;
  for (const [name, key] of Object.entries(readers)) {
    const text = JSON.stringify(await both(key, QUERY, { id: toGlobalId('Source', article) }));
    for (const kind of kinds) {
      const seen = reviewQuotes(text).filter((q) => q.startsWith(`REVIEW-K${kind.toUpperCase()}-`));
      const expected = [1, 2, 3, 4, 5].filter((i) => EXPECTED[name].includes(QUOTE(i))).map((i) => `REVIEW-K${kind.toUpperCase()}-${i}`);
      expect([name, kind, seen]).toEqual([name, kind, expected]);
    }
    for (let i = 1; i <= 5; i++) if (!EXPECTED[name].includes(QUOTE(i))) expect(text).not.toContain(`SOURCE-${src(i).slice(-2)}`);
  }
});
