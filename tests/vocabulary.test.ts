import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Marking } from '../src/common/marking';
import { loadFixtures } from '../src/modules/fixture/fixture.loader';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { dataOf, startTestServer, type GraphQLResponse, type TestServer } from './support/server';

// The fields that describe the world take terms of open vocabularies: listed for UIs, checked on every write with
// the close terms named, and changed by ADMIN (added, relabelled, deprecated) without a new release.
let server: TestServer;
let analyst: string;

const errorOf = (r: GraphQLResponse) => r.body.errors?.[0];
const as = (key: string, query: string, variables?: Record<string, unknown>) => server.gqlAs(key, query, variables);
const write = async (query: string, variables: Record<string, unknown>) => Object.values(dataOf(await as(analyst, query, variables)))[0] as any;

const VOCABULARY = `query($name: String!) { vocabulary(name: $name) { name terms { term label description deprecated stixTerm stixVocabulary } } }`;
const ACTOR = `mutation($input: ActorInput!) { createActor(input: $input) { id name kind externalIds { scheme value } } }`;
const LOCATION = `mutation($input: LocationInput!) { createLocation(input: $input) { id name kind } }`;
const SOURCE = `mutation($input: SourceInput!) { createSource(input: $input) { id name kind } }`;
const TOPIC = `mutation($input: TopicInput!) { createTopic(input: $input) { id slug } }`;
const RELATION = `mutation($input: ActorRelationInput!) { createRelation(input: $input) { id type from { name } to { name } } }`;
const CAPABILITY = `mutation($input: CapabilityInput!) { createCapability(input: $input) { id category } }`;
const ADD = `mutation($vocabulary: String!, $term: String!, $label: String!, $description: String) {
  addVocabularyTerm(vocabulary: $vocabulary, term: $term, label: $label, description: $description) { name terms { term label deprecated } } }`;
const RELABEL = `mutation($vocabulary: String!, $term: String!, $label: String!) {
  relabelVocabularyTerm(vocabulary: $vocabulary, term: $term, label: $label) { terms { term label description } } }`;
const DEPRECATE = `mutation($vocabulary: String!, $term: String!) { deprecateVocabularyTerm(vocabulary: $vocabulary, term: $term) { terms { term deprecated } } }`;

const vocabulary = async (name: string) => dataOf(await server.gqlAs(null, VOCABULARY, { name })).vocabulary;
const actorCount = async () => (await server.dataSource.query(`SELECT count(*)::int AS n FROM actor`))[0].n as number;

const ids: Record<string, string> = {};
beforeAll(async () => {
  server = await startTestServer();
  analyst = (await createKey(server.dataSource.manager, { name: 'vocab-analyst', role: Role.ANALYST, clearance: Marking.RED, organisation: 'org-v' })).key;
  ids.source = (await write(SOURCE, { input: { name: 'AIS track export, November 2024', kind: 'DATASET', reliability: 'B' } })).id;
  ids.navy = (await write(ACTOR, { input: { name: 'Hellenic Navy', kind: 'ARMED_FORCE' } })).id;
});
afterAll(() => server.close());

test('a vocabulary lists its terms in order, with labels, descriptions and their STIX spelling, for anyone', async () => {
  const actorKind = await vocabulary('actor-kind');
  const terms = actorKind.terms.map((t: { term: string }) => t.term);
  // Today's kinds first, in their old order, then the new ones.
  expect(terms.slice(0, 8)).toEqual(['STATE', 'ARMED_FORCE', 'MILITARY_UNIT', 'GOVERNMENT_BODY', 'ALLIANCE', 'ORGANISATION', 'PERSON', 'MEDIA']);
  expect(terms).toEqual(expect.arrayContaining(['NON_STATE_ARMED_GROUP', 'INTERNATIONAL_ORGANISATION', 'MILITARY_COMMAND', 'COMPANY', 'VESSEL']));
  expect(actorKind.terms.find((t: { term: string }) => t.term === 'NATION_STATE')).toMatchObject({
    label: 'Nation-state threat actor',
    deprecated: false,
    stixTerm: 'nation-state',
    stixVocabulary: 'threat-actor-type-ov',
  });
  expect(actorKind.terms.find((t: { term: string }) => t.term === 'PERSON')).toMatchObject({ stixTerm: 'individual', stixVocabulary: 'identity-class-ov' });
  expect((await vocabulary('location-kind')).terms.map((t: { term: string }) => t.term)).toEqual(expect.arrayContaining(['SEA', 'STRAIT', 'CANAL', 'PORT']));
  expect((await vocabulary('relation-type')).terms.find((t: { term: string }) => t.term === 'TREATY_PARTNER_OF').label).toBe('treaty partner of');
  expect(await vocabulary('no-such-vocabulary')).toBeNull();

  const all = dataOf(await server.gqlAs(null, '{ vocabularies { name terms { term } } }')).vocabularies;
  expect(all.map((v: { name: string }) => v.name)).toEqual([
    'actor-kind',
    'capability-category',
    'challenge-category',
    'identifier-scheme',
    'location-kind',
    'relation-type',
    'source-kind',
  ]);
  for (const v of all) expect(v.terms.length).toBeGreaterThan(5);
});

