import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { Marking } from '../src/common/marking';
import { ANONYMOUS, type Viewer } from '../src/common/viewer';
import { Role } from '../src/modules/identity/role';
import { occurredEndSql, occurredOrderSql } from '../src/modules/event/event.dates';
import { compile, sql, type Sql } from '../src/read/fragment';
import { toGlobalId } from '../src/read/global-id';
import { compileOperation } from '../src/read/operation-sql';
import { TEXT_OUTPUT } from '../src/read/output';
import type { Statement } from '../src/read/reader';
import { buildDossierSchema } from '../src/server/schema';
import { TEST_PAGE_SIZE } from './support/operation-sql';

// The SQL compiler without a database: operations compile through the real resolvers, Reader and SQL builders
// (compileOperation), and the SQL is checked for what must hold of every statement.

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildDossierSchema();
});

const sqlOf = (query: string, variables?: Record<string, unknown>, viewer: Viewer = ANONYMOUS) =>
  compileOperation(schema, parse(query), { variables, viewer, pageSize: TEST_PAGE_SIZE });

/** The one statement of an operation with one root field. */
async function statementOf(query: string, variables?: Record<string, unknown>, viewer?: Viewer): Promise<Statement> {
  const fields = await sqlOf(query, variables, viewer);
  expect(fields).toHaveLength(1);
  return fields[0].statement!;
}

/** The error compiling `query` fails with. */
async function errorOf(query: string, variables?: Record<string, unknown>): Promise<GraphQLError> {
  const error = await sqlOf(query, variables).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GraphQLError)) throw new Error(`expected a GraphQL error, got ${String(error)}`);
  return error;
}

/** The parameter a placeholder `$n` in `text` stands for, found by the SQL pattern around it. */
function paramAt(statement: Statement, pattern: RegExp): unknown {
  const match = pattern.exec(statement.text);
  if (!match) throw new Error(`no ${pattern} in the SQL`);
  return statement.params[Number(match[1]) - 1];
}

// Tables whose rows are marked items (src/read/access.ts ItemTable): every read of one must be guarded.
const ITEM_TABLES = [
  'topic',
  'actor',
  'location',
  'source',
  'citation',
  'capability',
  'challenge',
  'implication',
  'event',
  'actor_relation',
  'brief_definition',
  'brief_run',
  'deleted_item',
];

/** `text` with the contents of its string literals blanked, so parentheses inside them do not count. */
const blankStrings = (text: string) => text.replace(/'(?:[^']|'')*'/g, (s) => `'${' '.repeat(s.length - 2)}'`);

/** `text` from `at` to the end of the (sub)query around it: the rest of its FROM, JOINs and WHERE. */
function restOfQuery(text: string, blank: string, at: number): string {
  let depth = 0;
  for (let i = at; i < blank.length; i += 1) {
    if (blank[i] === '(') depth += 1;
    else if (blank[i] === ')' && --depth < 0) return text.slice(at, i);
  }
  return text.slice(at);
}

/** Every read of an item table (`FROM actor t3`, `JOIN source t7 ON ...`): its alias, and the query it is read in. */
function itemReads(text: string): Array<{ alias: string; query: string }> {
  const blank = blankStrings(text);
  const reads = [...text.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)(?:\s+([a-z_][a-z0-9_]*))?/gi)];
  return reads
    .filter(([, table]) => ITEM_TABLES.includes(table))
    .map((read) => {
      const alias = read[2];
      if (!alias || /^(WHERE|ON|JOIN|LEFT|CROSS|ORDER|GROUP|LIMIT)$/i.test(alias)) throw new Error(`an item table is read without an alias: ${read[0]}`);
      return { alias, query: restOfQuery(text, blank, read.index) };
    });
}

const fixtureOperations = () => {
  const dir = join(__dirname, '..', 'fixtures', 'operations');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
};

