import type { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, TestServer } from './support/server';

// Who is asking, and what each identity may see and do. The seed's marked layer has an AMBER judgment and a RED one
// for the principal `lead-analyst`; this file adds an AMBER+STRICT judgment of organisation `org-a`.
let server: TestServer;
const topic = 'dprk-troops-in-russia';
const implication = (key: string) => fixtureId('topic', topic, 'implications', key);
const ITEMS = {
  amber: { id: implication('kursk-first-combat-employment'), text: 'North Korean troops are first committed in the Kursk region' },
  red: { id: implication('losses-bring-reinforcements'), text: 'In return for the partnership, Russia draws on' },
  strict: { id: '00000000-0000-4000-8000-0000000057a1', text: 'STRICT: an organisation-only judgment.' },
};

async function keyFor(name: string, role: Role, clearance: Marking, organisation: string | null) {
  return (await createKey(server.dataSource.manager, { name, role, clearance, organisation })).key;
}

beforeAll(async () => {
  server = await startTestServer();
  await server.dataSource.query(
    `INSERT INTO implication (id, topic_id, statement, likelihood, confidence, scope, horizon, marking, organisation)
     VALUES ($1, $2, $3, 'LIKELY', 'LOW', 'CONFLICT', 'IMMEDIATE', 'AMBER_STRICT', 'org-a')`,
    [ITEMS.strict.id, fixtureId('topic', topic), ITEMS.strict.text],
  );
  await server.dataSource.query(
    `INSERT INTO citation (id, source_id, verb, quote, credibility, implication_id) VALUES (gen_random_uuid(), $1, 'ASSESSES', 'q', 3, $2)`,
    [fixtureId('source', 'article'), ITEMS.strict.id],
  );
});
afterAll(() => server.close());

const EVERY_PATH = `{
  implications(filter: { topic: "${topic}" }, first: 100) { totalCount nodes { id statement } }
  weak: implications(filter: { topic: "${topic}", confidenceAtLeast: LOW, maxSources: 1 }, first: 100) { totalCount nodes { id } }
  topic(slug: "${topic}") { implications(first: 100) { totalCount nodes { id } } }
  brief(input: { topics: ["${topic}"], sections: [IMPLICATIONS, GAPS], limitPerSection: 100 }) { markdown statementCount }
  sources(first: 100) { nodes { citations(first: 100) { nodes { statement { id } } } } }
}`;