test('a vessel, a sea, an escort and a dataset can be written', async () => {
  const vessel = await write(ACTOR, { input: { name: 'MV Eternity C', kind: 'VESSEL', externalIds: [{ scheme: 'IMO', value: '9588407' }] } });
  expect(vessel).toMatchObject({ kind: 'VESSEL', externalIds: [{ scheme: 'IMO', value: '9588407' }] });
  ids.vessel = vessel.id;
  expect(await write(LOCATION, { input: { name: 'Red Sea', kind: 'SEA' } })).toMatchObject({ kind: 'SEA' });
  expect(dataOf(await server.gqlAs(analyst, `query($id: ID!) { node(id: $id) { ... on Source { kind } } }`, { id: ids.source })).node).toEqual({
    kind: 'DATASET',
  });
  await write(TOPIC, { input: { slug: 'aspides', title: 'EU naval escorts in the Red Sea', summary: 'Operation Aspides escorts merchant ships.' } });
  const relation = await write(RELATION, {
    input: {
      topic: 'aspides',
      from: ids.navy,
      to: ids.vessel,
      type: 'ESCORTS',
      citations: [{ source: ids.source, verb: 'REPORTS', page: 'track 12', credibility: 2 }],
    },
  });
  expect(relation).toMatchObject({ type: 'ESCORTS', from: { name: 'Hellenic Navy' }, to: { name: 'MV Eternity C' } });
  // Filters take terms as strings.
  const filtered = dataOf(
    await server.gqlAs(analyst, `{ actors(filter: { kinds: ["VESSEL"] }) { nodes { name } } relations(filter: { types: ["ESCORTS"] }) { totalCount } }`),
  );
  expect(filtered).toEqual({ actors: { nodes: [{ name: 'MV Eternity C' }] }, relations: { totalCount: 1 } });
});