const GREEN_READER: Viewer = { principal: 'org-a/green', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.GREEN };
const STRICT_READER: Viewer = { principal: 'org-a/strict', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.AMBER_STRICT };
const RED_READER: Viewer = { principal: 'org-a/red', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.RED };

describe('access', () => {
  test.each([
    ['an anonymous reader', ANONYMOUS, 'CLEAR'],
    ['a GREEN reader', GREEN_READER, 'GREEN'],
    ['an AMBER+STRICT reader', STRICT_READER, 'AMBER'],
    ['a RED reader', RED_READER, 'AMBER'],
  ])('every item table is read under the marking rule of %s', async (_who, viewer, byClearance) => {
    let checked = 0;
    for (const operation of fixtureOperations()) {
      for (const { statement } of await sqlOf(operation, undefined, viewer)) {
        const reads = itemReads(statement!.text);
        // Each read carries the rule in its own query: a count beside a page, a join beside its table.
        for (const { alias, query } of reads) {
          expect(query).toContain(`${alias}.marking <= '${byClearance}'::tlp_marking`);
          if (viewer.clearance === Marking.AMBER_STRICT || viewer.clearance === Marking.RED) {
            expect(query).toContain(`(${alias}.marking = 'AMBER_STRICT' AND ${alias}.organisation = 'org-a')`);
          }
          if (viewer.clearance === Marking.RED) expect(query).toContain(`(${alias}.marking = 'RED' AND 'org-a/red' = ANY(${alias}.audience))`);
        }
        // No rule looser than the reader's clearance anywhere.
        for (const [, marking] of statement!.text.matchAll(/marking <= '([A-Z_]+)'::tlp_marking/g)) expect(marking).toBe(byClearance);
        checked += reads.length;
      }
    }
    // The example operations read every kind of item, nested and in lists, counts and citations: many reads.
    expect(checked).toBeGreaterThan(100);
  });

  test('below AMBER+STRICT no organisation or audience rule applies', async () => {
    const { text } = await statementOf('{ actors { nodes { name } } }', undefined, GREEN_READER);
    expect(text).not.toContain('organisation');
    expect(text).not.toContain('audience');
  });

  test("a viewer's organisation is quoted as an SQL literal", async () => {
    const viewer = { ...STRICT_READER, organisation: "o'rg" };
    const { text } = await statementOf('{ actors { totalCount } }', undefined, viewer);
    expect(text).toContain(`organisation = E'o''rg'`);
  });
});

describe('citations', () => {
  test("a statement's citations are read in one query, each with its source joined once", async () => {
    const { text } = await statementOf('{ capabilities { nodes { citations { quote source { name } } } } }');
    // No source looked up again per citation, no second read of citations or of the statement.
    expect(text.match(/FROM citation /g)).toHaveLength(1);
    expect(text).not.toMatch(/FROM source /);
    expect(text).not.toContain('EXISTS');
    // The citation rule on the joined rows: the citation's own marking, its statement's (the parent row), its source's.
    expect(text).toMatch(
      /FROM citation (t\d+) JOIN source (t\d+) ON \2\.id = \1\.source_id\s+WHERE \1\.retracted_at IS NULL AND \(\1\.marking <= 'CLEAR'::tlp_marking AND \1\.capability_id = t1\.id AND t1\.marking <= 'CLEAR'::tlp_marking\s+AND \1\.source_id = \2\.id AND \2\.marking <= 'CLEAR'::tlp_marking\)/,
    );
  });
});

