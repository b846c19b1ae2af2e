import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { loadFixtures } from '../src/modules/fixture/fixture.loader';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { constraintError } from '../src/server/constraint-errors';
import { dataOf, startTestServer, type GraphQLResponse, type TestServer } from './support/server';

// Business rules the database holds: every write that breaks one, through the API or not, is refused and writes
// nothing; through the API it is BAD_USER_INPUT naming the input field, never a 500.
let server: TestServer;
const keys: Record<string, string> = {};
const ids: Record<string, string> = {};
const TOPIC = 'dprk-troops-in-russia';
const article = toGlobalId('Source', fixtureId('source', 'article'));
const kpa = toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army'));
const russia = toGlobalId('Actor', fixtureId('actor', 'russia'));
const citations = [{ source: article, verb: 'REPORTS', quote: 'DPRK troops have been sighted', credibility: 3 }];

const TABLES = [
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
  'event_actor',
  'implication_actor',
  'brief_definition',
  'brief_run',
  'api_key',
  'release',
];
const ITEM_TABLES = TABLES.slice(0, 10);

/** A fingerprint of every table a write could touch: equal fingerprints, nothing written. */
async function snapshot(): Promise<Record<string, string>> {
  const rows: Array<{ t: string; h: string }> = await server.dataSource.query(
    TABLES.map((t) => `SELECT '${t}' AS t, count(*) || ':' || md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) AS h FROM ${t} r`).join(
      ' UNION ALL ',
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

const capabilityInput = (extra: Record<string, unknown> = {}) => ({
  topic: TOPIC,
  actor: kpa,
  category: 'MANPOWER',
  statement: 'The KPA has many soldiers.',
  citations,
  ...extra,
});
const challengeInput = (extra: Record<string, unknown> = {}) => ({
  topic: TOPIC,
  actor: kpa,
  category: 'LANGUAGE',
  statement: 'Few soldiers speak Russian.',
  citations,
  ...extra,
});
const eventInput = (extra: Record<string, unknown> = {}) => ({
  topic: TOPIC,
  title: 'Units seen near Sudzha',
  occurredOn: '2024-11-01',
  precision: 'MONTH',
  actors: [kpa],
  citations,
  ...extra,
});
const relationInput = (extra: Record<string, unknown> = {}) => ({
  topic: TOPIC,
  from: kpa,
  type: 'TRAINS_WITH',
  to: russia,
  validFrom: '2024-10-24',
  citations,
  ...extra,
});
const implicationInput = (extra: Record<string, unknown> = {}) => ({
  topic: TOPIC,
  statement: 'Units rotate out before spring.',
  likelihood: 'UNLIKELY',
  confidence: 'LOW',
  scope: 'CONFLICT',
  horizon: 'SHORT_TERM',
  citations,
  ...extra,
});
const briefInput = (extra: Record<string, unknown> = {}) => ({
  name: 'Weekly DPRK',
  brief: { topics: [TOPIC], clearance: 'GREEN' },
  cron: '@yearly',
  ...extra,
});

const CREATE = {
  capability: `mutation($input: CapabilityInput!) { createCapability(input: $input) { id } }`,
  challenge: `mutation($input: ChallengeInput!) { createChallenge(input: $input) { id } }`,
  event: `mutation($input: EventInput!) { createEvent(input: $input) { id } }`,
  relation: `mutation($input: ActorRelationInput!) { createRelation(input: $input) { id validFrom validTo } }`,
  implication: `mutation($input: ImplicationInput!) { createImplication(input: $input) { id citations { quote } } }`,
  brief: `mutation($input: BriefDefinitionInput!) { createBriefDefinition(input: $input) { id name } }`,
  apiKey: `mutation($input: ApiKeyInput!) { createApiKey(input: $input) { key } }`,
};
const UPDATE = {
  capability: `mutation($id: ID!, $input: CapabilityPatch!) { updateCapability(id: $id, input: $input) { id } }`,
  challenge: `mutation($id: ID!, $input: ChallengePatch!) { updateChallenge(id: $id, input: $input) { id } }`,
  event: `mutation($id: ID!, $input: EventPatch!) { updateEvent(id: $id, input: $input) { id } }`,
  relation: `mutation($id: ID!, $input: ActorRelationPatch!) { updateRelation(id: $id, input: $input) { validFrom validTo } }`,
  implication: `mutation($id: ID!, $input: ImplicationPatch!) { updateImplication(id: $id, input: $input) { id marking } }`,
  brief: `mutation($id: ID!, $input: BriefDefinitionPatch!) { updateBriefDefinition(id: $id, input: $input) { id } }`,
};

const refusal = (r: GraphQLResponse) => ({
  status: r.status < 500,
  code: r.body.errors?.[0]?.extensions?.code,
  field: r.body.errors?.[0]?.extensions?.argumentName,
});

beforeAll(async () => {
  server = await startTestServer();
  const make = async (name: string, role: Role, organisation: string | null) =>
    (keys[name] = (await createKey(server.dataSource.manager, { name, role, clearance: Marking.RED, organisation })).key);
  await make('analyst', Role.ANALYST, 'org-c');
  await make('releaser', Role.RELEASER, 'org-c');
  await make('admin', Role.ADMIN, 'org-c');
  await make('loner', Role.ANALYST, null);
  const created = async (kind: keyof typeof CREATE, input: Record<string, unknown>, as = keys.analyst) =>
    Object.values(dataOf(await server.gqlAs(as, CREATE[kind], { input })))[0] as { id: string };
  ids.capability = (await created('capability', capabilityInput({ quantity: { best: 100, unit: 'launchers' } }))).id;
  ids.challenge = (await created('challenge', challengeInput())).id;
  ids.event = (await created('event', eventInput())).id;
  ids.relation = (await created('relation', relationInput())).id;
  ids.implication = (await created('implication', implicationInput({ marking: 'AMBER' }))).id;
  ids.brief = (await created('brief', briefInput(), keys.admin)).id;
});
afterAll(() => server.close());

describe('through the API, a write that breaks a rule is BAD_USER_INPUT naming the field, and writes nothing', () => {
  const as = (key: string) => () => keys[key];
  const cases: Array<[string, () => string, string, () => Record<string, unknown>, string]> = [
    // The relation rules are left to the table's checks: these answers come from the database.
    [
      'relation_validity_ordered: a relation ending before it begins',
      as('analyst'),
      CREATE.relation,
      () => ({ input: relationInput({ validTo: '2024-10-23' }) }),
      'input.validTo',
    ],
    ['relation_distinct_actors: a relation of an actor to itself', as('analyst'), CREATE.relation, () => ({ input: relationInput({ to: kpa }) }), 'input.to'],
    [
      'relation_validity_ordered: a new end before the stored beginning',
      as('analyst'),
      UPDATE.relation,
      () => ({ id: ids.relation, input: { validTo: '2024-10-23' } }),
      'input.validTo',
    ],
    ['statement_not_blank: a blank capability', as('analyst'), CREATE.capability, () => ({ input: capabilityInput({ statement: ' \t ' }) }), 'input.statement'],
    [
      'statement_not_blank: a capability made blank',
      as('analyst'),
      UPDATE.capability,
      () => ({ id: ids.capability, input: { statement: '  ' } }),
      'input.statement',
    ],
    ['statement_not_blank: a blank challenge', as('analyst'), CREATE.challenge, () => ({ input: challengeInput({ statement: '' }) }), 'input.statement'],
    [
      'statement_not_blank: a judgment made blank',
      as('analyst'),
      UPDATE.implication,
      () => ({ id: ids.implication, input: { statement: '\n' } }),
      'input.statement',
    ],
    ['title_not_blank: an untitled event', as('analyst'), CREATE.event, () => ({ input: eventInput({ title: '   ' }) }), 'input.title'],
    ['title_not_blank: an event made untitled', as('analyst'), UPDATE.event, () => ({ id: ids.event, input: { title: ' ' } }), 'input.title'],
    [
      'quantity_ordered: low above best',
      as('analyst'),
      CREATE.capability,
      () => ({ input: capabilityInput({ quantity: { low: 300, best: 200 } }) }),
      'input.quantity',
    ],
    [
      'quantity_ordered: best above high, on an event',
      as('analyst'),
      CREATE.event,
      () => ({ input: eventInput({ quantity: { best: 5, high: 1 } }) }),
      'input.quantity',
    ],
    [
      'quantity_ordered: a changed range low above high',
      as('analyst'),
      UPDATE.challenge,
      () => ({ id: ids.challenge, input: { quantity: { low: 2, high: 1 } } }),
      'input.quantity',
    ],
    [
      'quantity_has_value: a unit without a number',
      as('analyst'),
      CREATE.challenge,
      () => ({ input: challengeInput({ quantity: { unit: 'troops' } }) }),
      'input.quantity',
    ],
    [
      'quantity_has_value: a number replaced by a unit alone',
      as('analyst'),
      UPDATE.capability,
      () => ({ id: ids.capability, input: { quantity: { unit: 'launchers' } } }),
      'input.quantity',
    ],
    [
      'event_date_fits_precision: a MONTH date that is not the 1st',
      as('analyst'),
      CREATE.event,
      () => ({ input: eventInput({ occurredOn: '2024-11-15' }) }),
      'input.occurredOn',
    ],
    [
      'event_date_fits_precision: a YEAR date that is not 1 January',
      as('analyst'),
      UPDATE.event,
      () => ({ id: ids.event, input: { occurredOn: '2024-03-01', precision: 'YEAR' } }),
      'input.occurredOn',
    ],
    [
      'quote_not_blank: a citation without words',
      as('analyst'),
      CREATE.implication,
      () => ({ input: implicationInput({ citations: [{ ...citations[0], quote: '   ' }] }) }),
      'input.citations[0].quote',
    ],
    [
      'citation_points_somewhere: a citation with neither a quote nor a locator',
      as('analyst'),
      CREATE.implication,
      () => ({ input: implicationInput({ citations: [{ source: article, verb: 'REPORTS', credibility: 3 }] }) }),
      'input.citations[0].quote',
    ],
    [
      'citation_points_somewhere: a locator given as nothing but nulls',
      as('analyst'),
      CREATE.capability,
      () => ({ input: capabilityInput({ citations: [{ source: article, verb: 'REPORTS', credibility: 3, quote: null, url: null, page: null }] }) }),
      'input.citations[0].quote',
    ],
    [
      'citation_url_format: a citation address that is not http(s)',
      as('analyst'),
      CREATE.event,
      () => ({ input: eventInput({ citations: [{ source: article, verb: 'REPORTS', credibility: 3, url: 'javascript:alert(1)' }] }) }),
      'input.citations[0].url',
    ],
    [
      'citation_url_format: a citation address that would end a Markdown link',
      as('analyst'),
      CREATE.event,
      () => ({ input: eventInput({ citations: [{ source: article, verb: 'REPORTS', credibility: 3, url: 'https://example.org/a>b' }] }) }),
      'input.citations[0].url',
    ],
    [
      'page_not_blank: a blank page',
      as('analyst'),
      CREATE.challenge,
      () => ({ input: challengeInput({ citations: [{ source: article, verb: 'REPORTS', credibility: 3, page: '  ' }] }) }),
      'input.citations[0].page',
    ],
    [
      'paragraph_not_blank: a blank paragraph beside a quote',
      as('analyst'),
      CREATE.relation,
      () => ({ input: relationInput({ citations: [{ ...citations[0], paragraph: '' }] }) }),
      'input.citations[0].paragraph',
    ],
    [
      'quantity_exact_one_value: an exact count given as a range',
      as('analyst'),
      CREATE.capability,
      () => ({ input: capabilityInput({ quantity: { low: 10, best: 12, exact: true } }) }),
      'input.quantity.exact',
    ],
    [
      'quantity_exact_one_value: an exact count without best',
      as('analyst'),
      CREATE.event,
      () => ({ input: eventInput({ quantity: { low: 12, high: 12, exact: true } }) }),
      'input.quantity.exact',
    ],
    [
      'quantity_exact_one_value: a judgment’s number made exact with two values',
      as('analyst'),
      UPDATE.implication,
      () => ({ id: ids.implication, input: { quantity: { best: 3, high: 4, exact: true } } }),
      'input.quantity.exact',
    ],
    [
      'quantity_ordered: a judgment’s range low above best',
      as('analyst'),
      CREATE.implication,
      () => ({ input: implicationInput({ quantity: { low: 3, best: 2 } }) }),
      'input.quantity',
    ],
    [
      'citation_credibility_range: credibility 7',
      as('analyst'),
      CREATE.implication,
      () => ({ input: implicationInput({ citations: [{ ...citations[0], credibility: 7 }] }) }),
      'input.citations[0].credibility',
    ],
    [
      'audience_only_red: a GREEN statement with an audience',
      as('analyst'),
      CREATE.implication,
      () => ({ input: implicationInput({ marking: 'GREEN', audience: ['org-c/releaser'] }) }),
      'input.audience',
    ],
    [
      'audience_only_red: an audience given to an AMBER statement',
      as('analyst'),
      UPDATE.implication,
      () => ({ id: ids.implication, input: { audience: ['org-c/releaser'] } }),
      'input.audience',
    ],
    [
      'item_access_decidable: AMBER_STRICT without an organisation',
      as('loner'),
      CREATE.implication,
      () => ({ input: implicationInput({ marking: 'AMBER_STRICT' }) }),
      'input.marking',
    ],
    [
      'release_reason_given: a release with a blank reason',
      as('releaser'),
      UPDATE.implication,
      () => ({ id: ids.implication, input: { marking: 'CLEAR', releaseReason: '  ' } }),
      'input.releaseReason',
    ],
    ['name_not_blank: a brief definition without a name', as('admin'), CREATE.brief, () => ({ input: briefInput({ name: ' ' }) }), 'input.name'],
    ['name_not_blank: a brief definition renamed blank', as('admin'), UPDATE.brief, () => ({ id: ids.brief, input: { name: '\t' } }), 'input.name'],
    ['brief_definition_name_length: a 201-character name', as('admin'), CREATE.brief, () => ({ input: briefInput({ name: 'n'.repeat(201) }) }), 'input.name'],
    ['brief_definition_formats_given: no rendering', as('admin'), UPDATE.brief, () => ({ id: ids.brief, input: { formats: [] } }), 'input.formats'],
    ['brief_definition_schedule_given: a blank cron expression', as('admin'), CREATE.brief, () => ({ input: briefInput({ cron: ' ' }) }), 'input.cron'],
    ['brief_definition_schedule_given: a blank time zone', as('admin'), UPDATE.brief, () => ({ id: ids.brief, input: { timeZone: '' } }), 'input.timeZone'],
    [
      'api_key_name_format: a key name with a space',
      as('admin'),
      CREATE.apiKey,
      () => ({ input: { name: 'has space', role: 'VIEWER', clearance: 'CLEAR' } }),
      'input.name',
    ],
    [
      'organisation_format: a key of the empty organisation',
      as('admin'),
      CREATE.apiKey,
      () => ({ input: { name: 'nobody', role: 'VIEWER', clearance: 'CLEAR', organisation: '' } }),
      'input.organisation',
    ],
  ];

  test.each(cases)('%s', async (_rule, key, query, variables, field) => {
    const before = await snapshot();
    expect(refusal(await server.gqlAs(key(), query, variables()))).toEqual({ status: true, code: 'BAD_USER_INPUT', field });
    expect(await snapshot()).toEqual(before);
  });

  test('the stored beginning bounds a new end: the same day is allowed, and a relation without a beginning takes any end', async () => {
    const early = await server.gqlAs(keys.analyst, UPDATE.relation, { id: ids.relation, input: { validTo: '2024-01-01' } });
    expect(early.body.errors?.[0]?.message).toBe('Invalid argument "input.validTo": the relation begins on 2024-10-24: it cannot end before');
    expect(dataOf(await server.gqlAs(keys.analyst, UPDATE.relation, { id: ids.relation, input: { validTo: '2024-10-24' } })).updateRelation).toEqual({
      validFrom: '2024-10-24',
      validTo: '2024-10-24',
    });
    const open = dataOf(await server.gqlAs(keys.analyst, CREATE.relation, { input: relationInput({ validFrom: null, type: 'SUPPORTS' }) })).createRelation;
    expect(dataOf(await server.gqlAs(keys.analyst, UPDATE.relation, { id: open.id, input: { validTo: '1990-01-01' } })).updateRelation.validTo).toBe(
      '1990-01-01',
    );
  });

  test('quotes are stored trimmed, as the check on them holds', async () => {
    const created = dataOf(
      await server.gqlAs(keys.analyst, CREATE.implication, { input: implicationInput({ citations: [{ ...citations[0], quote: '  padded words \n' }] }) }),
    );
    expect(created.createImplication.citations).toEqual([{ quote: 'padded words' }]);
  });
});

describe('the database refuses every rule, whoever writes', () => {
  const each = (tables: string[], constraint: string, set: string, field: string): Array<[string, string, string, string]> =>
    tables.map((t) => [constraint, t, `UPDATE ${t} SET ${set}`, field]);
  const oneKey = `WHERE principal = 'org-c/analyst'`;
  const violations: Array<[string, string, string, string]> = [
    ...each(ITEM_TABLES, 'organisation_format', `organisation = 'not an organisation'`, 'input.organisation'),
    ...each(ITEM_TABLES, 'audience_only_red', `audience = '{org-c/analyst}' WHERE marking <> 'RED'`, 'input.audience'),
    ...each(ITEM_TABLES, 'item_access_decidable', `marking = 'AMBER_STRICT', organisation = NULL`, 'input.marking'),
    ...each(ITEM_TABLES, 'retraction_explained', `retracted_at = now(), retraction_reason = ' '`, 'reason'),
    ...each(ITEM_TABLES, 'retraction_explained', `retraction_reason = 'a reason, yet it stands'`, 'reason'),
    ...each(ITEM_TABLES, 'not_superseded_by_itself', `retracted_at = now(), retraction_reason = 'gone', superseded_by_id = id`, 'supersededBy'),
    ...each(['actor', 'location', 'source', 'brief_definition'], 'name_not_blank', `name = ' '`, 'input.name'),
    ...each(['topic', 'event'], 'title_not_blank', `title = 'padded '`, 'input.title'),
    ...each(['topic'], 'summary_not_blank', `summary = ''`, 'input.summary'),
    ...each(['capability', 'challenge', 'implication'], 'statement_not_blank', `statement = E'\\t'`, 'input.statement'),
    ...each(['citation'], 'quote_not_blank', `quote = ' padded'`, 'input.citations'),
    ...each(['citation'], 'citation_points_somewhere', `quote = NULL`, 'input.citations'),
    ...each(['citation'], 'citation_points_somewhere', `quote = NULL, url = NULL, page = NULL, paragraph = NULL, accessed_on = NULL`, 'input.citations'),
    ...each(['citation'], 'citation_url_format', `url = 'ftp://example.org/data.csv'`, 'input.citations'),
    ...each(['citation'], 'citation_url_format', `url = 'https://example.org/a b'`, 'input.citations'),
    ...each(['citation'], 'page_not_blank', `page = ''`, 'input.citations'),
    ...each(['citation'], 'paragraph_not_blank', `paragraph = '3 '`, 'input.citations'),
    ...each(['citation'], 'citation_credibility_range', `credibility = 0`, 'input.citations'),
    ...each(
      ['citation'],
      'citation_cites_one_statement',
      `capability_id = NULL, challenge_id = NULL, implication_id = NULL, event_id = NULL, relation_id = NULL`,
      'input.citations',
    ),
    ...each(['source'], 'source_relays_another', `relays_id = id`, 'input.relays'),
    ...each(['citation'], 'citation_relays_another', `relayed_from_id = source_id`, 'input.citations'),
    ...each(['actor', 'location'], 'country_code_format', `country_code = 'kp'`, 'input.countryCode'),
    ...each(
      ['capability', 'challenge', 'event', 'implication'],
      'quantity_ordered',
      `quantity_low = 10, quantity_best = 5, quantity_high = NULL`,
      'input.quantity',
    ),
    ...each(
      ['capability', 'challenge', 'event', 'implication'],
      'quantity_exact_one_value',
      `quantity_exact = true, quantity_low = 1, quantity_best = 2, quantity_high = NULL`,
      'input.quantity.exact',
    ),
    ...each(
      ['implication'],
      'quantity_exact_one_value',
      `quantity_exact = true, quantity_low = NULL, quantity_best = NULL, quantity_high = NULL`,
      'input.quantity.exact',
    ),
    ...each(['event'], 'quantity_exact_one_value', `quantity_exact = true, quantity_low = 7, quantity_best = 7, quantity_high = 8`, 'input.quantity.exact'),
    ...each(
      ['capability', 'challenge', 'event', 'implication'],
      'quantity_has_value',
      `quantity_low = NULL, quantity_best = NULL, quantity_high = NULL, quantity_unit = 'troops'`,
      'input.quantity',
    ),
    ...each(['topic'], 'topic_slug_format', `slug = 'Not A Slug'`, 'input.slug'),
    ...each(['topic'], 'topic_period_ordered', `starts_on = '2024-08-01', ends_on = '2024-07-31'`, 'input.endsOn'),
    ...each(['actor'], 'actor_not_own_parent', `parent_id = id`, 'input.parent'),
    ...each(['location'], 'location_coordinates_valid', `latitude = 91, longitude = 0`, 'input.latitude'),
    ...each(['location'], 'location_coordinates_valid', `latitude = 10, longitude = NULL`, 'input.latitude'),
    ...each(['event'], 'event_date_fits_precision', `precision = 'MONTH', occurred_on = '2024-08-15'`, 'input.occurredOn'),
    ...each(['event'], 'event_date_fits_precision', `precision = 'YEAR', occurred_on = '2024-08-01'`, 'input.occurredOn'),
    ...each(['actor_relation'], 'relation_validity_ordered', `valid_from = '2024-10-24', valid_to = '2024-10-23'`, 'input.validTo'),
    ...each(['actor_relation'], 'relation_distinct_actors', `to_actor_id = from_actor_id`, 'input.to'),
    ...each(['brief_definition'], 'organisation_format', `organisation = 'org c'`, 'input.organisation'),
    ...each(
      ['brief_definition'],
      'item_access_decidable',
      `input = jsonb_set(input, '{clearance}', '"RED"'), marking = 'RED', audience = '{}'`,
      'input.marking',
    ),
    ...each(['brief_definition'], 'brief_definition_name_length', `name = repeat('n', 201)`, 'input.name'),
    ...each(['brief_definition'], 'brief_definition_formats_given', `formats = '{}'`, 'input.formats'),
    ...each(['brief_definition'], 'brief_definition_schedule_given', `time_zone = ' '`, 'input.cron'),
    ...each(['brief_definition'], 'brief_definition_marking_is_clearance', `input = jsonb_set(input, '{clearance}', '"RED"')`, 'input.brief.clearance'),
    ...each(['brief_definition'], 'brief_definition_paused_not_due', `paused = true`, 'id'),
    ...each(['brief_definition'], 'brief_definition_keep_runs_range', `keep_runs = 0`, 'input.keepRuns'),
    ...each(['brief_definition'], 'brief_definition_keep_days_range', `keep_days = 3661`, 'input.keepDays'),
    ...each(['api_key'], 'api_key_name_format', `name = 'a b', principal = 'org-c/a b' ${oneKey}`, 'input.name'),
    ...each(['api_key'], 'api_key_principal_of_name', `principal = 'org-c/someone-else' ${oneKey}`, 'input.name'),
    ...each(['api_key'], 'organisation_format', `organisation = 'org c', principal = 'org c/analyst' ${oneKey}`, 'input.organisation'),
    ...each(['vocabulary_term'], 'vocabulary_term_format', `term = lower(term)`, 'term'),
    ...each(['vocabulary_term'], 'vocabulary_term_format', `term = 'TOO_LONG_' || repeat('X', 60)`, 'term'),
    ...each(['vocabulary_term'], 'vocabulary_name_format', `vocabulary = 'Actor Kind'`, 'vocabulary'),
    ...each(['vocabulary_term'], 'vocabulary_label_not_blank', `label = ' '`, 'label'),
    ...each(['vocabulary_term'], 'vocabulary_stix_both_or_neither', `stix_vocabulary = NULL WHERE stix_term IS NOT NULL`, 'stixTerm'),
    [
      'organisation_format',
      'brief_run',
      `INSERT INTO brief_run (id, definition_id, scheduled_for, status, organisation) SELECT gen_random_uuid(), id, now(), 'QUEUED', 'org c' FROM brief_definition`,
      'input.organisation',
    ],
    [
      'item_access_decidable',
      'brief_run',
      `INSERT INTO brief_run (id, definition_id, scheduled_for, status, marking) SELECT gen_random_uuid(), id, now(), 'QUEUED', 'RED' FROM brief_definition`,
      'input.marking',
    ],
    [
      'delivery_target_deliverable',
      'delivery_target',
      `INSERT INTO delivery_target (id, definition_id, kind, url, secret, label, clearance)
       SELECT gen_random_uuid(), id, 'WEBHOOK', 'https://example.org/hook', 'whsec_x', 'https://example.org/hook', 'RED' FROM brief_definition`,
      'input.clearance',
    ],
    [
      'delivery_target_kind_fields',
      'delivery_target',
      `INSERT INTO delivery_target (id, definition_id, kind, label, clearance) SELECT gen_random_uuid(), id, 'EMAIL', 'nobody', 'GREEN' FROM brief_definition`,
      'input.recipients',
    ],
    [
      'release_reason_given',
      'release',
      `INSERT INTO release (id, item_table, item_id, from_marking, to_marking, from_audience, to_audience, reason, released_by)
       VALUES (gen_random_uuid(), 'implication', gen_random_uuid(), 'AMBER', 'CLEAR', '{}', '{}', ' ', 'org-c/releaser')`,
      'input.releaseReason',
    ],
  ];

  test.each(violations)('%s on %s', async (constraint, table, sql, field) => {
    const before = await snapshot();
    const error = await server.dataSource.query(sql).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as { driverError?: unknown } | null)?.driverError).toMatchObject({ code: '23514', table, constraint });
    expect(constraintError(error)?.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: field });
    expect(await snapshot()).toEqual(before);
  });

  test('every CHECK constraint of the schema is exercised here and has its own message', async () => {
    const rows: Array<{ name: string; table: string }> = await server.dataSource.query(
      `SELECT conname AS name, conrelid::regclass::text AS table FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace`,
    );
    const exercised = new Set(violations.map(([constraint, table]) => `${table}.${constraint}`));
    expect(rows.map((r) => `${r.table}.${r.name}`).filter((c) => !exercised.has(c))).toEqual([]);
  });

  test('a missing reference, a missing value and a taken key are the client’s too', async () => {
    const topic = fixtureId('topic', TOPIC);
    const failing = (sql: string, params: unknown[]) =>
      server.dataSource.query(sql, params).then(
        () => null,
        (e: unknown) => e,
      );
    const before = await snapshot();
    const noActor = await failing(
      `INSERT INTO capability (id, topic_id, actor_id, category, statement) VALUES (gen_random_uuid(), $1, gen_random_uuid(), 'MANPOWER', 'x')`,
      [topic],
    );
    expect(constraintError(noActor)?.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'input.actor' });
    const linkToNoActor = await failing(`INSERT INTO event_actor (event_id, actor_id) SELECT id, gen_random_uuid() FROM event LIMIT 1`, []);
    expect(constraintError(linkToNoActor)?.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'input.actors' });
    const noStatement = await failing(
      `INSERT INTO implication (id, topic_id, statement, likelihood, confidence, scope, horizon) VALUES (gen_random_uuid(), $1, NULL, 'LIKELY', 'LOW', 'GLOBAL', 'LONG_TERM')`,
      [topic],
    );
    expect(constraintError(noStatement)?.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'input.statement' });
    const takenSlug = await failing(`INSERT INTO topic (id, slug, title, summary) VALUES (gen_random_uuid(), $1, 'Again', 'Again')`, [TOPIC]);
    expect(constraintError(takenSlug)?.extensions).toEqual({ code: 'CONFLICT' });
    expect(await snapshot()).toEqual(before);
    expect(constraintError(new Error('not a database error'))).toBeNull();
  });
});

