import { Client } from 'pg';
import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { fromGlobalId, toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, TestServer } from './support/server';

// Every change is recorded with who, when, what and why; the feed resumes from a cursor without loss or repetition,
// in an order no later commit can break; and both obey markings.
let server: TestServer;
const keys: Record<string, string> = {};
const ORG = 'org-h';
const article = toGlobalId('Source', fixtureId('source', 'article'));
const FIELDS = `cursor operation itemId itemType topic version principal comment at before after`;
const PAGE = `pageInfo { hasNextPage endCursor } nodes { ${FIELDS} }`;
const HISTORY = `query($id: ID!, $first: Int, $after: String) { history(id: $id, first: $first, after: $after) { ${PAGE} } }`;
const CHANGES = `query($after: String, $first: Int, $filter: ChangeFilter) { changes(after: $after, first: $first, filter: $filter) { ${PAGE} } }`;

beforeAll(async () => {
  server = await startTestServer();
  const make = async (name: string, role: Role, clearance: Marking) =>
    (keys[name] = (await createKey(server.dataSource.manager, { name, role, clearance, organisation: ORG })).key);
  await make('writer', Role.ANALYST, Marking.RED);
  await make('admin', Role.ADMIN, Marking.RED);
  await make('green', Role.VIEWER, Marking.GREEN);
  await make('amber', Role.VIEWER, Marking.AMBER);
  await make('red', Role.VIEWER, Marking.RED);
});
afterAll(() => server.close());

let topics = 0;
/** A topic of its own for a test, so that its feed holds only that test's changes. */
async function newTopic(): Promise<string> {
  topics += 1;
  const slug = `history-${topics}`;
  dataOf(
    await server.gqlAs(keys.writer, `mutation($input: TopicInput!) { createTopic(input: $input) { id } }`, {
      input: { slug, title: slug, summary: 'for history' },
    }),
  );
  return slug;
}

const judgment = (topic: string, statement: string, extra: Record<string, unknown> = {}) => ({
  topic,
  statement,
  likelihood: 'LIKELY',
  confidence: 'LOW',
  scope: 'CONFLICT',
  horizon: 'SHORT_TERM',
  citations: [{ source: article, verb: 'ASSESSES', quote: 'q', credibility: 3 }],
  ...extra,
});

async function createJudgment(
  topic: string,
  statement: string,
  extra: Record<string, unknown> = {},
  comment?: string,
): Promise<{ id: string; version: number }> {
  const created = dataOf(
    await server.gqlAs(
      keys.writer,
      `mutation($input: ImplicationInput!, $comment: String) { createImplication(input: $input, comment: $comment) { id version } }`,
      {
        input: judgment(topic, statement, extra),
        comment,
      },
    ),
  );
  return created.createImplication;
}

async function update(key: string, id: string, version: number, input: Record<string, unknown>, comment?: string): Promise<number> {
  const res = await server.gqlAs(
    key,
    `mutation($id: ID!, $version: Int, $input: ImplicationPatch!, $comment: String) { updateImplication(id: $id, version: $version, input: $input, comment: $comment) { version } }`,
    { id, version, input, comment },
  );
  return dataOf(res).updateImplication.version;
}

type Change = {
  cursor: string;
  operation: string;
  itemId: string;
  itemType: string;
  topic: string | null;
  version: number;
  principal: string;
  comment: string | null;
  before: any;
  after: any;
};

async function history(key: string | null, id: string): Promise<Change[]> {
  return dataOf(await server.gqlAs(key, HISTORY, { id, first: 100 })).history.nodes;
}