test('an unknown term is BAD_USER_INPUT naming the field and the close terms, and writes nothing', async () => {
  const before = await actorCount();
  const misspelt = errorOf(await as(analyst, ACTOR, { input: { name: 'MV Galaxy Leader', kind: 'VESEL' } }));
  expect(misspelt?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.kind', vocabulary: 'actor-kind' });
  expect(misspelt?.extensions?.closeTerms).toContain('VESSEL');
  expect(misspelt?.message).toContain('VESSEL');
  // Written as STIX or in lower case, the term it means comes first.
  const stixSpelling = errorOf(await as(analyst, ACTOR, { input: { name: 'APT 99', kind: 'nation-state' } }));
  expect(stixSpelling?.extensions?.closeTerms?.[0]).toBe('NATION_STATE');
  expect(await actorCount()).toBe(before);

  const scheme = errorOf(
    await as(analyst, ACTOR, { input: { name: 'MV Galaxy Leader', kind: 'VESSEL', externalIds: [{ scheme: 'IMO_NUMBER', value: '9237539' }] } }),
  );
  expect(scheme?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.externalIds[0].scheme' });
  expect(scheme?.extensions?.closeTerms).toContain('IMO');

  const place = errorOf(await as(analyst, LOCATION, { input: { name: 'Suez Canal', kind: 'CANNAL' } }));
  expect(place?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.kind', closeTerms: ['CANAL'] });
  const kind = errorOf(await as(analyst, `mutation($id: ID!) { updateSource(id: $id, input: { kind: "DATA_SET" }) { kind } }`, { id: ids.source }));
  expect(kind?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.kind' });
  expect(kind?.extensions?.closeTerms).toContain('DATASET');
  const category = errorOf(
    await as(analyst, CAPABILITY, {
      input: {
        topic: 'aspides',
        actor: ids.navy,
        category: 'NAVAL',
        statement: 'x',
        citations: [{ source: ids.source, verb: 'REPORTS', page: '1', credibility: 2 }],
      },
    }),
  );
  expect(category?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.category', vocabulary: 'capability-category' });
});

test('a term an ADMIN adds is writable at once; an ANALYST may not add one', async () => {
  const input = { name: 'Houthi coast guard', kind: 'COAST_GUARD' };
  expect(errorOf(await as(analyst, ACTOR, { input }))?.extensions?.code).toBe('BAD_USER_INPUT');
  const refused = await as(analyst, ADD, { vocabulary: 'actor-kind', term: 'COAST_GUARD', label: 'Coast guard' });
  expect(errorOf(refused)?.extensions?.code).toBe('FORBIDDEN');

  const added = dataOf(
    await server.gql(ADD, { vocabulary: 'actor-kind', term: 'COAST_GUARD', label: 'Coast guard', description: 'A maritime security force.' }),
  );
  expect(added.addVocabularyTerm.terms.at(-1)).toEqual({ term: 'COAST_GUARD', label: 'Coast guard', deprecated: false });
  expect(await write(ACTOR, { input })).toMatchObject({ kind: 'COAST_GUARD' });

  const again = errorOf(await server.gql(ADD, { vocabulary: 'actor-kind', term: 'COAST_GUARD', label: 'Coast guard' }));
  expect(again?.extensions?.code).toBe('CONFLICT');
  for (const term of ['coast-guard', 'Coast_Guard', '_X', 'A'.repeat(65), '']) {
    const bad = errorOf(await server.gql(ADD, { vocabulary: 'actor-kind', term, label: 'x' }));
    expect({ term, extensions: bad?.extensions }).toMatchObject({ term, extensions: { code: 'BAD_USER_INPUT', argumentName: 'term' } });
  }
  expect(errorOf(await server.gql(ADD, { vocabulary: 'actor-kind', term: 'X_1', label: ' ' }))?.extensions).toMatchObject({ argumentName: 'label' });
  expect(errorOf(await server.gql(ADD, { vocabulary: 'ship-kind', term: 'TANKER', label: 'Tanker' }))?.extensions?.code).toBe('NOT_FOUND');
});

test('a deprecated term is refused on new writes, and stays on the rows that hold it', async () => {
  const port = await write(LOCATION, { input: { name: 'Hodeidah port', kind: 'PORT' } });
  expect(errorOf(await as(analyst, DEPRECATE, { vocabulary: 'location-kind', term: 'PORT' }))?.extensions?.code).toBe('FORBIDDEN');
  const deprecated = dataOf(await server.gql(DEPRECATE, { vocabulary: 'location-kind', term: 'PORT' })).deprecateVocabularyTerm;
  expect(deprecated.terms.find((t: { term: string }) => t.term === 'PORT')).toEqual({ term: 'PORT', deprecated: true });

  const refused = errorOf(await as(analyst, LOCATION, { input: { name: 'Port Sudan', kind: 'PORT' } }));
  expect(refused?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.kind' });
  expect(refused?.message).toContain('deprecated');
  expect(refused?.extensions?.closeTerms).not.toContain('PORT');
  // The stored place keeps its kind, reads with it, and changes in other fields as before.
  const read = dataOf(await server.gqlAs(analyst, `query($id: ID!) { node(id: $id) { ... on Location { kind } } }`, { id: port.id })).node;
  expect(read).toEqual({ kind: 'PORT' });
  const renamed = dataOf(
    await as(analyst, `mutation($id: ID!) { updateLocation(id: $id, input: { name: "Port of Hodeidah" }) { name kind } }`, { id: port.id }),
  );
  expect(renamed.updateLocation).toEqual({ name: 'Port of Hodeidah', kind: 'PORT' });
  expect(errorOf(await server.gql(DEPRECATE, { vocabulary: 'location-kind', term: 'HARBOUR' }))?.extensions?.code).toBe('NOT_FOUND');
});

test('a relabelled term shows in its vocabulary and in briefs', async () => {
  const BRIEF = `{ brief(input: { topics: ["dprk-troops-in-russia"] }) { markdown } }`;
  const before = dataOf(await server.gql(BRIEF)).brief.markdown;
  expect(before).toContain('- Special operations: ');
  expect(before).toContain('Russia: treaty partner of North Korea');
  expect(
    errorOf(await as(analyst, RELABEL, { vocabulary: 'capability-category', term: 'SPECIAL_OPERATIONS', label: 'Special forces' }))?.extensions?.code,
  ).toBe('FORBIDDEN');

  const relabelled = dataOf(await server.gql(RELABEL, { vocabulary: 'capability-category', term: 'SPECIAL_OPERATIONS', label: 'Special forces' }));
  expect(relabelled.relabelVocabularyTerm.terms.find((t: { term: string }) => t.term === 'SPECIAL_OPERATIONS')).toMatchObject({
    label: 'Special forces',
    description: 'Special forces and what they can do.',
  });
  await server.gql(RELABEL, { vocabulary: 'relation-type', term: 'TREATY_PARTNER_OF', label: 'bound by treaty to' });
  const after = dataOf(await server.gql(BRIEF)).brief.markdown;
  expect(after).toContain('- Special forces: ');
  expect(after).not.toContain('- Special operations: ');
  expect(after).toContain('Russia: bound by treaty to North Korea');
  // Only the labels changed (lines ordered by their text may move).
  const lines = (markdown: string) => markdown.split('\n').sort();
  expect(lines(after.replace(/Special forces/g, 'Special operations').replace(/bound by treaty to/g, 'treaty partner of'))).toEqual(lines(before));
});

test('a fixture file with an unknown term is refused with its path, and nothing is loaded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-vocabulary-'));
  const file = join(dir, 'pirates.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      topic: { key: 'gulf-of-aden-piracy', title: 'Piracy in the Gulf of Aden', summary: 'Hijackings off Somalia.' },
      actors: [
        { key: 'eunavfor', name: 'EUNAVFOR Atalanta', kind: 'MILITARY_COMMAND' },
        { key: 'pirates', name: 'Somali pirate groups', kind: 'PIRATES' },
      ],
      locations: [{ key: 'gulf', name: 'Gulf of Aden', kind: 'SEA' }],
    }),
  );
  // Problems name the file as it is in its directory, as for any seed file.
  await expect(loadFixtures(server.dataSource, dir)).rejects.toThrow(
    `pirates.yaml: actors[1] (pirates).kind: "PIRATES" is not a term of the actor-kind vocabulary`,
  );
  expect((await server.dataSource.query(`SELECT count(*)::int AS n FROM topic WHERE slug = 'gulf-of-aden-piracy'`))[0].n).toBe(0);
});

test('a term keeps its name and place: lists are indexed by its position, so changing or deleting it is refused', async () => {
  const [{ term, position }] = await server.dataSource.query(`SELECT term, position FROM vocabulary_term WHERE vocabulary = 'capability-category' LIMIT 1`);
  const refused = /a vocabulary term keeps its name and position/;
  await expect(
    server.dataSource.query(`UPDATE vocabulary_term SET position = position + 100 WHERE vocabulary = 'capability-category' AND term = $1`, [term]),
  ).rejects.toThrow(refused);
  await expect(
    server.dataSource.query(`UPDATE vocabulary_term SET term = term || '_X' WHERE vocabulary = 'capability-category' AND term = $1`, [term]),
  ).rejects.toThrow(refused);
  await expect(server.dataSource.query(`DELETE FROM vocabulary_term WHERE vocabulary = 'capability-category' AND term = $1`, [term])).rejects.toThrow(refused);
  const [after] = await server.dataSource.query(`SELECT position FROM vocabulary_term WHERE vocabulary = 'capability-category' AND term = $1`, [term]);
  expect(after.position).toBe(position);
});