/** Which of the marked items an identity sees, through every path; and proof that the paths agree. */
async function seenBy(key: string | null) {
  const response = await server.gqlAs(key, EVERY_PATH);
  expect(response.body.errors).toBeUndefined();
  const body = JSON.stringify(response.body);
  const seen: string[] = [];
  for (const [name, item] of Object.entries(ITEMS)) {
    const globalId = toGlobalId('Implication', item.id);
    const inList = response.body.data.implications.nodes.some((n: any) => n.id === globalId);
    const inNested = response.body.data.topic.implications.nodes.some((n: any) => n.id === globalId);
    const lookup = await server.gqlAs(key, `query($id: ID!) { node(id: $id) { id } }`, { id: globalId });
    const byNode = lookup.body.data?.node?.id === globalId;
    // Above clearance is NOT_FOUND, exactly like an id that does not exist.
    if (!byNode) expect(lookup.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    if (!byNode) expect(JSON.stringify(lookup.body)).not.toContain(item.text);
    const inBrief = response.body.data.brief.markdown.includes(item.text);
    const inCitations = body.includes(`"statement":{"id":"${globalId}"}`);
    const inFiltered = response.body.data.weak.nodes.some((n: any) => n.id === globalId);
    if (!inList) expect({ name, inFiltered }).toEqual({ name, inFiltered: false });
    // Every path tells the same story, and the text appears nowhere when the item is not seen.
    expect({ name, inNested, byNode, inBrief, inCitations }).toEqual({ name, inNested: inList, byNode: inList, inBrief: inList, inCitations: inList });
    if (!inList) expect(body).not.toContain(item.text);
    if (inList) seen.push(name);
  }
  const { implications, topic: t } = response.body.data;
  expect(t.implications.totalCount).toBe(implications.totalCount);
  return { seen: seen.sort(), total: implications.totalCount };
}

test('TLP 2.0 on every path: clearance for CLEAR to AMBER, organisation for AMBER+STRICT, audience for RED', async () => {
  const identities: Array<[string, string | null, string[]]> = [
    ['anonymous (CLEAR)', null, []],
    ['GREEN', await keyFor('green-reader', Role.VIEWER, 'GREEN' as Marking, 'org-a'), []],
    ['AMBER', await keyFor('amber-reader', Role.VIEWER, 'AMBER' as Marking, 'org-a'), ['amber']],
    ['AMBER_STRICT of org-a', await keyFor('strict-a', Role.VIEWER, 'AMBER_STRICT' as Marking, 'org-a'), ['amber', 'strict']],
    ['AMBER_STRICT of org-b', await keyFor('strict-b', Role.VIEWER, 'AMBER_STRICT' as Marking, 'org-b'), ['amber']],
    ['RED, not in the audience', await keyFor('red-other', Role.ADMIN, 'RED' as Marking, 'org-a'), ['amber', 'strict']],
    // The seed's RED judgment is for demo/lead-analyst: the same name in another organisation is somebody else.
    ['RED, same name in another organisation', await keyFor('lead-analyst', Role.ANALYST, 'RED' as Marking, 'org-a'), ['amber', 'strict']],
    ['RED, in the audience', await keyFor('lead-analyst', Role.ANALYST, 'RED' as Marking, 'demo'), ['amber', 'red']],
  ];
  const totals: number[] = [];
  for (const [who, key, expected] of identities) {
    const { seen, total } = await seenBy(key);
    expect({ who, seen }).toEqual({ who, seen: expected.sort() });
    totals.push(total - expected.length);
  }
  // What is left once the marked items are taken away is the same for everybody: counts leak nothing.
  expect(new Set(totals).size).toBe(1);
});

test('keys: created by an admin and shown once, listed without the secret, revoked on the next request', async () => {
  const CREATE = `mutation($input: ApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name prefix role clearance organisation } } }`;
  const created = dataOf(await server.gql(CREATE, { input: { name: 'new-viewer', role: 'VIEWER', clearance: 'GREEN' } })).createApiKey;
  expect(created.key).toMatch(/^dsk_[A-Za-z0-9_-]{43}$/);
  expect(created.apiKey).toMatchObject({ name: 'new-viewer', role: 'VIEWER', clearance: 'GREEN', organisation: 'test-org', prefix: created.key.slice(0, 12) });
  const [stored] = await server.dataSource.query(`SELECT hash FROM api_key WHERE name = 'new-viewer'`);
  expect(stored.hash).not.toContain(created.key);
  const listed = JSON.stringify(dataOf(await server.gql(`{ apiKeys { name prefix } }`)));
  expect(listed).toContain('new-viewer');
  expect(listed).not.toContain(created.key);

  const me = dataOf(await server.gqlAs(created.key, `{ viewer { principal role clearance organisation } }`)).viewer;
  expect(me).toEqual({ principal: 'test-org/new-viewer', role: 'VIEWER', clearance: 'GREEN', organisation: 'test-org' });
  dataOf(await server.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: created.apiKey.id }));
  const after = await server.gqlAs(created.key, `{ viewer { principal } }`);
  expect(after.status).toBe(401);
  expect(after.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

test('an admin grants at most their own clearance, in their own organisation', async () => {
  const CREATE = `mutation($input: ApiKeyInput!) { createApiKey(input: $input) { key } }`;
  for (const [input, field] of [
    [{ name: 'too-high', role: 'VIEWER', clearance: 'AMBER' }, 'input.clearance'],
    [{ name: 'elsewhere', role: 'VIEWER', clearance: 'GREEN', organisation: 'org-b' }, 'input.organisation'],
    [{ name: "bad'name", role: 'VIEWER', clearance: 'GREEN' }, 'input.name'],
  ] as const) {
    const error = (await server.gql(CREATE, { input })).body.errors?.[0];
    expect({ input, code: error?.extensions?.code, field: error?.extensions?.argumentName }).toEqual({ input, code: 'BAD_USER_INPUT', field });
  }
  const taken = (await server.gql(CREATE, { input: { name: 'new-viewer', role: 'VIEWER', clearance: 'GREEN' } })).body.errors?.[0];
  expect(taken?.extensions?.code).toBe('CONFLICT');
});

test('mutations need an identity (UNAUTHENTICATED) and the role (FORBIDDEN)', async () => {
  const viewer = await keyFor('plain-viewer', Role.VIEWER, 'GREEN' as Marking, 'test-org');
  const analyst = await keyFor('plain-analyst', Role.ANALYST, 'GREEN' as Marking, 'test-org');
  const DEFINE = `mutation { createBriefDefinition(input: { name: "x", brief: { topics: ["${topic}"] }, cron: "@daily" }) { id } }`;
  const KEYS = `{ apiKeys { name } }`;
  const cases: Array<[string | null, string, string]> = [
    [null, DEFINE, 'UNAUTHENTICATED'],
    [viewer, DEFINE, 'FORBIDDEN'],
    [analyst, DEFINE, 'FORBIDDEN'],
    [null, KEYS, 'UNAUTHENTICATED'],
    [analyst, KEYS, 'FORBIDDEN'],
  ];
  for (const [key, query, code] of cases) {
    const response = await server.gqlAs(key, query);
    expect({ query, key: key?.slice(0, 8) ?? null, code: response.body.errors?.[0]?.extensions?.code }).toEqual({ query, key: key?.slice(0, 8) ?? null, code });
  }
  expect(await server.dataSource.query(`SELECT 1 FROM brief_definition WHERE name = 'x'`)).toEqual([]);
});

test('bad credentials are refused with 401, never read as anonymous; anonymous reading can be turned off', async () => {
  for (const authorization of ['Bearer dsk_not-a-key', 'Bearer', 'Basic abc', 'Bearer eyJhbGciOi.x.y']) {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: '{ viewer { principal } }' }),
    });
    expect({ authorization, status: res.status, code: (await res.json()).errors?.[0]?.extensions?.code }).toEqual({
      authorization,
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  }
  const closed = await startTestServer({ ANONYMOUS: 'off' }, server.databaseUrl);
  try {
    const anonymous = await closed.gqlAs(null, '{ viewer { principal } }');
    expect({ status: anonymous.status, code: anonymous.body.errors?.[0]?.extensions?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(dataOf(await closed.gql('{ viewer { role } }')).viewer.role).toBe('ADMIN');
  } finally {
    await closed.close();
  }
});

test('filtering by the id of an item one may not see matches nothing, exactly like an id that does not exist', async () => {
  const hiddenActor = '00000000-0000-4000-8000-0000000057a2';
  await server.dataSource.query(`INSERT INTO actor (id, name, kind, marking) VALUES ($1, 'Hidden unit', 'MILITARY_UNIT', 'AMBER')`, [hiddenActor]);
  const capability = '00000000-0000-4000-8000-0000000057a3';
  await server.dataSource.query(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement) VALUES ($1, $2, $3, 'TACTICS', 'A CLEAR statement about a hidden unit.')`,
    [capability, fixtureId('topic', topic), hiddenActor],
  );
  const Q = `query($actor: ID!) {
    capabilities(filter: { actor: $actor }) { totalCount }
    implications(filter: { actor: $actor }) { totalCount }
    events(filter: { actor: $actor }) { totalCount }
    relations(filter: { actor: $actor }) { totalCount }
    actors(filter: { parent: $actor }) { totalCount }
    sources(filter: { publisher: $actor }) { totalCount }
  }`;
  const hidden = dataOf(await server.gqlAs(null, Q, { actor: toGlobalId('Actor', hiddenActor) }));
  const nothing = dataOf(await server.gqlAs(null, Q, { actor: toGlobalId('Actor', '00000000-0000-4000-8000-0000000057ff') }));
  expect(hidden).toEqual(nothing);
  expect(hidden.capabilities.totalCount).toBe(0);
  // A reader cleared for the actor finds the statement.
  const amber = await keyFor('amber-filter', Role.VIEWER, 'AMBER' as Marking, 'org-a');
  expect(dataOf(await server.gqlAs(amber, Q, { actor: toGlobalId('Actor', hiddenActor) })).capabilities.totalCount).toBe(1);
});

test('an admin sees and revokes only keys at or below its own clearance; one above is NOT_FOUND, like a missing one', async () => {
  const greenAdmin = await keyFor('green-admin', Role.ADMIN, 'GREEN' as Marking, 'org-c');
  const amberAdmin = await keyFor('amber-admin', Role.ADMIN, 'AMBER' as Marking, 'org-c');
  const red = await createKey(server.dataSource.manager, { name: 'red-lead', role: Role.VIEWER, clearance: 'RED' as Marking, organisation: 'org-c' });
  const green = await createKey(server.dataSource.manager, { name: 'green-clerk', role: Role.VIEWER, clearance: 'GREEN' as Marking, organisation: 'org-c' });
  const names = async (key: string) => dataOf(await server.gqlAs(key, `{ apiKeys { name clearance } }`)).apiKeys.map((k: { name: string }) => k.name);
  expect(await names(greenAdmin)).toEqual(['green-admin', 'green-clerk']);
  expect(await names(amberAdmin)).toEqual(['amber-admin', 'green-admin', 'green-clerk']);

  const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { name revokedAt } }`;
  const above = await server.gqlAs(greenAdmin, REVOKE, { id: toGlobalId('ApiKey', red.apiKey.id) });
  const missing = await server.gqlAs(greenAdmin, REVOKE, { id: toGlobalId('ApiKey', '00000000-0000-4000-8000-00000000c0de') });
  const shape = (r: typeof above) => ({ status: r.status, code: r.body.errors?.[0]?.extensions?.code, data: r.body.data });
  expect(shape(above)).toEqual({ status: 200, code: 'NOT_FOUND', data: null });
  expect(shape(missing)).toEqual(shape(above));
  expect(JSON.stringify(above.body)).not.toContain('red-lead');
  // The RED key still works; a key within the admin's clearance is revoked as before.
  expect(dataOf(await server.gqlAs(red.key, `{ viewer { clearance } }`)).viewer.clearance).toBe('RED');
  expect(dataOf(await server.gqlAs(greenAdmin, REVOKE, { id: toGlobalId('ApiKey', green.apiKey.id) })).revokeApiKey.revokedAt).not.toBeNull();
});