describe('client values are parameters, never SQL', () => {
  const HOSTILE = "x'); DROP TABLE actor; --";
  const notInSql = (statement: Statement) => {
    expect(statement.text).not.toContain('DROP TABLE');
    expect(statement.text).not.toContain("x')");
  };

  test('in a search and a topic filter', async () => {
    const statement = await statementOf('query($s: String) { actors(filter: { search: $s, topic: $s }) { nodes { name } } }', { s: HOSTILE });
    notInSql(statement);
    expect(statement.params).toContain(HOSTILE);
    expect(statement.params).toContain(`%${HOSTILE}%`);
    expect(paramAt(statement, /\.name ILIKE \$(\d+)/)).toBe(`%${HOSTILE}%`);
    expect(paramAt(statement, /\.slug = \$(\d+)/)).toBe(HOSTILE);
  });

  test('in a topic slug, at the root and in a statement filter', async () => {
    const topic = await statementOf('query($s: String!) { topic(slug: $s) { title } }', { s: HOSTILE });
    notInSql(topic);
    expect(topic.params).toEqual([HOSTILE]);
    const capabilities = await statementOf('query($s: String) { capabilities(filter: { topic: $s }) { totalCount } }', { s: HOSTILE });
    notInSql(capabilities);
    expect(paramAt(capabilities, /\.slug = \$(\d+)/)).toBe(HOSTILE);
  });

  test('in a brief topic, through the brief query', async () => {
    const brief = await statementOf('query($s: String!) { brief(input: { topics: [$s] }) { title } }', { s: HOSTILE });
    notInSql(brief);
    expect(paramAt(brief, /t\.slug = ANY\(\$(\d+)::text\[\]\)/)).toEqual([HOSTILE]);
  });

  test('search wildcards are escaped, so they match themselves', async () => {
    const statement = await statementOf('{ actors(filter: { search: "100%_a\\\\b" }) { totalCount } }');
    expect(paramAt(statement, /\.name ILIKE \$(\d+)/)).toBe('%100\\%\\_a\\\\b%');
  });

  test('an id that is not a Dossier id is BAD_USER_INPUT, before any SQL', async () => {
    const error = await errorOf('query($id: ID) { events(filter: { actor: $id }) { totalCount } }', { id: HOSTILE });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'filter.actor' });
  });
});

