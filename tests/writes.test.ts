import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { fromGlobalId, toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, TestServer } from './support/server';

// Analysts write judgments: with their role, within their clearance, whole or not at all.
let server: TestServer;
const keys: Record<string, string> = {};
const article = toGlobalId('Source', fixtureId('source', 'article'));
const CREATE = `mutation($input: ImplicationInput!) { createImplication(input: $input) { id statement marking audience sourceCount affectedActors { name } } }`;
const judgment = (extra: Record<string, unknown> = {}) => ({
  topic: 'dprk-troops-in-russia',
  statement: 'North Korean units rotate out of the Kursk region before spring.',
  likelihood: 'UNLIKELY',
  confidence: 'LOW',
  scope: 'CONFLICT',
  horizon: 'SHORT_TERM',
  affectedActors: [toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army'))],
  citations: [{ source: article, verb: 'SPECULATES', quote: 'DPRK forces are being readied for combat roles', credibility: 4 }],
  ...extra,
});

beforeAll(async () => {
  server = await startTestServer();
  const make = async (name: string, role: Role, clearance: Marking) =>
    (keys[name] = (await createKey(server.dataSource.manager, { name, role, clearance, organisation: 'org-w' })).key);
  await make('writer', Role.ANALYST, Marking.RED);
  await make('green-analyst', Role.ANALYST, Marking.GREEN);
  await make('reader', Role.VIEWER, Marking.RED);
  await make('red-outsider', Role.ANALYST, Marking.RED);
  await make('admin', Role.ADMIN, Marking.RED);
});
afterAll(() => server.close());

const count = async () => (await server.dataSource.query(`SELECT (SELECT count(*) FROM implication)::int AS i, (SELECT count(*) FROM citation)::int AS c`))[0];

test('an analyst records a judgment with its sources; viewers and anonymous callers may not', async () => {
  const created = dataOf(await server.gqlAs(keys.writer, CREATE, { input: judgment() })).createImplication;
  expect(created).toMatchObject({
    statement: judgment().statement,
    marking: 'CLEAR',
    audience: [],
    sourceCount: 1,
    affectedActors: [{ name: "Korean People's Army" }],
  });
  const brief = dataOf(
    await server.gqlAs(null, `{ brief(input: { topics: ["dprk-troops-in-russia"], sections: [IMPLICATIONS], limitPerSection: 100 }) { markdown } }`),
  );
  expect(brief.brief.markdown).toContain('Unlikely (20-45%): North Korean units rotate out of the Kursk region before spring.');

  expect((await server.gqlAs(keys.reader, CREATE, { input: judgment() })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await server.gqlAs(null, CREATE, { input: judgment() })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

test('bad input is BAD_USER_INPUT naming the field, a reference to nothing NOT_FOUND naming it, and nothing is half-written', async () => {
  const before = await count();
  const cases: Array<[string, Record<string, unknown>, string, string?]> = [
    [keys['green-analyst'], { marking: 'AMBER' }, 'input.marking'],
    [keys.writer, { topic: 'no-such-topic' }, 'input.topic', 'NOT_FOUND'],
    [keys.writer, { statement: '  ' }, 'input.statement'],
    [keys.writer, { citations: [] }, 'input.citations'],
    [keys.writer, { affectedActors: [toGlobalId('Actor', '00000000-0000-4000-8000-000000000000')] }, 'input.affectedActors[0]', 'NOT_FOUND'],
    [keys.writer, { citations: [{ source: article, verb: 'STATES', quote: 'q', credibility: 9 }] }, 'input.citations[0].credibility'],
    [
      keys.writer,
      {
        citations: [
          { source: article, verb: 'STATES', quote: 'q', credibility: 2 },
          { source: toGlobalId('Source', '00000000-0000-4000-8000-000000000000'), verb: 'STATES', quote: 'q', credibility: 2 },
        ],
      },
      'input.citations[1].source',
      'NOT_FOUND',
    ],
    [keys.writer, { marking: 'GREEN', audience: ['someone'] }, 'input.audience'],
  ];
  for (const [key, extra, field, code = 'BAD_USER_INPUT'] of cases) {
    const error = (await server.gqlAs(key, CREATE, { input: judgment(extra) })).body.errors?.[0];
    expect({ field, code: error?.extensions?.code, got: error?.extensions?.argumentName }).toEqual({ field, code, got: field });
  }
  expect(await count()).toEqual(before);
});

test('a RED judgment is read by its audience only, and others cannot find it to change it', async () => {
  const red = dataOf(
    await server.gqlAs(keys.writer, CREATE, { input: judgment({ marking: 'RED', audience: ['org-w/reader'], statement: 'RED: a closely held judgment.' }) }),
  ).createImplication;
  expect(red.audience).toEqual(['org-w/reader', 'org-w/writer']);
  const NODE = `query($id: ID!) { node(id: $id) { ... on Implication { statement } } }`;
  expect(dataOf(await server.gqlAs(keys.reader, NODE, { id: red.id })).node.statement).toBe('RED: a closely held judgment.');
  const outsider = await server.gqlAs(keys['red-outsider'], NODE, { id: red.id });
  expect(outsider.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  for (const mutation of [
    `mutation($id: ID!) { updateImplication(id: $id, input: { likelihood: LIKELY }) { id } }`,
    `mutation($id: ID!) { retractImplication(id: $id, reason: "not mine to keep") { id } }`,
  ]) {
    const response = await server.gqlAs(keys['red-outsider'], mutation, { id: red.id });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(response.body)).not.toContain('closely held');
  }
  // Lowering the marking is a release, which an analyst may not make (see markings.test.ts); changing the rest is open.
  const lowered = await server.gqlAs(keys.writer, `mutation($id: ID!) { updateImplication(id: $id, input: { likelihood: LIKELY, marking: AMBER }) { id } }`, {
    id: red.id,
  });
  expect(lowered.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const updated = dataOf(
    await server.gqlAs(keys.writer, `mutation($id: ID!) { updateImplication(id: $id, input: { likelihood: LIKELY }) { likelihood marking audience } }`, {
      id: red.id,
    }),
  );
  expect(updated.updateImplication).toEqual({ likelihood: 'LIKELY', marking: 'RED', audience: ['org-w/reader', 'org-w/writer'] });
  // Retracted, it stays readable by its audience with its reason; deleted for good, it is gone.
  const RETRACT = `mutation($id: ID!) { retractImplication(id: $id, reason: "Overtaken by events.") { retractedAt retractionReason } }`;
  expect(dataOf(await server.gqlAs(keys.writer, RETRACT, { id: red.id })).retractImplication).toEqual({
    retractedAt: expect.any(String),
    retractionReason: 'Overtaken by events.',
  });
  expect(dataOf(await server.gqlAs(keys.reader, NODE, { id: red.id })).node.statement).toBe('RED: a closely held judgment.');
  await server.dataSource.query(`UPDATE implication SET audience = audience || '{org-w/admin}' WHERE id = $1`, [fromGlobalId(red.id, 'id').id]);
  expect(dataOf(await server.gqlAs(keys.admin, `mutation($id: ID!) { deleteImplication(id: $id) }`, { id: red.id })).deleteImplication).toBe(red.id);
  expect((await server.gqlAs(keys.writer, NODE, { id: red.id })).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

test('analysts record capabilities and challenges too, with quantities as ranges, and change or retract them; admins delete them', async () => {
  const kpa = toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army'));
  const citations = [{ source: article, verb: 'STATES', quote: 'over 1.2 million active-duty soldiers', credibility: 2 }];
  const CAP = `mutation($input: CapabilityInput!) { createCapability(input: $input) { id statement category quantity { low best unit } actor { name } sourceCount } }`;
  const capability = dataOf(
    await server.gqlAs(keys.writer, CAP, {
      input: {
        topic: 'dprk-troops-in-russia',
        actor: kpa,
        category: 'EQUIPMENT',
        statement: 'The KPA fields long-range rocket artillery.',
        quantity: { low: 100, best: 200, unit: 'launchers' },
        citations,
      },
    }),
  ).createCapability;
  expect(capability).toMatchObject({
    category: 'EQUIPMENT',
    quantity: { low: 100, best: 200, unit: 'launchers' },
    actor: { name: "Korean People's Army" },
    sourceCount: 1,
  });

  const bad = await server.gqlAs(keys.writer, CAP, {
    input: { topic: 'dprk-troops-in-russia', actor: kpa, category: 'EQUIPMENT', statement: 'x', quantity: { low: 300, best: 200 }, citations },
  });
  expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.quantity' });

  const CHA = `mutation($input: ChallengeInput!) { createChallenge(input: $input) { id category marking } }`;
  const challenge = dataOf(
    await server.gqlAs(keys.writer, CHA, {
      input: {
        topic: 'dprk-troops-in-russia',
        actor: kpa,
        category: 'MORALE',
        statement: 'Morale among deployed units is untested.',
        marking: 'AMBER',
        citations,
      },
    }),
  ).createChallenge;
  expect(challenge).toMatchObject({ category: 'MORALE', marking: 'AMBER' });
  expect(
    (await server.gqlAs(keys['green-analyst'], `mutation($id: ID!) { retractChallenge(id: $id, reason: "x") { id } }`, { id: challenge.id })).body.errors?.[0]
      ?.extensions?.code,
  ).toBe('NOT_FOUND');
  // Deleting for good is an ADMIN's: an analyst retracts.
  expect((await server.gqlAs(keys.writer, `mutation($id: ID!) { deleteChallenge(id: $id) }`, { id: challenge.id })).body.errors?.[0]?.extensions?.code).toBe(
    'FORBIDDEN',
  );
  const changed = dataOf(
    await server.gqlAs(
      keys.writer,
      `mutation($id: ID!) { updateCapability(id: $id, input: { quantity: { best: 250, unit: "launchers" } }) { quantity { low best } } }`,
      { id: capability.id },
    ),
  );
  expect(changed.updateCapability.quantity).toEqual({ low: null, best: 250 });
  expect(dataOf(await server.gqlAs(keys.admin, `mutation($id: ID!) { deleteChallenge(id: $id) }`, { id: challenge.id })).deleteChallenge).toBe(challenge.id);
  expect(dataOf(await server.gqlAs(keys.admin, `mutation($id: ID!) { deleteCapability(id: $id) }`, { id: capability.id })).deleteCapability).toBe(
    capability.id,
  );
});

test('analysts record events (dated at their precision, with a place) and relations between actors', async () => {
  const kpa = toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army'));
  const russia = toGlobalId('Actor', fixtureId('actor', 'russia'));
  const kursk = toGlobalId('Location', fixtureId('location', 'kursk-region'));
  const citations = [{ source: article, verb: 'REPORTS', quote: 'DPRK troops have been sighted', credibility: 3 }];
  const EVENT = `mutation($input: EventInput!) { createEvent(input: $input) { id title occurredOn precision location { name } actors { name } } }`;
  const event = dataOf(
    await server.gqlAs(keys.writer, EVENT, {
      input: {
        topic: 'dprk-troops-in-russia',
        title: 'North Korean units seen near Sudzha',
        occurredOn: '2024-11-01',
        precision: 'MONTH',
        location: kursk,
        actors: [kpa],
        citations,
      },
    }),
  ).createEvent;
  expect(event).toMatchObject({ occurredOn: '2024-11-01', precision: 'MONTH', location: { name: 'Kursk region' }, actors: [{ name: "Korean People's Army" }] });
  const timeline = dataOf(
    await server.gqlAs(keys.writer, `{ brief(input: { topics: ["dprk-troops-in-russia"], sections: [TIMELINE], limitPerSection: 100 }) { markdown } }`),
  );
  expect(timeline.brief.markdown).toContain('- **In November 2024**, Kursk region: North Korean units seen near Sudzha.');

  const badDate = await server.gqlAs(keys.writer, EVENT, {
    input: { topic: 'dprk-troops-in-russia', title: 'x', occurredOn: '2024-11-15', precision: 'MONTH', citations },
  });
  expect(badDate.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.occurredOn' });

  const RELATION = `mutation($input: ActorRelationInput!) { createRelation(input: $input) { id type from { name } to { name } validFrom } }`;
  const relation = dataOf(
    await server.gqlAs(keys.writer, RELATION, {
      input: { topic: 'dprk-troops-in-russia', from: kpa, type: 'TRAINS_WITH', to: russia, validFrom: '2024-10-01', citations },
    }),
  ).createRelation;
  expect(relation).toMatchObject({ type: 'TRAINS_WITH', from: { name: "Korean People's Army" }, to: { name: 'Russia' }, validFrom: '2024-10-01' });
  const self = await server.gqlAs(keys.writer, RELATION, { input: { topic: 'dprk-troops-in-russia', from: kpa, type: 'SUPPORTS', to: kpa, citations } });
  expect(self.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.to' });
  const ended = dataOf(
    await server.gqlAs(keys.writer, `mutation($id: ID!) { updateRelation(id: $id, input: { validTo: "2024-12-31" }) { validTo } }`, { id: relation.id }),
  );
  expect(ended.updateRelation.validTo).toBe('2024-12-31');
  expect(dataOf(await server.gqlAs(keys.admin, `mutation($id: ID!) { deleteRelation(id: $id) }`, { id: relation.id })).deleteRelation).toBe(relation.id);
  expect(dataOf(await server.gqlAs(keys.admin, `mutation($id: ID!) { deleteEvent(id: $id) }`, { id: event.id })).deleteEvent).toBe(event.id);
  expect((await server.gqlAs(keys.reader, `mutation($id: ID!) { deleteEvent(id: $id) }`, { id: event.id })).body.errors?.[0]?.extensions?.code).toBe(
    'FORBIDDEN',
  );
});