describe('fixture files are held to the same rules, with the file, record and field named', () => {
  const seed = () => parse(readFileSync(join(__dirname, '..', 'fixtures', 'seed', 'dprk-troops-in-russia.yaml'), 'utf8'));
  const fixtureDir = (document: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-constraints-'));
    writeFileSync(join(dir, 'scenario.yaml'), JSON.stringify(document));
    return dir;
  };
  test.each([
    [
      'a relation ending before it begins',
      (d: any) => {
        d.relations[0].validFrom = '2024-10-24';
        d.relations[0].validTo = '2024-10-23';
      },
      /relations\[0\] \(russia-dprk-treaty-partners\)\.validTo: ends before it begins/,
    ],
    [
      'a relation of an actor to itself',
      (d: any) => {
        d.relations[0].to = d.relations[0].from;
      },
      /relations\[0\] \(.+\)\.to: an actor has no relation to itself/,
    ],
    [
      'a topic ending before it begins',
      (d: any) => {
        d.topic.endsOn = '2024-07-31';
      },
      /topic\.endsOn: ends before it begins/,
    ],
    [
      'an actor part of itself',
      (d: any) => {
        d.actors[0].parent = d.actors[0].key;
      },
      /actors\[0\] \(russia\)\.parent: an actor is not part of itself/,
    ],
    [
      'a latitude without a longitude',
      (d: any) => {
        d.locations[0].latitude = 55.7;
      },
      /locations\[0\] \(russia\)\.longitude: give latitude and longitude together/,
    ],
    [
      'a MONTH date that is not the 1st',
      (d: any) => {
        d.events[0].occurredOn = '2024-08-06';
      },
      /events\[0\] \(ukrainian-forces-enter-kursk\)\.occurredOn: a MONTH date is the first of its month/,
    ],
    [
      'an audience on a CLEAR item',
      (d: any) => {
        d.actors[0].audience = ['demo/lead-analyst'];
      },
      /actors\[0\] \(russia\)\.audience: only a RED item has an audience/,
    ],
  ])('%s', async (_name, spoil, message) => {
    const data = seed();
    spoil(data);
    const before = await snapshot();
    await expect(loadFixtures(server.dataSource, fixtureDir(data))).rejects.toThrow(message);
    expect(await snapshot()).toEqual(before);
  });
});