describe('connections', () => {
  test('`first` bounds the page: one row more is read to tell whether more follow', async () => {
    const { text } = await statementOf('{ actors(first: 7) { nodes { name } pageInfo { hasNextPage } } }');
    expect(text).toContain('LIMIT 8');
    expect(text).toContain('FILTER (WHERE p.rn <= 7)');
    expect(text).toContain('count(*) > 7');
  });

  test('without `first`, the default page size', async () => {
    const { text } = await statementOf('{ topic(slug: "t") { actors { nodes { name } } } }');
    expect(text).toContain(`LIMIT ${TEST_PAGE_SIZE.default + 1}`);
  });

  test('`first: 0` reads no node, but still counts', async () => {
    const { text } = await statementOf('{ actors(first: 0) { totalCount nodes { name } } }');
    expect(text).toContain('LIMIT 1');
    expect(text).toContain('count(*)::int');
  });

  test.each([-1, TEST_PAGE_SIZE.max + 1])('`first: %i` is BAD_USER_INPUT, at the root and nested', async (first) => {
    for (const query of [`{ actors(first: ${first}) { totalCount } }`, `{ topic(slug: "t") { events(first: ${first}) { totalCount } } }`]) {
      const error = await errorOf(query);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
    }
  });

  // Events order by their date's interval (src/modules/event/event.dates.ts): a timestamptz key.
  const DAY = '2024-10-01T00:00:00+00:00';
  const ORDER_KEY = compile(occurredOrderSql(sql`t1`)).text;
  const KEY = ORDER_KEY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const cursor = (field: string, value: unknown, id = '424aecf3-a880-5c12-bda4-7dcd52c3817e') =>
    Buffer.from(JSON.stringify([field, value, id])).toString('base64');

  test('a cursor continues after its row, by sort key and id, as parameters', async () => {
    const after = cursor('OCCURRED_ON', DAY);
    const statement = await statementOf('query($after: String) { events(after: $after) { nodes { title } pageInfo { hasPreviousPage } } }', { after });
    const keyset = new RegExp(`\\(${KEY}, t1\\.id\\) > \\(\\$(\\d+)::timestamptz, \\$(\\d+)::uuid\\)`).exec(statement.text);
    expect(keyset).not.toBeNull();
    expect(statement.params[Number(keyset![1]) - 1]).toBe(DAY);
    expect(statement.params[Number(keyset![2]) - 1]).toBe('424aecf3-a880-5c12-bda4-7dcd52c3817e');
    // Items before the page: the nearest one at or before the cursor that the reader may see, looked up in the index.
    const earlier = new RegExp(
      `'hasPreviousPage', coalesce\\(\\(SELECT TRUE FROM event t1 WHERE [^]* AND \\(${KEY}, t1\\.id\\) <= \\(\\$(\\d+)::timestamptz, \\$(\\d+)::uuid\\) ORDER BY ${KEY} DESC, t1\\.id DESC LIMIT 1\\), FALSE\\)`,
    ).exec(statement.text);
    expect(earlier).not.toBeNull();
    expect(statement.params[Number(earlier![1]) - 1]).toBe(DAY);
    expect(statement.params[Number(earlier![2]) - 1]).toBe('424aecf3-a880-5c12-bda4-7dcd52c3817e');
  });

  test('a backward page reads from its cursor in the reverse order, and lists its page in the connection order', async () => {
    const before = cursor('OCCURRED_ON', DAY);
    const { text } = await statementOf(
      'query($before: String) { events(last: 3, before: $before) { nodes { title } pageInfo { hasPreviousPage hasNextPage } } }',
      {
        before,
      },
    );
    expect(text).toMatch(new RegExp(`\\(${KEY}, t1\\.id\\) < \\(\\$\\d+::timestamptz, \\$\\d+::uuid\\) ORDER BY ${KEY} DESC, t1\\.id DESC LIMIT 4\\)`));
    expect(text).toContain('json_agg(p.n0 ORDER BY p.rn DESC) FILTER (WHERE p.rn <= 3)');
    expect(text).toContain("'hasPreviousPage', count(*) > 3");
    expect(text).toMatch(
      new RegExp(
        `'hasNextPage', coalesce\\(\\(SELECT TRUE FROM event t1 WHERE [^]* AND \\(${KEY}, t1\\.id\\) >= \\(\\$\\d+::timestamptz, \\$\\d+::uuid\\) ORDER BY ${KEY} ASC, t1\\.id ASC LIMIT 1\\), FALSE\\)`,
      ),
    );
  });

  test('a forward page sorts as it always did: no reversed read, no cursor beyond it', async () => {
    const { text } = await statementOf('{ events(first: 3) { nodes { title } pageInfo { hasPreviousPage hasNextPage } } }');
    expect(text).toContain(`ORDER BY ${ORDER_KEY} ASC, t1.id ASC LIMIT 4`);
    expect(text).not.toContain('DESC');
    expect(text).toContain("'hasPreviousPage', FALSE");
    expect(text).toContain("'hasNextPage', count(*) > 3");
  });

  test('descending, a cursor continues below its row', async () => {
    const after = cursor('LIKELIHOOD', 'LIKELY');
    const { text } = await statementOf('query($after: String) { implications(after: $after) { nodes { statement } } }', { after });
    expect(text).toMatch(/\(t1\.likelihood, t1\.id\) < \(\$\d+::likelihood, \$\d+::uuid\)/);
  });

  test.each([
    ['not base64 JSON', 'garbage'],
    ['of another ordering', cursor('NAME', 'x')],
    ['with a value of the wrong type', cursor('OCCURRED_ON', "x'); DROP TABLE actor; --")],
    ['with an id that is no uuid', cursor('OCCURRED_ON', DAY, 'nope')],
  ])('a cursor %s is BAD_USER_INPUT on `after`, even when only the count is asked for', async (_what, after) => {
    for (const selection of ['nodes { title }', 'totalCount']) {
      const error = await errorOf(`query($after: String) { events(after: $after) { ${selection} } }`, { after });
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
    }
  });

  test('a count-only page carries no cursor parameters', async () => {
    const statement = await statementOf('query($after: String) { events(after: $after) { totalCount } }', { after: cursor('OCCURRED_ON', DAY) });
    expect(statement.params).toEqual([]);
    expect(statement.text).not.toContain('LIMIT');
  });
});

