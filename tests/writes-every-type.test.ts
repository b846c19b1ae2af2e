import { Marking } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { fromGlobalId, toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, type GraphQLResponse, type TestServer } from './support/server';

// Every type is written through the API: created, changed from the version read, retracted with a reason and
// restored; a statement moves between topics and actors, gains and loses citations; and no write lets anyone read
// what its marking keeps from them.
let server: TestServer;
const keys: Record<string, string> = {};
const NOWHERE = '00000000-0000-4000-8000-000000000000';

const codeOf = (r: GraphQLResponse) => r.body.errors?.[0]?.extensions?.code as string | undefined;
const fieldOf = (r: GraphQLResponse) => r.body.errors?.[0]?.extensions?.argumentName as string | undefined;
const refusal = (r: GraphQLResponse) => ({ code: codeOf(r), field: fieldOf(r), status: r.status < 500 });
const as = (key: string, query: string, variables?: Record<string, unknown>) => server.gqlAs(keys[key], query, variables);
const write = async (key: string, query: string, variables?: Record<string, unknown>) => Object.values(dataOf(await as(key, query, variables)))[0] as any;
const uuidOf = (globalId: string) => fromGlobalId(globalId, 'id').id;

const TABLES = ['topic', 'actor', 'location', 'source', 'citation', 'capability', 'challenge', 'implication', 'event', 'actor_relation'];
const LINKS = ['topic_actor', 'implication_actor', 'event_actor', 'actor_external_id', 'release'];
/** A fingerprint of every table a write could touch: equal fingerprints, nothing written. */
async function fingerprint(): Promise<Record<string, string>> {
  const rows: Array<{ t: string; h: string }> = await server.dataSource.query(
    [...TABLES, ...LINKS]
      .map((t) => `SELECT '${t}' AS t, count(*) || ':' || md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) AS h FROM ${t} r`)
      .join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

const TOPIC = `mutation($input: TopicInput!) { createTopic(input: $input) { id slug title version marking retractedAt actors { nodes { name } } } }`;
const ACTOR = `mutation($input: ActorInput!) { createActor(input: $input) { id name kind aliases version parent { name } externalIds { scheme value } } }`;
const LOCATION = `mutation($input: LocationInput!) { createLocation(input: $input) { id name kind latitude longitude version } }`;
const SOURCE = `mutation($input: SourceInput!) { createSource(input: $input) { id name kind reliability url version marking publisher { name } } }`;
const CAPABILITY = `mutation($input: CapabilityInput!) { createCapability(input: $input) { id version marking sourceCount citations { id marking } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Item { version retractedAt retractionReason } ... on Capability { statement supersededBy { id } topic { slug } actor { name } sourceCount citations { id } }
  ... on Implication { statement supersededBy { id } } ... on Actor { name supersededBy { id } } ... on Citation { quote } } }`;

const ids: Record<string, string> = {};
const citation = (source: string, extra: Record<string, unknown> = {}) => ({
  source,
  verb: 'REPORTS',
  quote: 'Vessels were attacked near the strait.',
  credibility: 2,
  ...extra,
});
const capability = (extra: Record<string, unknown> = {}) => ({
  topic: 'red-sea-shipping',
  actor: ids.houthis,
  category: 'EQUIPMENT',
  statement: 'The Houthi movement fields anti-ship missiles.',
  citations: [citation(ids.ukmto)],
  ...extra,
});

beforeAll(async () => {
  server = await startTestServer();
  const make = async (name: string, role: Role, clearance: Marking, organisation = 'org-w') =>
    (keys[name] = (await createKey(server.dataSource.manager, { name, role, clearance, organisation })).key);
  await make('analyst', Role.ANALYST, Marking.RED);
  await make('green', Role.ANALYST, Marking.GREEN);
  await make('viewer', Role.VIEWER, Marking.RED);
  await make('releaser', Role.RELEASER, Marking.RED);
  await make('outsider', Role.ANALYST, Marking.RED, 'org-x');

  // A second scenario, written through the API alone: a topic, its actors, a place and a source.
  const houthis = await write('analyst', ACTOR, {
    input: { name: 'Houthi movement', kind: 'ORGANISATION', aliases: ['Ansar Allah'], externalIds: [{ scheme: 'WIKIDATA', value: 'q1128543' }] },
  });
  ids.houthis = houthis.id;
  ids.yemen = (await write('analyst', ACTOR, { input: { name: 'Yemen', kind: 'STATE', externalIds: [{ scheme: 'ISO_3166', value: 'ye' }] } })).id;
  const topic = await write('analyst', TOPIC, {
    input: { slug: 'red-sea-shipping', title: 'Attacks on Red Sea shipping', summary: 'Attacks on merchant ships near Bab-el-Mandeb.', actors: [ids.houthis] },
  });
  ids.topic = topic.id;
  ids.strait = (await write('analyst', LOCATION, { input: { name: 'Bab-el-Mandeb', kind: 'AREA', latitude: 12.58, longitude: 43.33 } })).id;
  ids.ukmto = (
    await write('analyst', SOURCE, { input: { name: 'UKMTO advisory 012', kind: 'OFFICIAL_STATEMENT', reliability: 'B', url: 'https://www.ukmto.org/' } })
  ).id;
  ids.redSource = (
    await write('analyst', SOURCE, { input: { name: 'A closely held report', kind: 'INTELLIGENCE_ASSESSMENT', reliability: 'B', marking: 'RED' } })
  ).id;
  await write('analyst', TOPIC, { input: { slug: 'gulf-of-aden', title: 'Gulf of Aden', summary: 'Piracy off Somalia.' } });
  ids.redTopic = (await write('analyst', TOPIC, { input: { slug: 'closely-held', title: 'Closely held', summary: 'Only for us.', marking: 'RED' } })).id;
});
afterAll(() => server.close());

describe('topics, actors, places and sources', () => {
  test('are created through the API, at version 1, with their references', async () => {
    const topic = dataOf(await as('viewer', `{ topic(slug: "red-sea-shipping") { title version marking actors { nodes { name } } } }`)).topic;
    expect(topic).toEqual({ title: 'Attacks on Red Sea shipping', version: 1, marking: 'CLEAR', actors: { nodes: [{ name: 'Houthi movement' }] } });
    const houthis = dataOf(await as('viewer', `query($id: ID!) { actor(id: $id) { name aliases version externalIds { scheme value } } }`, { id: ids.houthis }));
    expect(houthis.actor).toEqual({ name: 'Houthi movement', aliases: ['Ansar Allah'], version: 1, externalIds: [{ scheme: 'WIKIDATA', value: 'Q1128543' }] });
    const part = await write('analyst', ACTOR, { input: { name: 'Houthi naval forces', kind: 'ARMED_FORCE', parent: ids.houthis } });
    expect(part).toMatchObject({ parent: { name: 'Houthi movement' }, version: 1, externalIds: [] });
    const published = await write('analyst', SOURCE, {
      input: { name: 'Houthi statement', kind: 'GOVERNMENT_STATEMENT', reliability: 'D', publisher: ids.houthis, publishedOn: '2024-01-10' },
    });
    expect(published).toMatchObject({ publisher: { name: 'Houthi movement' }, reliability: 'D', version: 1 });
    const place = dataOf(
      await as('viewer', `query($id: ID!) { node(id: $id) { ... on Location { name kind latitude longitude version } } }`, { id: ids.strait }),
    );
    expect(place.node).toEqual({ name: 'Bab-el-Mandeb', kind: 'AREA', latitude: 12.58, longitude: 43.33, version: 1 });
    // Each aliased field of an identifier is read under its alias.
    const aliased = dataOf(await as('viewer', `query($id: ID!) { actor(id: $id) { ids: externalIds { s: scheme v: value } } }`, { id: ids.yemen }));
    expect(aliased.actor.ids).toEqual([{ s: 'ISO_3166', v: 'YE' }]);
  });

  test('are changed from the version read: one more per change; a stale version is CONFLICT and changes nothing', async () => {
    const UPDATE = `mutation($id: ID!, $version: Int, $input: LocationPatch!) { updateLocation(id: $id, version: $version, input: $input, comment: "renamed") { name version } }`;
    expect(await write('analyst', UPDATE, { id: ids.strait, version: 1, input: { name: 'Bab al-Mandab' } })).toEqual({ name: 'Bab al-Mandab', version: 2 });
    const before = await fingerprint();
    const stale = await as('analyst', UPDATE, { id: ids.strait, version: 1, input: { name: 'Bab-el-Mandeb strait' } });
    expect(codeOf(stale)).toBe('CONFLICT');
    expect(stale.body.errors?.[0]?.extensions?.currentVersion).toBe(2);
    expect(await fingerprint()).toEqual(before);
    // A change that changes nothing is no new version.
    expect(await write('analyst', UPDATE, { id: ids.strait, input: { name: 'Bab al-Mandab' } })).toEqual({ name: 'Bab al-Mandab', version: 2 });

    const TOPIC_UPDATE = `mutation($id: ID!, $version: Int, $input: TopicPatch!) { updateTopic(id: $id, version: $version, input: $input) { version actors { nodes { name } } } }`;
    // Its actors are part of a topic: adding one is a change of the topic.
    expect(await write('analyst', TOPIC_UPDATE, { id: ids.topic, version: 1, input: { addActors: [ids.yemen] } })).toEqual({
      version: 2,
      actors: { nodes: [{ name: 'Houthi movement' }, { name: 'Yemen' }] },
    });
    expect(await write('analyst', TOPIC_UPDATE, { id: ids.topic, input: { addActors: [ids.yemen] } })).toMatchObject({ version: 2 });
    const SOURCE_UPDATE = `mutation($id: ID!, $version: Int, $input: SourcePatch!) { updateSource(id: $id, version: $version, input: $input) { reliability version } }`;
    expect(codeOf(await as('analyst', SOURCE_UPDATE, { id: ids.ukmto, version: 7, input: { reliability: 'A' } }))).toBe('CONFLICT');
    expect(await write('analyst', SOURCE_UPDATE, { id: ids.ukmto, version: 1, input: { reliability: 'A' } })).toEqual({ reliability: 'A', version: 2 });
    const ACTOR_UPDATE = `mutation($id: ID!, $input: ActorPatch!) { updateActor(id: $id, input: $input) { aliases countryCode version } }`;
    expect(await write('analyst', ACTOR_UPDATE, { id: ids.yemen, input: { aliases: ['Republic of Yemen'], countryCode: 'ye' } })).toEqual({
      aliases: ['Republic of Yemen'],
      countryCode: 'YE',
      version: 2,
    });
  });

  test('every path counts a change, the API or not: the database keeps the version', async () => {
    const id = uuidOf(ids.yemen);
    const version = async () => (await server.dataSource.query(`SELECT version FROM actor WHERE id = $1`, [id]))[0].version as number;
    const start = await version();
    await server.dataSource.query(`UPDATE actor SET description = 'A state on the Red Sea.' WHERE id = $1`, [id]);
    expect(await version()).toBe(start + 1);
    await server.dataSource.query(`UPDATE actor SET description = 'A state on the Red Sea.', updated_at = now() WHERE id = $1`, [id]);
    expect(await version()).toBe(start + 1);
    // A version written by hand moves it on by one only, and never back.
    await server.dataSource.query(`UPDATE actor SET version = 1000 WHERE id = $1`, [id]);
    expect(await version()).toBe(start + 2);
    await server.dataSource.query(`UPDATE actor SET version = 1, name = 'Yemen' WHERE id = $1`, [id]);
    expect(await version()).toBe(start + 2);
  });

  test('bad input is BAD_USER_INPUT naming the field, a reference to nothing NOT_FOUND naming it, and nothing is written', async () => {
    const cases: Array<[string, string, Record<string, unknown>, string, string]> = [
      ['analyst', TOPIC, { slug: 'Not A Slug', title: 't', summary: 's' }, 'BAD_USER_INPUT', 'input.slug'],
      ['analyst', TOPIC, { slug: 'fine-slug', title: ' ', summary: 's' }, 'BAD_USER_INPUT', 'input.title'],
      ['analyst', TOPIC, { slug: 'fine-slug', title: 't', summary: 's', startsOn: '2024-02-01', endsOn: '2024-01-01' }, 'BAD_USER_INPUT', 'input.endsOn'],
      ['analyst', TOPIC, { slug: 'fine-slug', title: 't', summary: 's', actors: [toGlobalId('Actor', NOWHERE)] }, 'NOT_FOUND', 'input.actors[0]'],
      ['analyst', TOPIC, { slug: 'red-sea-shipping', title: 't', summary: 's' }, 'CONFLICT', undefined as unknown as string],
      ['green', TOPIC, { slug: 'fine-slug', title: 't', summary: 's', marking: 'AMBER' }, 'BAD_USER_INPUT', 'input.marking'],
      ['analyst', ACTOR, { name: '  ', kind: 'STATE' }, 'BAD_USER_INPUT', 'input.name'],
      ['analyst', ACTOR, { name: 'Oman', kind: 'STATE', countryCode: 'Oman' }, 'BAD_USER_INPUT', 'input.countryCode'],
      ['analyst', ACTOR, { name: 'Oman', kind: 'STATE', aliases: ['Sultanate of Oman', ' '] }, 'BAD_USER_INPUT', 'input.aliases[1]'],
      ['analyst', ACTOR, { name: 'Oman', kind: 'STATE', externalIds: [{ scheme: 'WIKIDATA', value: 'Oman' }] }, 'BAD_USER_INPUT', 'input.externalIds[0].value'],
      [
        'analyst',
        ACTOR,
        { name: 'MV Nowhere', kind: 'ORGANISATION', externalIds: [{ scheme: 'IMO', value: '9237152' }] },
        'BAD_USER_INPUT',
        'input.externalIds[0].value',
      ],
      ['analyst', ACTOR, { name: 'Oman', kind: 'STATE', parent: toGlobalId('Actor', NOWHERE) }, 'NOT_FOUND', 'input.parent'],
      ['analyst', ACTOR, { name: 'Oman', kind: 'STATE', parent: ids.strait }, 'BAD_USER_INPUT', 'input.parent'],
      ['analyst', LOCATION, { name: 'Aden', kind: 'CITY', latitude: 12.8 }, 'BAD_USER_INPUT', 'input.longitude'],
      ['analyst', LOCATION, { name: 'Aden', kind: 'CITY', latitude: 95, longitude: 45 }, 'BAD_USER_INPUT', 'input.latitude'],
      ['analyst', SOURCE, { name: 'x', kind: 'OTHER', reliability: 'F', url: 'javascript:alert(1)' }, 'BAD_USER_INPUT', 'input.url'],
      ['analyst', SOURCE, { name: 'x', kind: 'OTHER', reliability: 'F', publisher: toGlobalId('Actor', NOWHERE) }, 'NOT_FOUND', 'input.publisher'],
    ];
    const before = await fingerprint();
    for (const [key, query, input, code, field] of cases) {
      expect({ input, ...refusal(await as(key, query, { input })) }).toEqual({ input, code, field, status: true });
    }
    expect(await fingerprint()).toEqual(before);
  });

  test('only analysts write: a viewer is FORBIDDEN, an anonymous caller UNAUTHENTICATED', async () => {
    const input = { name: 'Oman', kind: 'STATE' };
    expect(codeOf(await as('viewer', ACTOR, { input }))).toBe('FORBIDDEN');
    expect(codeOf(await server.gqlAs(null, ACTOR, { input }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await as('viewer', `mutation($id: ID!) { retractSource(id: $id, reason: "no") { id } }`, { id: ids.ukmto }))).toBe('FORBIDDEN');
  });
});

describe('references to what the writer may not see', () => {
  test('are NOT_FOUND, exactly like missing ones, on every type, and nothing is written', async () => {
    // A RED actor and source, read only by the analyst who wrote them.
    const hidden = await write('analyst', ACTOR, { input: { name: 'A source handler', kind: 'PERSON', marking: 'RED' } });
    const NOT_MINE = [
      [ACTOR, { name: 'A cell', kind: 'ORGANISATION', parent: hidden.id }, 'input.parent'],
      [SOURCE, { name: 'x', kind: 'OTHER', reliability: 'F', publisher: hidden.id }, 'input.publisher'],
      [TOPIC, { slug: 'a-new-one', title: 't', summary: 's', actors: [hidden.id] }, 'input.actors[0]'],
      [CAPABILITY, capability({ actor: hidden.id }), 'input.actor'],
      [CAPABILITY, capability({ topic: 'closely-held' }), 'input.topic'],
      [CAPABILITY, capability({ citations: [citation(ids.redSource)] }), 'input.citations[0].source'],
    ] as const;
    const before = await fingerprint();
    for (const [query, input, field] of NOT_MINE) expect(refusal(await as('outsider', query, { input }))).toEqual({ code: 'NOT_FOUND', field, status: true });
    expect(await fingerprint()).toEqual(before);
  });

  test('an item the writer may not see cannot be changed, retracted or restored: NOT_FOUND, and it tells nothing', async () => {
    const hidden = await write('analyst', SOURCE, { input: { name: 'Operation Prosperity notes', kind: 'OTHER', reliability: 'C', marking: 'RED' } });
    for (const mutation of [
      `mutation($id: ID!) { updateSource(id: $id, input: { reliability: A }) { id } }`,
      `mutation($id: ID!) { retractSource(id: $id, reason: "mine now") { id } }`,
      `mutation($id: ID!) { restoreSource(id: $id) { id } }`,
    ]) {
      const response = await as('outsider', mutation, { id: hidden.id });
      expect(codeOf(response)).toBe('NOT_FOUND');
      expect(JSON.stringify(response.body)).not.toContain('Prosperity');
    }
  });

  test('nothing is written above the writer’s clearance', async () => {
    for (const [query, input] of [
      [TOPIC, { slug: 'amber-topic', title: 't', summary: 's', marking: 'AMBER' }],
      [LOCATION, { name: 'Aden', kind: 'CITY', marking: 'RED' }],
      [SOURCE, { name: 'x', kind: 'OTHER', reliability: 'F', marking: 'AMBER' }],
    ] as const) {
      expect(refusal(await as('green', query, { input }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.marking', status: true });
    }
    const RAISE = `mutation($id: ID!) { updateActor(id: $id, input: { marking: AMBER }) { marking } }`;
    expect(refusal(await as('green', RAISE, { id: ids.yemen }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.marking', status: true });
  });
});

describe('retraction', () => {
  test('a retracted statement leaves lists, counts, connections and briefs, stays readable by id with its reason, and names what supersedes it', async () => {
    const old = await write('analyst', CAPABILITY, { input: capability({ statement: 'The Houthis field a few drones.' }) });
    const successor = await write('analyst', CAPABILITY, { input: capability({ statement: 'The Houthis field hundreds of drones.' }) });
    const LIST = `{ capabilities(filter: { topic: "red-sea-shipping" }) { totalCount nodes { id } } topic(slug: "red-sea-shipping") { capabilities { totalCount } } }`;
    const BRIEF = `{ brief(input: { topics: ["red-sea-shipping"], sections: [ACTORS], limitPerSection: 100 }) { markdown } }`;
    const listed = dataOf(await as('viewer', LIST));
    expect(listed.capabilities.nodes.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining([old.id, successor.id]));
    expect(dataOf(await as('viewer', BRIEF)).brief.markdown).toContain('The Houthis field a few drones.');

    const RETRACT = `mutation($id: ID!, $version: Int, $by: ID) { retractCapability(id: $id, version: $version, reason: "Superseded by better reporting.", supersededBy: $by, comment: "new count") {
      retractedAt retractionReason version supersededBy { id } } }`;
    // Stale, or superseded by another kind, or by what the writer may not see: refused, and nothing changes.
    const before = await fingerprint();
    expect(codeOf(await as('analyst', RETRACT, { id: old.id, version: 2, by: successor.id }))).toBe('CONFLICT');
    expect(refusal(await as('analyst', RETRACT, { id: old.id, by: ids.topic }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'supersededBy' });
    expect(refusal(await as('analyst', RETRACT, { id: old.id, by: old.id }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'supersededBy' });
    expect(refusal(await as('analyst', RETRACT, { id: old.id, by: toGlobalId('Capability', NOWHERE) }))).toMatchObject({
      code: 'NOT_FOUND',
      field: 'supersededBy',
    });
    const blank = await as('analyst', `mutation($id: ID!) { retractCapability(id: $id, reason: "  ") { id } }`, { id: old.id });
    expect(refusal(blank)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(await fingerprint()).toEqual(before);

    expect(await write('analyst', RETRACT, { id: old.id, version: 1, by: successor.id })).toEqual({
      retractedAt: expect.any(String),
      retractionReason: 'Superseded by better reporting.',
      version: 2,
      supersededBy: { id: successor.id },
    });
    expect(codeOf(await as('analyst', RETRACT, { id: old.id }))).toBe('CONFLICT');

    const after = dataOf(await as('viewer', LIST));
    expect(after.capabilities.totalCount).toBe(listed.capabilities.totalCount - 1);
    expect(after.topic.capabilities.totalCount).toBe(listed.topic.capabilities.totalCount - 1);
    expect(after.capabilities.nodes.map((n: { id: string }) => n.id)).not.toContain(old.id);
    const actorsCapabilities = dataOf(await as('viewer', `query($id: ID!) { actor(id: $id) { capabilities { nodes { id } } } }`, { id: ids.houthis }));
    expect(actorsCapabilities.actor.capabilities.nodes).not.toContainEqual({ id: old.id });
    const brief = dataOf(await as('viewer', BRIEF)).brief.markdown;
    expect(brief).not.toContain('The Houthis field a few drones.');
    expect(brief).toContain('The Houthis field hundreds of drones.');
    expect(dataOf(await as('viewer', NODE, { id: old.id })).node).toMatchObject({
      statement: 'The Houthis field a few drones.',
      retractionReason: 'Superseded by better reporting.',
      supersededBy: { id: successor.id },
    });
    // Asked for, retracted ones are listed too.
    const all = dataOf(await as('viewer', `{ capabilities(filter: { topic: "red-sea-shipping" }, includeRetracted: true) { totalCount } }`));
    expect(all.capabilities.totalCount).toBe(listed.capabilities.totalCount);

    const restored = await write(
      'analyst',
      `mutation($id: ID!) { restoreCapability(id: $id, version: 2) { retractedAt retractionReason supersededBy { id } version } }`,
      {
        id: old.id,
      },
    );
    expect(restored).toEqual({ retractedAt: null, retractionReason: null, supersededBy: null, version: 3 });
    expect(dataOf(await as('viewer', LIST)).capabilities.totalCount).toBe(listed.capabilities.totalCount);
  });

  test('a topic, actor, place or source is not retracted while statements the writer may see stand on it; hidden ones neither block nor move', async () => {
    const topic = await write('analyst', TOPIC, { input: { slug: 'retracted-soon', title: 'Retracted soon', summary: 'A topic opened in error.' } });
    const statement = await write('analyst', CAPABILITY, { input: capability({ topic: 'retracted-soon' }) });
    // Another organisation's RED statement in the same topic, which the analyst may not see.
    const hidden = await write('outsider', CAPABILITY, { input: capability({ topic: 'retracted-soon', marking: 'RED' }) });
    const RETRACT_TOPIC = `mutation($id: ID!) { retractTopic(id: $id, reason: "Opened in error.") { retractedAt } }`;
    const refused = await as('analyst', RETRACT_TOPIC, { id: topic.id });
    expect(codeOf(refused)).toBe('CONFLICT');
    expect(refused.body.errors?.[0]?.message).toContain('1 capabilities');
    const RETRACT = `mutation($id: ID!) { retractCapability(id: $id, reason: "Opened in error.") { id } }`;
    await write('analyst', RETRACT, { id: statement.id });
    expect((await write('analyst', RETRACT_TOPIC, { id: topic.id })).retractedAt).toEqual(expect.any(String));
    expect(dataOf(await as('outsider', NODE, { id: hidden.id })).node).toMatchObject({ retractedAt: null, topic: { slug: 'retracted-soon' } });
    const topics = dataOf(await as('viewer', `{ topics(first: 100) { nodes { slug } } all: topics(first: 100, includeRetracted: true) { nodes { slug } } }`));
    expect(topics.topics.nodes).not.toContainEqual({ slug: 'retracted-soon' });
    expect(topics.all.nodes).toContainEqual({ slug: 'retracted-soon' });
    expect(dataOf(await as('viewer', `{ topic(slug: "retracted-soon") { retractionReason } }`)).topic).toEqual({ retractionReason: 'Opened in error.' });
    // Nothing new is written into a retracted topic.
    expect(refusal(await as('analyst', CAPABILITY, { input: capability({ topic: 'retracted-soon' }) }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.topic',
    });

    const source = await write('analyst', SOURCE, { input: { name: 'A source in error', kind: 'OTHER', reliability: 'E' } });
    const cited = await write('analyst', CAPABILITY, { input: capability({ citations: [citation(source.id)] }) });
    expect(codeOf(await as('analyst', `mutation($id: ID!) { retractSource(id: $id, reason: "Fabricated.") { id } }`, { id: source.id }))).toBe('CONFLICT');
    await write('analyst', RETRACT, { id: cited.id });
    expect(
      (await write('analyst', `mutation($id: ID!) { retractSource(id: $id, reason: "Fabricated.") { retractionReason } }`, { id: source.id })).retractionReason,
    ).toBe('Fabricated.');
    const sources = dataOf(await as('viewer', `{ sources(first: 100) { nodes { id } } }`)).sources.nodes;
    expect(sources).not.toContainEqual({ id: source.id });
    // A retracted source is cited no more.
    expect(refusal(await as('analyst', CAPABILITY, { input: capability({ citations: [citation(source.id)] }) }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.citations[0].source',
    });

    const actor = await write('analyst', ACTOR, { input: { name: 'A militia in error', kind: 'ORGANISATION' } });
    const about = await write('analyst', CAPABILITY, { input: capability({ actor: actor.id }) });
    const RETRACT_ACTOR = `mutation($id: ID!) { retractActor(id: $id, reason: "Not a real group.") { retractedAt } }`;
    expect(codeOf(await as('analyst', RETRACT_ACTOR, { id: actor.id }))).toBe('CONFLICT');
    await write('analyst', RETRACT, { id: about.id });
    expect((await write('analyst', RETRACT_ACTOR, { id: actor.id })).retractedAt).toEqual(expect.any(String));
    expect(dataOf(await as('viewer', `{ actors(filter: { search: "in error" }) { totalCount } }`)).actors.totalCount).toBe(0);

    const place = await write('analyst', LOCATION, { input: { name: 'Nowhere island', kind: 'AREA' } });
    const event = await write('analyst', `mutation($input: EventInput!) { createEvent(input: $input) { id } }`, {
      input: {
        topic: 'red-sea-shipping',
        title: 'A landing',
        occurredOn: '2024-01-01',
        precision: 'DAY',
        location: place.id,
        citations: [citation(ids.ukmto)],
      },
    });
    expect(codeOf(await as('analyst', `mutation($id: ID!) { retractLocation(id: $id, reason: "No such place.") { id } }`, { id: place.id }))).toBe('CONFLICT');
    await write('analyst', `mutation($id: ID!) { retractEvent(id: $id, reason: "No such landing.") { id } }`, { id: event.id });
    expect(
      (await write('analyst', `mutation($id: ID!) { retractLocation(id: $id, reason: "No such place.") { retractionReason } }`, { id: place.id }))
        .retractionReason,
    ).toBe('No such place.');
  });

  test('hard deletion is an ADMIN’s: an analyst retracts instead', async () => {
    const statement = await write('analyst', CAPABILITY, { input: capability() });
    expect(codeOf(await as('analyst', `mutation($id: ID!) { deleteCapability(id: $id) }`, { id: statement.id }))).toBe('FORBIDDEN');
  });
});

describe('moving a statement', () => {
  test('to another topic or actor the writer may see; a hidden one is NOT_FOUND and nothing moves', async () => {
    const statement = await write('analyst', CAPABILITY, { input: capability({ statement: 'Moved about.' }) });
    const MOVE = `mutation($id: ID!, $input: CapabilityPatch!) { updateCapability(id: $id, input: $input) { topic { slug } actor { name } version } }`;
    expect(await write('analyst', MOVE, { id: statement.id, input: { topic: 'gulf-of-aden', actor: ids.yemen } })).toEqual({
      topic: { slug: 'gulf-of-aden' },
      actor: { name: 'Yemen' },
      version: 2,
    });
    const inTopic = dataOf(await as('viewer', `{ capabilities(filter: { topic: "gulf-of-aden" }) { nodes { id } } }`)).capabilities.nodes;
    expect(inTopic).toContainEqual({ id: statement.id });
    const before = await fingerprint();
    expect(refusal(await as('outsider', MOVE, { id: statement.id, input: { topic: 'closely-held' } }))).toEqual({
      code: 'NOT_FOUND',
      field: 'input.topic',
      status: true,
    });
    expect(refusal(await as('analyst', MOVE, { id: statement.id, input: { topic: 'no-such-topic' } }))).toMatchObject({
      code: 'NOT_FOUND',
      field: 'input.topic',
    });
    expect(refusal(await as('analyst', MOVE, { id: statement.id, input: { actor: toGlobalId('Actor', NOWHERE) } }))).toMatchObject({
      code: 'NOT_FOUND',
      field: 'input.actor',
    });
    expect(await fingerprint()).toEqual(before);
  });

  test('moving a statement into a topic releases nothing: it is read by its own readers only', async () => {
    const red = await write('analyst', CAPABILITY, { input: capability({ statement: 'A RED capability, moved into an open topic.', marking: 'RED' }) });
    const LIST = `{ capabilities(filter: { topic: "gulf-of-aden" }) { totalCount nodes { statement } } }`;
    const before = dataOf(await as('viewer', LIST)).capabilities.totalCount;
    await write('analyst', `mutation($id: ID!) { updateCapability(id: $id, input: { topic: "gulf-of-aden" }) { id } }`, { id: red.id });
    const seen = dataOf(await as('viewer', LIST));
    expect(seen.capabilities.totalCount).toBe(before);
    expect(JSON.stringify(seen)).not.toContain('A RED capability');
    expect(dataOf(await as('analyst', LIST)).capabilities.nodes).toContainEqual({ statement: 'A RED capability, moved into an open topic.' });
    expect(dataOf(await as('analyst', NODE, { id: red.id })).node).toMatchObject({ topic: { slug: 'gulf-of-aden' } });
  });
});

describe('citations', () => {
  const ADD = `mutation($statement: ID!, $input: CitationInput!) { addCitation(statement: $statement, input: $input, comment: "corroborated") { id marking quote statement { id } } }`;
  const REMOVE = `mutation($id: ID!, $version: Int) { removeCitation(id: $id, version: $version, reason: "Misquoted.") { id retractedAt retractionReason } }`;
  const STATEMENT = `query($id: ID!) { node(id: $id) { ... on Assertion { sourceCount citations { id } } } }`;

  test('are added to an existing statement and removed from it, which keeps at least one', async () => {
    const statement = await write('analyst', CAPABILITY, { input: capability({ marking: 'GREEN' }) });
    const second = await write('analyst', SOURCE, { input: { name: 'Lloyd’s List report', kind: 'MEDIA_REPORT', reliability: 'C' } });
    const added = await write('analyst', ADD, {
      statement: statement.id,
      input: citation(second.id, { verb: 'CONFIRMS', quote: 'Missiles were fired at the ship.' }),
    });
    // Marked like its statement, since its source is marked lower.
    expect(added).toMatchObject({ marking: 'GREEN', quote: 'Missiles were fired at the ship.', statement: { id: statement.id } });
    expect(dataOf(await as('viewer', STATEMENT, { id: statement.id })).node.sourceCount).toBe(2);

    expect(await write('analyst', REMOVE, { id: added.id, version: 1 })).toEqual({
      id: added.id,
      retractedAt: expect.any(String),
      retractionReason: 'Misquoted.',
    });
    const after = dataOf(await as('viewer', STATEMENT, { id: statement.id })).node;
    expect(after).toEqual({ sourceCount: 1, citations: [{ id: statement.citations[0].id }] });
    expect(dataOf(await as('viewer', NODE, { id: added.id })).node).toMatchObject({
      quote: 'Missiles were fired at the ship.',
      retractionReason: 'Misquoted.',
    });
    const before = await fingerprint();
    expect(codeOf(await as('analyst', REMOVE, { id: statement.citations[0].id }))).toBe('CONFLICT');
    expect(codeOf(await as('analyst', REMOVE, { id: added.id }))).toBe('CONFLICT');
    expect(await fingerprint()).toEqual(before);

    // Removed by mistake: put back, from the version read; a citation that stands is not restored again.
    const RESTORE = `mutation($id: ID!, $version: Int) { restoreCitation(id: $id, version: $version, comment: "quote checked") { id retractedAt retractionReason version } }`;
    expect(codeOf(await as('analyst', RESTORE, { id: added.id, version: 1 }))).toBe('CONFLICT');
    expect(await write('analyst', RESTORE, { id: added.id, version: 2 })).toEqual({ id: added.id, retractedAt: null, retractionReason: null, version: 3 });
    expect(dataOf(await as('viewer', STATEMENT, { id: statement.id })).node.sourceCount).toBe(2);
    expect(codeOf(await as('analyst', RESTORE, { id: added.id }))).toBe('CONFLICT');
  });

  test('refuse bad input by field, and statements or sources the writer may not see as NOT_FOUND', async () => {
    const statement = await write('analyst', CAPABILITY, { input: capability() });
    const hidden = await write('analyst', CAPABILITY, { input: capability({ marking: 'RED' }) });
    const before = await fingerprint();
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      ['analyst', { statement: statement.id, input: citation(ids.ukmto, { credibility: 0 }) }, 'BAD_USER_INPUT', 'input.credibility'],
      ['analyst', { statement: statement.id, input: citation(ids.ukmto, { quote: ' ' }) }, 'BAD_USER_INPUT', 'input.quote'],
      ['analyst', { statement: statement.id, input: citation(toGlobalId('Source', NOWHERE)) }, 'NOT_FOUND', 'input.source'],
      ['outsider', { statement: statement.id, input: citation(ids.redSource) }, 'NOT_FOUND', 'input.source'],
      ['outsider', { statement: hidden.id, input: citation(ids.ukmto) }, 'NOT_FOUND', 'statement'],
      ['analyst', { statement: ids.topic, input: citation(ids.ukmto) }, 'BAD_USER_INPUT', 'statement'],
    ];
    for (const [key, variables, code, field] of cases) expect(refusal(await as(key, ADD, variables))).toEqual({ code, field, status: true });
    expect(codeOf(await as('outsider', REMOVE, { id: hidden.citations[0].id }))).toBe('NOT_FOUND');
    expect(await fingerprint()).toEqual(before);
  });

  test('a citation is never read by more people than its source, nor a statement than what it rests on', async () => {
    const statement = await write('analyst', CAPABILITY, { input: capability({ marking: 'GREEN' }) });
    const before = await fingerprint();
    // A GREEN citation of a RED source would show the source's words to GREEN readers.
    expect(refusal(await as('analyst', ADD, { statement: statement.id, input: citation(ids.redSource, { marking: 'GREEN' }) }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.marking',
      status: true,
    });
    expect(await fingerprint()).toEqual(before);
    // Unmarked, it is marked like its source.
    const red = await write('analyst', ADD, { statement: statement.id, input: citation(ids.redSource, { quote: 'A closely held detail.' }) });
    expect(red.marking).toBe('RED');
    expect(JSON.stringify(dataOf(await as('green', STATEMENT, { id: statement.id })))).not.toContain(red.id);
    expect(dataOf(await as('green', STATEMENT, { id: statement.id })).node.sourceCount).toBe(1);
    // Taking away its open source would leave a GREEN statement resting on a RED one alone.
    const before2 = await fingerprint();
    expect(refusal(await as('analyst', REMOVE, { id: statement.citations[0].id }))).toEqual({ code: 'BAD_USER_INPUT', field: 'id', status: true });
    expect(await fingerprint()).toEqual(before2);
    // A statement that denies only, until a RED source supports it: its evidence is then that source alone.
    const denied = await write('analyst', CAPABILITY, { input: capability({ marking: 'GREEN', citations: [citation(ids.ukmto, { verb: 'DENIES' })] }) });
    expect(refusal(await as('analyst', ADD, { statement: denied.id, input: citation(ids.redSource) }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.source',
      status: true,
    });
  });
});

describe('no write releases an item to readers its marking excludes', () => {
  test('lowering the marking of a new type is a release: RELEASER within its organisation, with a reason, on the record', async () => {
    const amber = await write('analyst', ACTOR, { input: { name: 'A front company', kind: 'ORGANISATION', marking: 'AMBER_STRICT' } });
    const LOWER = `mutation($id: ID!, $input: ActorPatch!) { updateActor(id: $id, input: $input) { marking } }`;
    expect(codeOf(await as('analyst', LOWER, { id: amber.id, input: { marking: 'GREEN' } }))).toBe('FORBIDDEN');
    expect(codeOf(await as('outsider', LOWER, { id: amber.id, input: { marking: 'GREEN' } }))).toBe('NOT_FOUND');
    expect(fieldOf(await as('releaser', LOWER, { id: amber.id, input: { marking: 'GREEN' } }))).toBe('input.releaseReason');
    expect(await write('releaser', LOWER, { id: amber.id, input: { marking: 'GREEN', releaseReason: 'Named in open sanctions lists.' } })).toEqual({
      marking: 'GREEN',
    });
    const releases = dataOf(await as('releaser', `query($item: ID!) { releases(item: $item) { fromMarking toMarking reason } }`, { item: amber.id })).releases;
    expect(releases).toEqual([{ fromMarking: 'AMBER_STRICT', toMarking: 'GREEN', reason: 'Named in open sanctions lists.' }]);
  });

  test('a RED audience widened through a topic or source change is a release too', async () => {
    const WIDEN = `mutation($id: ID!, $input: TopicPatch!) { updateTopic(id: $id, input: $input) { audience } }`;
    const before = await fingerprint();
    expect(codeOf(await as('analyst', WIDEN, { id: ids.redTopic, input: { audience: ['org-w/analyst', 'org-w/green'] } }))).toBe('FORBIDDEN');
    expect(await fingerprint()).toEqual(before);
  });
});
