import 'reflect-metadata';
import { Marking } from '../src/common/marking';
import { findMatchingActor } from '../src/modules/actor/actor.identity';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { fromGlobalId, toGlobalId } from '../src/read/global-id';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { dataOf, startTestServer, type GraphQLResponse, type TestServer } from './support/server';

// One actor, one identity: a second "United States" is never created silently, an actor the writer may not see is
// never told by a match, and an ADMIN merges two records of one actor into one.
let server: TestServer;
const keys: Record<string, string> = {};
const codeOf = (r: GraphQLResponse) => r.body.errors?.[0]?.extensions?.code as string | undefined;
const as = (key: string, query: string, variables?: Record<string, unknown>) => server.gqlAs(keys[key], query, variables);
const write = async (key: string, query: string, variables?: Record<string, unknown>) => Object.values(dataOf(await as(key, query, variables)))[0] as any;
const uuidOf = (globalId: string) => fromGlobalId(globalId, 'id').id;
const actorCount = async () => (await server.dataSource.query(`SELECT count(*)::int AS n FROM actor`))[0].n as number;

const ACTOR = `mutation($input: ActorInput!) { createActor(input: $input) { id name kind aliases externalIds { scheme value } } }`;
const unitedStates = toGlobalId('Actor', fixtureId('actor', 'united-states'));
const russia = toGlobalId('Actor', fixtureId('actor', 'russia'));
const article = toGlobalId('Source', fixtureId('source', 'article'));
const TOPIC = 'dprk-troops-in-russia';
const citations = [{ source: article, verb: 'REPORTS', quote: 'A report.', credibility: 3 }];

beforeAll(async () => {
  server = await startTestServer();
  const make = async (name: string, role: Role, clearance: Marking, organisation = 'org-i') =>
    (keys[name] = (await createKey(server.dataSource.manager, { name, role, clearance, organisation })).key);
  await make('analyst', Role.ANALYST, Marking.RED);
  await make('other', Role.ANALYST, Marking.RED, 'org-o');
  await make('admin', Role.ADMIN, Marking.RED);
});
afterAll(() => server.close());

