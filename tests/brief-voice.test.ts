import { Marking } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { dataOf, startTestServer, type TestServer } from './support/server';

// How firmly a brief says a statement follows how its sources put it: what no source asserts is written as their
// claim in the Markdown, the HTML and the JSON alike, a denial is said beside what it denies, and a third party's
// words are that party's claim, never one of our key judgments.
let server: TestServer;
let key: string;
const ids: Record<string, string> = {};
const write = async (query: string, input: Record<string, unknown>) => Object.values(dataOf(await server.gqlAs(key, query, { input })))[0] as any;

const ACTOR = `mutation($input: ActorInput!) { createActor(input: $input) { id } }`;
const SOURCE = `mutation($input: SourceInput!) { createSource(input: $input) { id } }`;
const TOPIC = `mutation($input: TopicInput!) { createTopic(input: $input) { id } }`;
const CAPABILITY = `mutation($input: CapabilityInput!) { createCapability(input: $input) { id } }`;
const EVENT = `mutation($input: EventInput!) { createEvent(input: $input) { id } }`;
const RELATION = `mutation($input: ActorRelationInput!) { createRelation(input: $input) { id } }`;

const TOPIC_SLUG = 'harbour-watch';
const cite = (source: string, verb: string, credibility: number, quote = 'The words of the source.') => ({ source, verb, credibility, quote });
const event = (title: string, citations: unknown[]) => write(EVENT, { topic: TOPIC_SLUG, title, occurredOn: '2025-03-01', precision: 'MONTH', citations });

// Each hedged statement, and how the brief must say it.
const HEDGED = [
  ['The coastguard fields armed drones.', 'Harbour Gazette alleges that the coastguard fields armed drones.'],
  [
    'The patrol boats were moved to the northern pier',
    'Harbour Gazette reports, without confirming it, that the patrol boats were moved to the northern pier.',
  ],
  ['The navy mined the harbour entrance', 'Port Ministry states that the navy mined the harbour entrance.'],
  ['Harbour guard: trains with Coastguard.', 'Harbour guard: trains with Coastguard, Harbour Gazette alleges.'],
] as const;
const ASSERTED = 'A tanker ran aground at the harbour mouth.';
const DENIED = 'The ferry service was suspended.';
const DENIED_ONLY = 'The harbour master resigned';

beforeAll(async () => {
  server = await startTestServer();
  key = (await createKey(server.dataSource.manager, { name: 'voice-analyst', role: Role.ANALYST, clearance: Marking.RED, organisation: 'org-v' })).key;
  ids.coastguard = (await write(ACTOR, { name: 'Coastguard', kind: 'ARMED_FORCE' })).id;
  ids.guard = (await write(ACTOR, { name: 'Harbour guard', kind: 'ARMED_FORCE' })).id;
  const gazette = (await write(ACTOR, { name: 'Harbour Gazette', kind: 'MEDIA' })).id;
  const ministry = (await write(ACTOR, { name: 'Port Ministry', kind: 'GOVERNMENT_BODY' })).id;
  const authority = (await write(ACTOR, { name: 'Port Authority', kind: 'GOVERNMENT_BODY' })).id;
  ids.gazette = (await write(SOURCE, { name: 'Gazette report', kind: 'MEDIA_REPORT', reliability: 'C', publisher: gazette })).id;
  ids.ministry = (await write(SOURCE, { name: 'Ministry bulletin', kind: 'OFFICIAL_STATEMENT', reliability: 'B', publisher: ministry })).id;
  ids.authority = (await write(SOURCE, { name: 'Authority notice', kind: 'OFFICIAL_STATEMENT', reliability: 'B', publisher: authority })).id;
  await write(TOPIC, { slug: TOPIC_SLUG, title: 'Harbour watch', summary: 'Goings-on at the harbour.', actors: [ids.coastguard, ids.guard] });

  // Alleged; reported with a hedge in the source's words (its other citation has none: the hedge still governs);
  // stated at credibility 5 (improbable); a relation alleged.
  await write(CAPABILITY, {
    topic: TOPIC_SLUG,
    actor: ids.coastguard,
    category: 'EQUIPMENT',
    statement: HEDGED[0][0],
    citations: [cite(ids.gazette, 'ALLEGES', 2)],
  });
  await event(HEDGED[1][0], [
    cite(ids.gazette, 'REPORTS', 2, 'Footage appears to show patrol boats at the northern pier.'),
    cite(ids.gazette, 'REPORTS', 2, 'Patrol boats at the northern pier.'),
  ]);
  await event(HEDGED[2][0], [cite(ids.ministry, 'STATES', 5)]);
  await write(RELATION, { topic: TOPIC_SLUG, from: ids.guard, to: ids.coastguard, type: 'TRAINS_WITH', citations: [cite(ids.gazette, 'ALLEGES', 3)] });
  // Asserted by one source, alleged by another: said as fact.
  await event(ASSERTED, [cite(ids.ministry, 'STATES', 2), cite(ids.gazette, 'ALLEGES', 3)]);
  // Denied at credibility 6, below the brief's grades: the denial is still shown, beside it.
  await event(DENIED, [cite(ids.ministry, 'STATES', 2), cite(ids.authority, 'DENIES', 6)]);
  await event(DENIED_ONLY, [cite(ids.authority, 'DENIES', 2)]);
});
afterAll(() => server.close());