describe('ordering', () => {
  test('by the default order of the type, the id breaking ties', async () => {
    const { text } = await statementOf('{ events { nodes { title } } }');
    // Events: by their date's interval (src/modules/event/event.dates.ts).
    const key = compile(occurredOrderSql(sql`t1`)).text;
    expect(text).toContain(`ORDER BY ${key} ASC, t1.id ASC LIMIT`);
    // The key is computed once, beside the rows read: numbered and put in cursors from that column, never computed again.
    expect(text).toContain(`SELECT t1.*, ${key} AS page_key FROM event t1`);
    expect(text).toContain('row_number() OVER (ORDER BY t1.page_key ASC, t1.id ASC)');
    expect(text.split(key)).toHaveLength(3);
  });

  test('by the field and direction asked for; cursors name the ordering', async () => {
    const { text } = await statementOf('{ implications(orderBy: { field: CONFIDENCE, direction: DESC }) { edges { cursor } } }');
    // A confidence may be not assessed: it orders by its rank in the scale, 0 for none.
    const rank = "(CASE t1.confidence WHEN 'LOW' THEN 1 WHEN 'MODERATE' THEN 2 WHEN 'HIGH' THEN 3 ELSE 0 END)";
    expect(text).toContain(`ORDER BY ${rank} DESC, t1.id DESC LIMIT`);
    expect(text).toContain(`${rank} AS page_key`);
    expect(text).toContain("json_build_array('CONFIDENCE', t1.page_key, t1.id)");
    expect(text).toContain('row_number() OVER (ORDER BY t1.page_key DESC, t1.id DESC)');
  });

  test('a field asked for without a direction is ascending', async () => {
    const { text } = await statementOf('{ implications(orderBy: { field: CONFIDENCE }) { nodes { statement } } }');
    expect(text).toContain("ORDER BY (CASE t1.confidence WHEN 'LOW' THEN 1 WHEN 'MODERATE' THEN 2 WHEN 'HIGH' THEN 3 ELSE 0 END) ASC, t1.id ASC LIMIT");
  });
});

describe('filters', () => {
  test('statement filters: citation grades on one citation, source counts, dates, marking', async () => {
    const statement = await statementOf(`{ events(filter: {
      minCredibility: 2, minReliability: B, reportedFrom: "2024-01-01", maxSources: 1,
      occurredFrom: "2024-10-01", occurredTo: "2024-12-31", markingAtMost: CLEAR
    }) { totalCount } }`);
    const { text } = statement;
    expect(paramAt(statement, /t\d+\.credibility <= \$(\d+)/)).toBe(2);
    expect(paramAt(statement, /t\d+\.reliability <= \$(\d+)::source_reliability/)).toBe('B');
    expect(paramAt(statement, /t\d+\.published_on >= \$(\d+)::date/)).toBe('2024-01-01');
    expect(paramAt(statement, /\) <= \$(\d+)/)).toBe(1);
    // An event is in the window when its date's interval overlaps it.
    const end = compile(occurredEndSql(sql`t1`)).text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(paramAt(statement, new RegExp(`${end} >= \\$(\\d+)::date`))).toBe('2024-10-01');
    expect(paramAt(statement, /t1\.occurred_on <= \$(\d+)::date/)).toBe('2024-12-31');
    expect(paramAt(statement, /t1\.marking <= \$(\d+)::tlp_marking/)).toBe('CLEAR');
    // The grades hold for one and the same citation: both in one EXISTS.
    expect(text).toMatch(/EXISTS \(SELECT 1 FROM citation (t\d+) JOIN source (t\d+)[^]*?\1\.credibility <= \$\d+ AND \2\.reliability <= \$\d+/);
  });

  test('actor filters: kinds, country, parent by visible id', async () => {
    const parent = toGlobalId('Actor', '424aecf3-a880-5c12-bda4-7dcd52c3817e');
    const statement = await statementOf(`{ actors(filter: { kinds: ["STATE", "ARMED_FORCE"], countryCode: "kp", parent: "${parent}" }) { totalCount } }`);
    expect(paramAt(statement, /t1\.kind = ANY\(\$(\d+)::text\[\]\)/)).toEqual(['STATE', 'ARMED_FORCE']);
    expect(paramAt(statement, /t1\.country_code = \$(\d+)/)).toBe('KP');
    // The parent must itself be visible, or the filter matches nothing.
    expect(statement.text).toMatch(/t1\.parent_id = \(SELECT (t\d+)\.id FROM actor \1 WHERE \1\.id = \$\d+::uuid AND \1\.marking <= 'CLEAR'::tlp_marking\)/);
  });

  test('a credibility outside 1-6 is BAD_USER_INPUT naming the filter field', async () => {
    const error = await errorOf('{ capabilities(filter: { minCredibility: 9 }) { totalCount } }');
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'filter.minCredibility' });
  });

  test('no filter, no condition beyond access and leaving retracted rows out', async () => {
    const statement = await statementOf('{ actors { totalCount } }');
    expect(statement.params).toEqual([]);
    expect(statement.text).toContain("FROM actor t1 WHERE t1.marking <= 'CLEAR'::tlp_marking AND t1.retracted_at IS NULL)");
    const everything = await statementOf('{ actors(includeRetracted: true) { totalCount } }');
    expect(everything.text).toContain("FROM actor t1 WHERE t1.marking <= 'CLEAR'::tlp_marking)");
  });
});