describe('creating an actor that exists already', () => {
  test('by name or alias within its kind, trimmed and in any case, is CONFLICT naming the match', async () => {
    const before = await actorCount();
    for (const input of [
      { name: ' united STATES ', kind: 'STATE' },
      { name: 'The States', kind: 'STATE', aliases: ['united states'] },
    ]) {
      const response = await as('analyst', ACTOR, { input });
      expect(codeOf(response)).toBe('CONFLICT');
      expect(response.body.errors?.[0]?.extensions?.match).toEqual({ id: unitedStates, name: 'United States' });
      expect(response.body.errors?.[0]?.message).toContain(unitedStates);
    }
    expect(await actorCount()).toBe(before);
    // Another kind is another actor: "United States" the media outlet is not the state.
    const outlet = await write('analyst', ACTOR, { input: { name: 'United States', kind: 'MEDIA' } });
    expect(outlet.id).not.toBe(unitedStates);
  });

  test('asked to reuse it, the answer is the existing actor, and nothing is written', async () => {
    const before = await actorCount();
    const reused = await write('analyst', ACTOR, { input: { name: 'UNITED STATES', kind: 'STATE', reuseExisting: true } });
    expect(reused).toMatchObject({ id: unitedStates, name: 'United States' });
    expect(await actorCount()).toBe(before);
  });

  test('by an identifier in a register, whatever the names, is CONFLICT naming the holder', async () => {
    const vessel = await write('analyst', ACTOR, {
      input: { name: 'Galaxy Leader', kind: 'ORGANISATION', externalIds: [{ scheme: 'IMO', value: 'IMO 9237151' }] },
    });
    expect(vessel.externalIds).toEqual([{ scheme: 'IMO', value: '9237151' }]);
    const again = await as('analyst', ACTOR, { input: { name: 'MV Galaxy Leader', kind: 'ORGANISATION', externalIds: [{ scheme: 'IMO', value: '9237151' }] } });
    expect(codeOf(again)).toBe('CONFLICT');
    expect(again.body.errors?.[0]?.extensions?.match).toEqual({ id: vessel.id, name: 'Galaxy Leader' });
    expect(again.body.errors?.[0]?.message).toContain('IMO 9237151');
  });

  test('an actor the writer may not see is never told by a match; its identifiers stay its own', async () => {
    const secret = await write('other', ACTOR, {
      input: { name: 'Shadow fleet operator', kind: 'ORGANISATION', marking: 'RED', externalIds: [{ scheme: 'LEI', value: '5493001KJTIIGC8Y1R12' }] },
    });
    // The same name: not matched, so a record of the analyst's own is made (matching would tell the RED one is there).
    const mine = await write('analyst', ACTOR, { input: { name: 'Shadow fleet operator', kind: 'ORGANISATION' } });
    expect(mine.id).not.toBe(secret.id);
    // The same identifier: refused by the key that holds identifiers, without naming the holder.
    const before = await actorCount();
    const taken = await as('analyst', ACTOR, {
      input: { name: 'Some company', kind: 'ORGANISATION', externalIds: [{ scheme: 'LEI', value: '5493001KJTIIGC8Y1R12' }] },
    });
    expect(codeOf(taken)).toBe('CONFLICT');
    expect(taken.status).toBeLessThan(500);
    expect(JSON.stringify(taken.body)).not.toContain('Shadow');
    expect(JSON.stringify(taken.body)).not.toContain(secret.id);
    expect(await actorCount()).toBe(before);
  });

  test('ten writers recording one actor at once make one record; the others are told of it', async () => {
    const before = await actorCount();
    const input = { name: 'Islamic Republic of Nowhere', kind: 'STATE' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => as('analyst', ACTOR, { input })));
    expect(answers.filter((a) => !a.body.errors).length).toBe(1);
    expect(answers.filter((a) => codeOf(a) === 'CONFLICT').length).toBe(9);
    expect(await actorCount()).toBe(before + 1);
  });

  test('findMatchingActor gives the import code the same answer, for the viewer it is given', async () => {
    const em = server.dataSource.manager;
    const analyst = { principal: 'org-i/analyst', organisation: 'org-i', role: Role.ANALYST, clearance: Marking.RED };
    const other = { principal: 'org-o/other', organisation: 'org-o', role: Role.ANALYST, clearance: Marking.RED };
    expect(await findMatchingActor(em, analyst, { name: 'Washington', aliases: [' United States'], kind: 'STATE' })).toMatchObject({
      id: uuidOf(unitedStates),
      name: 'United States',
      by: 'name',
    });
    expect(await findMatchingActor(em, analyst, { name: 'Nobody', kind: 'STATE', externalIds: [{ scheme: 'LEI', value: '5493001kjtiigc8y1r12' }] })).toBeNull();
    expect(
      await findMatchingActor(em, other, { name: 'Nobody', kind: 'STATE', externalIds: [{ scheme: 'LEI', value: '5493001kjtiigc8y1r12' }] }),
    ).toMatchObject({
      name: 'Shadow fleet operator',
      by: 'externalId',
    });
    expect(await findMatchingActor(em, analyst, { name: 'Atlantis', kind: 'STATE' })).toBeNull();
    // An unknown kind is no error: it matches nothing.
    expect(await findMatchingActor(em, analyst, { name: 'United States', kind: 'NO_SUCH_KIND' })).toBeNull();
  });

  test('renaming an actor to another’s name is CONFLICT naming it: merge them instead', async () => {
    const duplicate = await write('analyst', ACTOR, { input: { name: 'USA (duplicate)', kind: 'STATE' } });
    const rename = await as('analyst', `mutation($id: ID!) { updateActor(id: $id, input: { aliases: ["United States"] }) { id } }`, { id: duplicate.id });
    expect(codeOf(rename)).toBe('CONFLICT');
    expect(rename.body.errors?.[0]?.extensions?.match).toEqual({ id: unitedStates, name: 'United States' });
  });
});