/** The feed after `after` as `key` reads it, page by page, once it holds at least `count` changes (commits may lag). */
async function feed(key: string | null, filter: Record<string, unknown>, count: number, after: string | null = null, first = 100) {
  for (let attempt = 0; ; attempt++) {
    const nodes: Change[] = [];
    let cursor = after;
    for (;;) {
      const page = dataOf(await server.gqlAs(key, CHANGES, { after: cursor, first, filter })).changes;
      nodes.push(...page.nodes);
      cursor = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    if (nodes.length >= count || attempt === 50) return { nodes, endCursor: cursor };
    // Another test's transaction still running holds the feed back until it ends.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const principal = (name: string) => `${ORG}/${name}`;

test('create, update, retract, restore and delete are each recorded with who, why and the fields that changed', async () => {
  const topic = await newTopic();
  const { id, version } = await createJudgment(topic, 'Units rotate out before spring.', {}, 'first report');
  const v2 = await update(keys.writer, id, version, { statement: 'Units rotate out before summer.' }, 'corrected season');
  const retracted = await server.gqlAs(
    keys.writer,
    `mutation($id: ID!, $v: Int) { retractImplication(id: $id, version: $v, reason: "Not borne out", comment: "reviewed") { version } }`,
    { id, v: v2 },
  );
  const v3 = dataOf(retracted).retractImplication.version;
  dataOf(await server.gqlAs(keys.writer, `mutation($id: ID!, $v: Int) { restoreImplication(id: $id, version: $v) { version } }`, { id, v: v3 }));

  const changes = await history(keys.green, id);
  expect(changes.map((c) => [c.operation, c.version, c.principal, c.comment])).toEqual([
    ['CREATE', 1, principal('writer'), 'first report'],
    ['UPDATE', 2, principal('writer'), 'corrected season'],
    ['RETRACT', 3, principal('writer'), 'reviewed'],
    ['RESTORE', 4, principal('writer'), null],
  ]);
  expect(changes.every((c) => c.itemId === id && c.itemType === 'Implication' && c.topic === topic)).toBe(true);
  expect(changes[0].before).toBeNull();
  expect(changes[0].after).toMatchObject({ statement: 'Units rotate out before spring.', likelihood: 'LIKELY', marking: 'CLEAR' });
  expect(changes[0].after.topicId).toBe(toGlobalId('Topic', fromGlobalId(changes[0].after.topicId, 'x').id));
  expect(changes[1].before).toEqual({ statement: 'Units rotate out before spring.' });
  expect(changes[1].after).toEqual({ statement: 'Units rotate out before summer.' });
  expect(changes[2].before).toEqual({ retractedAt: null, retractionReason: null });
  expect(changes[2].after).toMatchObject({ retractionReason: 'Not borne out' });
  expect(changes[3].after).toEqual({ retractedAt: null, retractionReason: null });

  // Its citation has a history of its own, in the same topic.
  const cited = await feed(keys.green, { topic, types: ['Citation'] }, 1);
  expect(cited.nodes.map((c) => [c.operation, c.itemType, c.topic, c.principal])).toEqual([['CREATE', 'Citation', topic, principal('writer')]]);

  // Deleted for good: the deletion is recorded, and nothing of the item is kept, not even in its earlier changes.
  dataOf(await server.gqlAs(keys.admin, `mutation($id: ID!) { deleteImplication(id: $id, comment: "must not be kept") }`, { id }));
  const after = await history(keys.green, id);
  expect(after.map((c) => c.operation)).toEqual(['CREATE', 'UPDATE', 'RETRACT', 'RESTORE', 'DELETE']);
  expect(after.at(-1)).toMatchObject({ principal: principal('admin'), comment: 'must not be kept', before: null, after: null });
  expect(after.every((c) => c.before === null && c.after === null)).toBe(true);
  const kept = await server.dataSource.query(`SELECT count(*)::int AS n FROM change WHERE item_id = $1 AND (before IS NOT NULL OR after IS NOT NULL)`, [
    fromGlobalId(id, 'id').id,
  ]);
  expect(kept[0].n).toBe(0);
});

test('a change that changes nothing is no change; the seed is recorded as dossier:seed', async () => {
  const topic = await newTopic();
  const { id, version } = await createJudgment(topic, 'Nothing changes here.');
  await update(keys.writer, id, version, { statement: 'Nothing changes here.' });
  expect((await history(keys.writer, id)).map((c) => c.operation)).toEqual(['CREATE']);
  // A change of its links alone is a new version that changed none of its fields.
  const topicId = (await feed(keys.writer, { topic, types: ['Topic'] }, 1)).nodes[0].itemId;
  const kpa = toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army'));
  dataOf(
    await server.gqlAs(keys.writer, `mutation($id: ID!, $a: [ID!]) { updateTopic(id: $id, input: { addActors: $a }, comment: "linked") { id } }`, {
      id: topicId,
      a: [kpa],
    }),
  );
  expect((await history(keys.writer, topicId)).map((c) => [c.operation, c.version, c.comment, c.before, c.after])).toEqual([
    ['CREATE', 1, null, null, expect.objectContaining({ slug: topic })],
    ['UPDATE', 2, 'linked', {}, {}],
  ]);
  const seeded = await history(null, toGlobalId('Topic', fixtureId('topic', 'dprk-troops-in-russia')));
  expect(seeded[0]).toMatchObject({ operation: 'CREATE', principal: 'dossier:seed', topic: 'dprk-troops-in-russia' });
});

test('the history of an item the reader may not see is NOT_FOUND, like that of one that does not exist', async () => {
  const topic = await newTopic();
  const { id } = await createJudgment(topic, 'An AMBER judgment.', { marking: 'AMBER' });
  expect((await history(keys.amber, id)).map((c) => c.operation)).toEqual(['CREATE']);
  for (const key of [keys.green, null]) {
    const res = await server.gqlAs(key, HISTORY, { id });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(res.body.data).toBeNull();
  }
  const missing = await server.gqlAs(keys.green, HISTORY, { id: toGlobalId('Implication', '00000000-0000-4000-8000-000000000000') });
  expect(missing.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  expect((await server.gqlAs(keys.green, HISTORY, { id: 'nonsense' })).body.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    argumentName: 'id',
  });
});

test('the feed resumes from its cursor without loss or repetition, page by page', async () => {
  const topic = await newTopic();
  for (let i = 1; i <= 4; i++) await createJudgment(topic, `Judgment ${i}.`);
  // The topic, and each judgment with its citation.
  const whole = await feed(keys.green, { topic }, 9);
  expect(whole.nodes).toHaveLength(9);
  const paged = await feed(keys.green, { topic }, 9, null, 2);
  expect(paged.nodes.map((c) => c.cursor)).toEqual(whole.nodes.map((c) => c.cursor));
  expect(new Set(paged.nodes.map((c) => c.cursor)).size).toBe(9);

  // Resumed later from where it stopped: only what came since.
  const { id, version } = await createJudgment(topic, 'Judgment 5.');
  await update(keys.writer, id, version, { likelihood: 'UNLIKELY' });
  const resumed = await feed(keys.green, { topic }, 3, whole.endCursor);
  expect(resumed.nodes.map((c) => [c.itemType, c.operation])).toEqual([
    ['Implication', 'CREATE'],
    ['Citation', 'CREATE'],
    ['Implication', 'UPDATE'],
  ]);
  expect(resumed.nodes[2]).toMatchObject({ before: { likelihood: 'LIKELY' }, after: { likelihood: 'UNLIKELY' } });
  expect((await feed(keys.green, { topic }, 0, resumed.endCursor)).nodes).toEqual([]);

  const bad = await server.gqlAs(keys.green, CHANGES, { after: 'not-a-cursor' });
  expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  const tooMany = await server.gqlAs(keys.green, CHANGES, { first: 101 });
  expect(tooMany.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
});

test('a transaction that started earlier but commits later is never passed over by a cursor', async () => {
  const topic = await newTopic();
  const [{ id: topicId }] = await server.dataSource.query(`SELECT id FROM topic WHERE slug = $1`, [topic]);
  const before = await feed(keys.green, { topic }, 1);
  const [early, late] = [new Client({ connectionString: server.databaseUrl }), new Client({ connectionString: server.databaseUrl })];
  await Promise.all([early.connect(), late.connect()]);
  const insert = (client: Client, statement: string) =>
    client.query(
      `INSERT INTO implication (id, topic_id, statement, likelihood, confidence, scope, horizon) VALUES (gen_random_uuid(), $1, $2, 'LIKELY', 'LOW', 'GLOBAL', 'LONG_TERM')`,
      [topicId, statement],
    );
  try {
    await early.query('BEGIN');
    await insert(early, 'Started first, committed last.');
    await late.query('BEGIN');
    await insert(late, 'Started last, committed first.');
    await late.query('COMMIT');
    // Committed, but behind a transaction still running: not in the feed yet, or a cursor past it would skip the other.
    const meanwhile = dataOf(await server.gqlAs(keys.green, CHANGES, { after: before.endCursor, filter: { topic } })).changes;
    expect(meanwhile.nodes).toEqual([]);
    expect(meanwhile.pageInfo.endCursor).toBe(before.endCursor);
    await early.query('COMMIT');
  } finally {
    await Promise.all([early.end(), late.end()]);
  }
  const resumed = await feed(keys.green, { topic }, 2, before.endCursor);
  expect(resumed.nodes.map((c) => c.after.statement)).toEqual(['Started first, committed last.', 'Started last, committed first.']);
  expect(resumed.nodes.every((c) => c.principal === null)).toBe(true);
});

test('markings: a change the reader may not see is invisible; re-marked above the reader, the item leaves as HIDDEN', async () => {
  const topic = await newTopic();
  const ops = async (key: string | null) => (await feed(key, { topic, types: ['Implication'] }, 0)).nodes.map((c) => c.operation);
  const { id, version } = await createJudgment(topic, 'A GREEN judgment.', { marking: 'GREEN' });
  await createJudgment(topic, 'A RED judgment for the writer.', { marking: 'RED', audience: [principal('writer')] });
  await feed(keys.writer, { topic, types: ['Implication'] }, 2);
  expect(await ops(null)).toEqual([]);
  expect(await ops(keys.green)).toEqual(['CREATE']);
  // RED is for its audience only, whatever the clearance.
  expect(await ops(keys.red)).toEqual(['CREATE']);
  expect(await ops(keys.writer)).toEqual(['CREATE', 'CREATE']);

  // Raised to AMBER, then changed while AMBER: the GREEN reader who followed the feed sees it leave, once, and
  // nothing of it after; one who reads from the start now sees only that it left, none of what it said.
  const filter = { topic, types: ['Implication'] };
  const followed = await feed(keys.green, filter, 1);
  const v2 = await update(keys.writer, id, version, { marking: 'AMBER' }, 'now sensitive');
  await update(keys.writer, id, v2, { statement: 'An AMBER judgment now.' });
  await feed(keys.amber, filter, 3);
  const left = (await feed(keys.green, filter, 1, followed.endCursor)).nodes;
  expect(left.map((c) => [c.operation, c.before, c.after, c.comment])).toEqual([['HIDDEN', null, null, null]]);
  expect((await feed(keys.green, filter, 1)).nodes.map((c) => [c.operation, c.after])).toEqual([['HIDDEN', null]]);
  const amber = (await feed(keys.amber, filter, 3)).nodes;
  expect(amber.map((c) => [c.operation, c.before, c.after])).toEqual([
    ['CREATE', null, expect.objectContaining({ statement: 'A GREEN judgment.' })],
    ['UPDATE', { marking: 'GREEN' }, { marking: 'AMBER' }],
    ['UPDATE', { statement: 'A GREEN judgment.' }, { statement: 'An AMBER judgment now.' }],
  ]);
  // Its history follows the same rule, and is NOT_FOUND now for the GREEN reader.
  expect((await server.gqlAs(keys.green, HISTORY, { id })).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

  // Released back to GREEN: it comes back whole, with what it says now, and nothing of what it said while AMBER.
  await update(keys.admin, id, v2 + 1, { marking: 'GREEN', releaseReason: 'cleared for partners' });
  const resumed = (await feed(keys.green, filter, 1, left.at(-1)!.cursor)).nodes;
  expect(resumed.map((c) => [c.operation, c.before, c.after?.statement])).toEqual([['REVEALED', null, 'An AMBER judgment now.']]);
  const back = (await feed(keys.green, filter, 3)).nodes;
  expect(back.map((c) => c.operation)).toEqual(['CREATE', 'HIDDEN', 'REVEALED']);
  expect(back[2]).toMatchObject({ before: null, after: { statement: 'An AMBER judgment now.', marking: 'GREEN' } });
  expect((await history(keys.green, id)).map((c) => c.operation)).toEqual(['CREATE', 'HIDDEN', 'REVEALED']);
  expect(await ops(null)).toEqual([]);
});

test('a reference to an item the reader may not see is shown as null, one it may see as its global id', async () => {
  const topic = await newTopic();
  const actor = dataOf(
    await server.gqlAs(keys.writer, `mutation { createActor(input: { name: "An AMBER unit of history", kind: "MILITARY_UNIT", marking: AMBER }) { id } }`),
  ).createActor.id;
  const input = {
    topic,
    actor,
    category: 'MANPOWER',
    statement: 'A GREEN capability of an AMBER unit.',
    marking: 'GREEN',
    citations: judgment(topic, '').citations,
  };
  const { id } = dataOf(
    await server.gqlAs(keys.writer, `mutation($input: CapabilityInput!) { createCapability(input: $input) { id } }`, { input }),
  ).createCapability;
  const topicId = toGlobalId('Topic', (await server.dataSource.query(`SELECT id FROM topic WHERE slug = $1`, [topic]))[0].id);
  expect((await history(keys.green, id))[0].after).toMatchObject({ topicId, actorId: null, statement: input.statement });
  expect((await history(keys.amber, id))[0].after).toMatchObject({ topicId, actorId: actor });
});

test('the feed filters by topic (slug or id) and by type; an unknown type is BAD_USER_INPUT', async () => {
  const topic = await newTopic();
  await createJudgment(topic, 'Filtered.');
  const all = await feed(keys.green, { topic }, 3);
  expect(all.nodes.map((c) => c.itemType)).toEqual(['Topic', 'Implication', 'Citation']);
  const topicId = all.nodes[0].itemId;
  expect((await feed(keys.green, { topic: topicId, types: ['Topic', 'Implication'] }, 2)).nodes.map((c) => c.itemType)).toEqual(['Topic', 'Implication']);
  expect((await feed(keys.green, { topic: 'no-such-topic' }, 0)).nodes).toEqual([]);
  // A statement moved to another topic is in the feeds of both.
  const other = await newTopic();
  const moved = all.nodes[1];
  await update(keys.writer, moved.itemId, 1, { topic: other });
  for (const [slug, count] of [
    [topic, 2],
    [other, 1],
  ] as const) {
    const move = (await feed(keys.green, { topic: slug, types: ['Implication'] }, count)).nodes.at(-1)!;
    expect(move).toMatchObject({ operation: 'UPDATE', itemId: moved.itemId, topic: other });
    expect(Object.keys(move.before)).toEqual(['topicId']);
  }
  const bad = await server.gqlAs(keys.green, CHANGES, { filter: { types: ['Widget'] } });
  expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'filter.types' });
});

describe('briefDelta without a stored run reads the history', () => {
  const DELTA = `query($input: BriefInput!, $since: DateTime!) {
    briefDelta(input: $input, since: $since) { baseline added { id text } changed { id changes } unchanged }
  }`;
  const seedTopic = 'dprk-troops-in-russia';
  const delta = async (key: string, topic: string, since: string) =>
    dataOf(await server.gqlAs(key, DELTA, { input: { topics: [topic], limitPerSection: 100 }, since })).briefDelta;

  test('a fresh install reports nothing of its seed as added since a date before it', async () => {
    const fresh = await delta(keys.green, seedTopic, '2000-01-01T00:00:00Z');
    expect(fresh).toMatchObject({ baseline: 'TIMESTAMPS', added: [], changed: [] });
    expect(fresh.unchanged).toBeGreaterThan(40);
  });

  test('what is recorded, changed or released after the date is added or changed, with what changed', async () => {
    const topic = await newTopic();
    const { id: old, version } = await createJudgment(topic, 'Recorded before.');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date().toISOString();
    const { id: fresh } = await createJudgment(topic, 'Recorded after.');
    await update(keys.writer, old, version, { likelihood: 'UNLIKELY', statement: 'Recorded before, reworded after.' });
    const { id: hidden, version: hv } = await createJudgment(topic, 'AMBER before, released after.', { marking: 'AMBER' });
    expect((await delta(keys.green, topic, since)).added.map((a: { id: string }) => a.id)).toEqual([fresh]);
    await update(keys.admin, hidden, hv, { marking: 'GREEN', releaseReason: 'released' });
    // Its citation was marked like it: released too, or the brief would not carry it.
    const [citation] = await server.dataSource.query(`SELECT id FROM citation WHERE implication_id = $1`, [fromGlobalId(hidden, 'id').id]);
    dataOf(
      await server.gqlAs(keys.admin, `mutation($id: ID!) { updateCitation(id: $id, input: { marking: GREEN, releaseReason: "released" }) { id } }`, {
        id: toGlobalId('Citation', citation.id),
      }),
    );

    const seen = await delta(keys.green, topic, since);
    expect(seen.added.map((a: { text: string }) => a.text).sort()).toEqual(['AMBER before, released after.', 'Recorded after.']);
    expect(seen.changed).toEqual([{ id: old, changes: ['likelihood', 'text'] }]);
    expect(seen.unchanged).toBe(0);
  });
});

test('a statement re-marked above a reader and then deleted keeps its citations’ history from that reader', async () => {
  const topic = await newTopic();
  const { id, version } = await createJudgment(topic, 'A judgment later re-marked and deleted.');
  const { node } = dataOf(await server.gqlAs(keys.writer, `query($id: ID!) { node(id: $id) { ... on Implication { citations { id } } } }`, { id }));
  const citation = node.citations[0].id;
  expect(await history(keys.green, citation)).not.toEqual([]);
  await update(keys.admin, id, version, { marking: 'RED', audience: [principal('admin')] });
  const deleted = await server.gqlAs(keys.admin, `mutation($id: ID!, $comment: String) { deleteImplication(id: $id, comment: $comment) }`, {
    id,
    comment: 'RED-ONLY: why it went',
  });
  expect(dataOf(deleted).deleteImplication).toBe(id);
  // The citation's creation and deletion are in the feed of one who may read it, before the other reader's is read.
  const admin = (await feed(keys.admin, { topic, types: ['Citation'] }, 2)).nodes;
  expect(admin.map((c) => c.operation)).toContain('DELETE');
  const refused = await server.gqlAs(keys.green, HISTORY, { id: citation, first: 100 });
  expect(refused.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  const green = (await feed(keys.green, { topic }, 0)).nodes;
  expect(JSON.stringify(green)).not.toContain('RED-ONLY');
  expect(green.filter((c) => c.itemType === 'Citation' && c.operation === 'DELETE')).toEqual([]);
});