describe('the text of the fast path', () => {
  test('an object is concatenated in balanced halves, so a long nested value is not copied once per later field', () => {
    const entries = ['a', 'b', 'c', 'd'].map((key, i): [string, Sql] => [key, sql.identifier(`v${i + 1}`)]);
    expect(compile(TEXT_OUTPUT.object(entries)).text).toBe(`(((('{"a":' || v1) || ',"b":') || (v2 || ',"c":')) || ((v3 || ',"d":') || (v4 || '}')))`);
  });
});

describe('the offline compiler', () => {
  test('is deterministic: the same operation gives the same SQL and parameters', async () => {
    const [operation] = fixtureOperations();
    expect(await sqlOf(operation, undefined, GREEN_READER)).toEqual(await sqlOf(operation, undefined, GREEN_READER));
  });

  test('gives each root field its own statement, numbered from t1 and $1', async () => {
    const fields = await sqlOf('{ a: actors(filter: { search: "x" }) { totalCount } events(filter: { topic: "y" }) { totalCount } viewer { clearance } }');
    expect(fields.map((f) => [f.responseKey, f.field])).toEqual([
      ['a', 'Query.actors'],
      ['events', 'Query.events'],
      ['viewer', 'Query.viewer'],
    ]);
    for (const { statement } of fields.slice(0, 2)) {
      expect(statement!.text).toMatch(/^SELECT \(SELECT json_build_object\('totalCount', \(SELECT count\(\*\)::int FROM [a-z_]+ t1 /);
      expect(statement!.text).toContain('$1');
    }
    // Answered from the request's identity, without SQL.
    expect(fields[2].statement).toBeNull();
  });

  test('refuses a root field that uses the database beyond one statement', async () => {
    const admin: Viewer = { principal: 'org-a/admin', organisation: 'org-a', role: Role.ADMIN, clearance: Marking.GREEN };
    await expect(sqlOf('{ apiKeys { name } }', undefined, admin)).rejects.toThrow(/dataSource\.manager/);
  });

  test('refuses mutations and invalid documents', async () => {
    await expect(sqlOf('mutation { revokeApiKey(id: "x") { name } }')).rejects.toThrow(/only queries/);
    await expect(sqlOf('{ actors { nope } }')).rejects.toThrow(/nope/);
  });
});