const BRIEF = `query($input: BriefInput!) { brief(input: $input) {
  markdown html
  actors { capabilities { text sentence attributed } relations { text sentence attributed } }
  timeline { statement { text sentence attributed sources { verb } } }
  gaps { statement { text sentence attributed } }
} }`;
const briefOf = async (input: Record<string, unknown>) =>
  dataOf(await server.gqlAs(key, BRIEF, { input: { topics: [TOPIC_SLUG], minCredibility: 5, limitPerSection: 100, ...input } })).brief;
const statementsOf = (b: any) => [
  ...b.actors.flatMap((a: any) => [...a.capabilities, ...a.relations]),
  ...b.timeline.map((t: any) => t.statement),
  ...b.gaps.map((g: any) => g.statement),
];
const html = (text: string) => text.replace(/'/g, '&#39;');
const bare = (text: string) => text.replace(/\.$/, '');

test('a statement no source asserts is written as its sources’ claim in Markdown, HTML and JSON, never as fact', async () => {
  const b = await briefOf({});
  const statements = statementsOf(b);
  for (const [claim, attributed] of HEDGED) {
    const shown = statements.filter((s: any) => s.text.startsWith(bare(claim)));
    expect(shown.length).toBeGreaterThan(0);
    for (const s of shown) expect({ claim, sentence: s.sentence, attributed: s.attributed }).toEqual({ claim, sentence: attributed, attributed: true });
    expect(b.markdown).toContain(attributed);
    // Every place the claim's words appear is inside its attributed sentence.
    expect(b.markdown.split(attributed).join('')).not.toContain(bare(claim));
    expect(b.html).toContain(html(attributed));
    expect(b.html.split(html(attributed)).join('')).not.toContain(html(bare(claim)));
  }
  const asserted = statements.find((s: any) => s.text === ASSERTED);
  expect(asserted).toMatchObject({ sentence: ASSERTED, attributed: false });
  expect(b.markdown).toContain(`**: ${ASSERTED} `);
});

test('a denial is always beside what it denies, whatever its grades, in every format', async () => {
  for (const minCredibility of [2, 6]) {
    const b = await briefOf({ minCredibility });
    const denied = b.timeline.find((t: any) => t.statement.text === DENIED).statement;
    expect(denied.sentence).toBe(`${DENIED} Port Authority denies it.`);
    expect(denied.sources.map((s: any) => s.verb)).toEqual(['STATES', 'DENIES']);
    expect(b.markdown).toContain(`: ${DENIED} Port Authority denies it. [`);
    expect(b.markdown.split(`${DENIED} Port Authority denies it.`).join('')).not.toContain(DENIED);
    expect(b.html).toContain(`${DENIED} Port Authority denies it.`);
    const deniedOnly = b.timeline.find((t: any) => t.statement.text === DENIED_ONLY).statement;
    expect(deniedOnly).toMatchObject({ sentence: 'Port Authority denies that the harbour master resigned.', attributed: true });
    expect(b.markdown).toContain(': Port Authority denies that the harbour master resigned. [');
  }
});

describe('the seed brief', () => {
  const SEED = `query { brief(input: { topics: ["dprk-troops-in-russia"], limitPerSection: 100 }) {
    markdown html
    bottomLine { judgment statement { text sources { number verb } } }
    implications { judgment confidence statement { text sources { number verb } } }
    timeline { statement { text sentence attributed sources { number verb } } }
    sources { number title }
  } }`;

  test('keeps the report’s hedges: the Sergeevka footage "appears to capture", the videos "allegedly depict"', async () => {
    const b = dataOf(await server.gql(SEED)).brief;
    const sergeevka = b.timeline.find((t: any) => t.statement.text.includes('Sergeevka')).statement;
    expect(sergeevka).toMatchObject({
      sentence: 'Army Recognition reports, without confirming it, that North Korean troops filmed training at the Sergeevka garrison.',
      attributed: true,
    });
    expect(b.markdown).not.toContain(': North Korean troops filmed training');
    expect(b.html).not.toContain(': North Korean troops filmed training');
    const videos = b.timeline.find((t: any) => t.statement.text.startsWith('Army Recognition reports videos')).statement;
    expect(videos.sentence).toBe('Army Recognition reports videos allegedly showing North Korean soldiers with Russian forces.');
    expect(b.markdown).toContain("- Korean People's Army: trains with Russian Armed Forces, Army Recognition alleges.");
  });

  test('a third party’s words never rank as a key judgment: NATO’s condemnation is NATO’s claim, with its verb', async () => {
    const b = dataOf(await server.gql(SEED)).brief;
    const nato = b.sources.find((s: any) => s.title.startsWith('NATO Secretary-General statement')).number;
    for (const j of [...b.bottomLine, ...b.implications]) {
      expect(j.judgment).not.toMatch(/escalation/i);
      expect(j.statement.sources.map((s: any) => s.number)).not.toContain(nato);
    }
    const condemnation = b.timeline.find((t: any) => t.statement.sources.some((s: any) => s.number === nato)).statement;
    expect(condemnation.sentence).toBe('NATO Secretary-General denounces the North Korean troop deployment as a significant escalation.');
    expect(condemnation.sources).toEqual([{ number: nato, verb: 'CONDEMNS' }]);
    // "The first involvement beyond the Korean Peninsula" is the article's claim: our judgment says so, at low confidence.
    const first = b.implications.find((j: any) => j.statement.text.includes('beyond the Korean Peninsula'));
    expect(first.statement.text).toContain("is the source report's claim, not assessed here");
    expect(first.confidence).toBe('LOW');
  });
});