describe('mergeActors', () => {
  const MERGE = `mutation($into: ID!, $from: ID!) { mergeActors(into: $into, from: $from, comment: "one state") { id name aliases externalIds { scheme value } } }`;
  const create = async (key: string, mutation: string, input: Record<string, unknown>) =>
    (await write(key, `mutation($input: ${mutation}Input!) { create${mutation === 'ActorRelation' ? 'Relation' : mutation}(input: $input) { id } }`, { input }))
      .id as string;

  test('moves everything that points at the duplicate to the actor that stays, and retracts the duplicate', async () => {
    const into = await write('analyst', ACTOR, { input: { name: 'Democratic Republic of Atlantis', kind: 'STATE', aliases: ['Atlantis'] } });
    const from = await write('analyst', ACTOR, {
      input: { name: 'DR Atlantis', kind: 'STATE', aliases: ['ATL'], externalIds: [{ scheme: 'WIKIDATA', value: 'Q999999' }] },
    });
    const part = await write('analyst', ACTOR, { input: { name: 'Atlantean Navy', kind: 'ARMED_FORCE', parent: from.id } });
    const capability = await create('analyst', 'Capability', {
      topic: TOPIC,
      actor: from.id,
      category: 'EQUIPMENT',
      statement: 'Atlantis has submarines.',
      citations,
    });
    const relation = await create('analyst', 'ActorRelation', { topic: TOPIC, from: from.id, type: 'SUPPORTS', to: russia, citations });
    const between = await create('analyst', 'ActorRelation', { topic: TOPIC, from: into.id, type: 'ALLIED_WITH', to: from.id, citations });
    const judgment = await create('analyst', 'Implication', {
      topic: TOPIC,
      statement: 'Atlantis will take sides.',
      likelihood: 'LIKELY',
      confidence: 'LOW',
      scope: 'GLOBAL',
      horizon: 'LONG_TERM',
      affectedActors: [from.id, into.id],
      citations,
    });
    const event = await create('analyst', 'Event', {
      topic: TOPIC,
      title: 'Atlantis votes',
      occurredOn: '2024-01-01',
      precision: 'DAY',
      actors: [from.id],
      citations,
    });
    const source = await write('analyst', `mutation($input: SourceInput!) { createSource(input: $input) { id } }`, {
      input: { name: 'Atlantis gazette', kind: 'MEDIA_REPORT', reliability: 'C', publisher: from.id },
    });
    await write('analyst', `mutation($id: ID!, $add: [ID!]) { updateTopic(id: $id, input: { addActors: $add }) { id } }`, {
      id: toGlobalId('Topic', fixtureId('topic', TOPIC)),
      add: [from.id],
    });
    // A statement of another organisation the admin may not see moves too: it is about the same actor.
    const hidden = await create('other', 'Capability', {
      topic: TOPIC,
      actor: from.id,
      category: 'MANPOWER',
      statement: 'Atlantis has 5 soldiers.',
      citations,
      marking: 'RED',
    });

    expect(codeOf(await as('analyst', MERGE, { into: into.id, from: from.id }))).toBe('FORBIDDEN');
    const merged = await write('admin', MERGE, { into: into.id, from: from.id });
    expect(merged).toEqual({
      id: into.id,
      name: 'Democratic Republic of Atlantis',
      aliases: ['Atlantis', 'DR Atlantis', 'ATL'],
      externalIds: [{ scheme: 'WIKIDATA', value: 'Q999999' }],
    });

    const gone = dataOf(
      await as('analyst', `query($id: ID!) { actor(id: $id) { retractedAt retractionReason externalIds { value } supersededBy { id } } }`, { id: from.id }),
    ).actor;
    expect(gone).toEqual({
      retractedAt: expect.any(String),
      retractionReason: expect.stringContaining(into.id),
      externalIds: [],
      supersededBy: { id: into.id },
    });
    const [rows] = await server.dataSource.query(
      `SELECT (SELECT actor_id FROM capability WHERE id = $1) AS capability, (SELECT from_actor_id FROM actor_relation WHERE id = $2) AS relation,
         (SELECT retraction_reason FROM actor_relation WHERE id = $3) AS between,
         (SELECT array_agg(actor_id ORDER BY actor_id) FROM implication_actor WHERE implication_id = $4) AS judgment,
         (SELECT array_agg(actor_id) FROM event_actor WHERE event_id = $5) AS event, (SELECT publisher_id FROM source WHERE id = $6) AS publisher,
         (SELECT parent_id FROM actor WHERE id = $7) AS part, (SELECT count(*)::int FROM topic_actor WHERE actor_id = $8) AS topics,
         (SELECT actor_id FROM capability WHERE id = $9) AS hidden, (SELECT actor_id FROM actor_external_id WHERE value = 'Q999999') AS holder`,
      [
        uuidOf(capability),
        uuidOf(relation),
        uuidOf(between),
        uuidOf(judgment),
        uuidOf(event),
        uuidOf(source.id),
        uuidOf(part.id),
        uuidOf(from.id),
        uuidOf(hidden),
      ],
    );
    const kept = uuidOf(into.id);
    expect(rows).toEqual({
      capability: kept,
      relation: kept,
      between: expect.stringContaining('a relation of an actor to itself'),
      judgment: [kept],
      event: [kept],
      publisher: kept,
      part: kept,
      topics: 0,
      hidden: kept,
      holder: kept,
    });
    const topicActors = dataOf(
      await as('analyst', `query($id: ID!) { actor(id: $id) { topics { nodes { slug } } capabilities { nodes { statement } } } }`, { id: into.id }),
    ).actor;
    expect(topicActors.topics.nodes).toEqual([{ slug: TOPIC }]);
    expect(topicActors.capabilities.nodes).toEqual([{ statement: 'Atlantis has submarines.' }]);
    // The duplicate's names now find the actor that stays.
    const again = await as('analyst', ACTOR, { input: { name: 'dr atlantis', kind: 'STATE' } });
    expect(again.body.errors?.[0]?.extensions?.match).toEqual({ id: into.id, name: 'Democratic Republic of Atlantis' });
  });

  test('never lets more people read: a RED actor is not merged into a CLEAR one; hidden, retracted or the same actor is refused, and nothing changes', async () => {
    const open = await write('admin', ACTOR, { input: { name: 'Open record', kind: 'PERSON' } });
    const red = await write('admin', ACTOR, { input: { name: 'Closely held record', kind: 'PERSON', marking: 'RED', aliases: ['Codename Heron'] } });
    const notTheAdmins = await write('other', ACTOR, { input: { name: 'Another org’s record', kind: 'PERSON', marking: 'RED' } });
    const fingerprint = async () => (await server.dataSource.query(`SELECT md5(string_agg(a::text, ',' ORDER BY a.id)) AS h FROM actor a`))[0].h as string;
    const before = await fingerprint();
    const releasing = await as('admin', MERGE, { into: open.id, from: red.id });
    expect(releasing.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'into' });
    expect(JSON.stringify(dataOf(await server.gqlAs(null, `query($id: ID!) { actor(id: $id) { aliases } }`, { id: open.id })))).not.toContain('Heron');
    expect((await as('admin', MERGE, { into: open.id, from: notTheAdmins.id })).body.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      argumentName: 'from',
    });
    expect((await as('admin', MERGE, { into: open.id, from: open.id })).body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'from',
    });
    expect(await fingerprint()).toBe(before);
    // Narrowing is no release: the open record merged into the RED one.
    const narrowed = await write('admin', MERGE, { into: red.id, from: open.id });
    expect(narrowed.aliases).toEqual(['Codename Heron', 'Open record']);
    expect(codeOf(await as('admin', MERGE, { into: red.id, from: open.id }))).toBe('BAD_USER_INPUT');
  });
});
