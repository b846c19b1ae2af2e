import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { join } from 'node:path';
import { Marking } from '../src/common/marking';
import { ANONYMOUS } from '../src/common/viewer';
import { statementCount } from '../src/db/statement-counter';
import { composeBrief } from '../src/modules/brief/brief.compose';
import { briefQuery, readBriefData } from '../src/modules/brief/brief.read';
import { compile } from '../src/read/fragment';
import { renderMarkdown } from '../src/modules/brief/brief.render';
import { briefScopeOf } from '../src/modules/brief/brief.scope';
import { SqlBuilder } from '../src/read/sql';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { toGlobalId } from '../src/read/global-id';
import { addGeneratedTopic } from './support/generated-topic';
import { addMarkedLayer, AMBER_STATEMENT, globalIds, ids } from './support/marked-layer';
import { dataOf, startTestServer, TestServer } from './support/server';

// The golden brief: the DPRK brief as a reader gets it, checked byte for byte. After a deliberate change,
// UPDATE_EXPECTED=1 rewrites it: read its diff as the brief a person would send.
const golden = join(__dirname, '..', 'fixtures', 'briefs', 'dprk-troops-in-russia.md');
const DPRK = { topics: ['dprk-troops-in-russia'] };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const BRIEF = `query Brief($input: BriefInput!) {
  brief(input: $input) {
    markdown html contentHash marking clearance title statementCount sections
    bottomLine { judgment confidenceStatement likelihood confidence statement { id text sources { number reliability credibility verb } } }
    actors { name capabilities { text corroborated independentSources } challenges { id text sources { number reliability verb } } }
    implications { statement { id sources { number reliability verb } } }
    timeline { when precision statement { text sources { number reliability verb } } }
    sources { number title reliability }
    gaps { reasons statement { id text } }
    gapCounts { reason count }
    sectionSizes { section shown total }
  }
}`;

const brief = async (input: Record<string, unknown>, s = server) => dataOf(await s.gql(BRIEF, { input })).brief;
const errorOf = async (input: Record<string, unknown>) => (await server.gql(BRIEF, { input })).body.errors?.[0];

test('the DPRK brief is the golden Markdown file, byte for byte', async () => {
  const b = await brief(DPRK);
  if (process.env.UPDATE_EXPECTED) writeFileSync(golden, b.markdown);
  expect(b.markdown).toBe(readFileSync(golden, 'utf8'));
  expect(b.contentHash).toBe(createHash('sha256').update(b.markdown).digest('hex'));
  expect(b.marking).toBe('CLEAR');
  expect(b.html).toContain('<h1>North Korean troop deployment to Russia, 2024</h1>');
});

test('the same data and input give byte-identical Markdown and HTML', async () => {
  const [a, b] = [await brief(DPRK), await brief({ ...DPRK, topics: ['dprk-troops-in-russia', 'dprk-troops-in-russia'] })];
  expect(b.markdown).toBe(a.markdown);
  expect(b.html).toBe(a.html);
  expect(b.contentHash).toBe(a.contentHash);
});

test('rendering does not depend on the order rows arrive in', async () => {
  const scope = briefScopeOf(DPRK, { ...ANONYMOUS, clearance: Marking.GREEN });
  const data = await readBriefData(server.dataSource, new SqlBuilder({ ...ANONYMOUS, clearance: Marking.GREEN }, 0), scope);
  const render = (d: typeof data) => renderMarkdown(composeBrief(scope, d));
  const shuffled = {
    ...data,
    statements: [...data.statements].reverse().map((st) => ({
      ...st,
      citations: [...st.citations].reverse(),
      affectedActors: st.affectedActors && [...st.affectedActors].reverse(),
    })),
  };
  expect(data.statements.length).toBeGreaterThan(30);
  expect(render(shuffled)).toBe(render(data));
});

test('key judgments are ranked by likelihood, then confidence, and never give both in one sentence', async () => {
  const b = await brief({ ...DPRK, keyJudgments: 5 });
  const rank = ['ALMOST_NO_CHANCE', 'VERY_UNLIKELY', 'UNLIKELY', 'ROUGHLY_EVEN_CHANCE', 'LIKELY', 'VERY_LIKELY', 'ALMOST_CERTAIN'];
  const likelihoods = b.bottomLine.map((j: { likelihood: string }) => rank.indexOf(j.likelihood));
  expect(likelihoods).toEqual([...likelihoods].sort((x, y) => y - x));
  expect(b.bottomLine).toHaveLength(5);
  for (const j of b.bottomLine) {
    expect(j.judgment).toMatch(/^(Likely|Roughly even chance) \(\d+-\d+%\): /);
    expect(j.judgment).not.toMatch(/confidence/i);
    expect(j.confidenceStatement).toBe(`We hold this judgment with ${j.confidence.toLowerCase()} confidence.`);
  }
  // Every statement points to numbered sources that the bibliography lists.
  const numbers = new Set(b.sources.map((s: { number: number }) => s.number));
  for (const j of b.bottomLine) for (const ref of j.statement.sources) expect(numbers.has(ref.number)).toBe(true);
});

test('corroboration needs two publishers: two sources of one publisher are not independent', async () => {
  const language = fixtureId('topic', 'dprk-troops-in-russia', 'challenges', 'language-barrier');
  const source = (key: string) => fixtureId('source', key);
  const cite = (sourceKey: string, verb: string) =>
    server.dataSource.query(`INSERT INTO citation (id, source_id, verb, quote, credibility, challenge_id) VALUES (gen_random_uuid(), $1, $2, 'q', 2, $3)`, [
      source(sourceKey),
      verb,
      language,
    ]);
  const languageGap = async () => {
    const b = await brief({ ...DPRK, limitPerSection: 100 });
    const entry = b.actors.flatMap((a: any) => a.challenges).find((c: any) => c.id === toGlobalId('Challenge', language));
    const gap = b.gaps.find((g: any) => g.statement.id === toGlobalId('Challenge', language));
    return { sources: entry.sources.length, verbs: entry.sources.map((r: any) => r.verb), reasons: gap?.reasons ?? [], b };
  };
  expect((await languageGap()).reasons).toEqual(['SINGLE_SOURCED']);
  await cite('uk-di-update-2024-11-03', 'STATES');
  expect(await languageGap()).toMatchObject({ sources: 2, reasons: ['SAME_PUBLISHER_ONLY'] });
  await cite('us-intelligence-assessments', 'ASSESSES');
  expect(await languageGap()).toMatchObject({ sources: 3, reasons: [] });
  await cite('army-recognition-2024-10-19', 'DENIES');
  const contested = await languageGap();
  expect(contested.reasons).toEqual(['CONTESTED']);
  // The denying source is listed too, last, so the reader can weigh it.
  expect(contested.verbs).toHaveLength(4);
  expect(contested.verbs.indexOf('DENIES')).toBe(3);
  expect(contested.b.gaps[0].statement.id).toBe(toGlobalId('Challenge', language));
  expect(contested.b.gapCounts.find((g: any) => g.reason === 'CONTESTED').count).toBe(1);
  expect(contested.b.markdown).toContain('1 contested');
});

test('the timeline keeps date precision and the time window', async () => {
  const all = await brief(DPRK);
  expect(all.timeline.map((e: any) => e.when)).toEqual(expect.arrayContaining(['In August 2024', 'On 19 October 2024', 'On 3 November 2024', 'During 2024']));
  const october = await brief({ ...DPRK, from: '2024-10-01', to: '2024-10-31', sections: ['TIMELINE', 'SOURCES'] });
  const whens = october.timeline.map((e: any) => e.when);
  expect(whens).toContain('On 19 October 2024');
  expect(whens).toContain('On 24 October 2024');
  expect(whens).not.toContain('In August 2024');
  expect(whens).not.toContain('On 3 November 2024');
  // A source published after the window supports nothing in it; undated sources stay.
  const titles = october.sources.map((s: any) => s.title);
  expect(titles).not.toContain('UK Defence Intelligence update on North Korean troops in Russia');
  expect(titles).toContain('Army Recognition report on videos of North Korean soldiers in Russia');
  expect(all.sources.map((s: any) => s.title)).toContain('UK Defence Intelligence update on North Korean troops in Russia');
  expect(october.actors).toBeNull();
  expect(october.sections).toEqual(['TIMELINE', 'SOURCES']);
  expect(october.markdown).not.toContain('## Actors');
});

test('relations appear under their subject, dated, and only while valid in the window', async () => {
  const RELATIONS = `query($input: BriefInput!) { brief(input: $input) { actors { name relations { kind category text } } } }`;
  const russia = async (input: Record<string, unknown>) => dataOf(await server.gql(RELATIONS, { input })).brief.actors.find((a: any) => a.name === 'Russia');
  // The report dates only the treaty's ratification, so the seed gives the relation no start: it reads undated.
  const undated = await russia(DPRK);
  expect(undated.relations.find((r: any) => r.category === 'TREATY_PARTNER_OF')).toMatchObject({
    kind: 'RELATION',
    text: expect.stringMatching(
      /^Russia: treaty partner of North Korea\. Comprehensive Strategic Partnership Treaty .*ratified by Russia's State Duma on 24 October 2024/,
    ),
  });
  const id = fixtureId('topic', 'dprk-troops-in-russia', 'relations', 'russia-dprk-treaty-partners');
  await server.dataSource.query(`UPDATE actor_relation SET valid_from = '2024-10-24' WHERE id = $1`, [id]);
  try {
    const treaty = 'Russia: treaty partner of North Korea since 24 October 2024.';
    const all = await russia(DPRK);
    expect(all.relations.find((r: any) => r.text.startsWith(treaty))).toMatchObject({ kind: 'RELATION', category: 'TREATY_PARTNER_OF' });
    const before = await russia({ ...DPRK, from: '2024-08-01', to: '2024-10-01' });
    expect(before.relations.map((r: any) => r.text).some((t: string) => t.startsWith(treaty))).toBe(false);
    expect(before.relations.length).toBeGreaterThan(0);
  } finally {
    await server.dataSource.query(`UPDATE actor_relation SET valid_from = NULL WHERE id = $1`, [id]);
  }
});

test('minimum credibility and reliability drop the citations below them', async () => {
  const b = await brief({ ...DPRK, minReliability: 'B', minCredibility: 3, limitPerSection: 100 });
  // Denials are read at any grade (a denial is always shown beside what it denies): only they may cite a source below B.
  const allRefs: Array<{ number: number; reliability: string; verb: string }> = [];
  const walk = (x: any): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      if (typeof x.number === 'number' && typeof x.verb === 'string' && typeof x.reliability === 'string') allRefs.push(x);
      Object.values(x).forEach(walk);
    }
  };
  walk(b);
  const supporting = allRefs.filter((r) => r.verb !== 'DENIES');
  expect(supporting.length).toBeGreaterThan(0);
  for (const ref of supporting) expect(ref.reliability <= 'B').toBe(true);
  for (const source of b.sources.filter((s: any) => s.reliability > 'B'))
    expect(allRefs.filter((r) => r.number === source.number).every((r) => r.verb === 'DENIES')).toBe(true);
  const refs = b.actors.flatMap((a: any) => a.challenges).flatMap((c: any) => c.sources);
  expect(refs.length).toBeGreaterThan(0);
  for (const ref of refs) expect(ref.reliability <= 'B' || ref.verb === 'DENIES').toBe(true);
  const judgmentRefs = b.bottomLine.flatMap((j: any) => j.statement.sources);
  expect(judgmentRefs.length).toBeGreaterThan(0);
  for (const ref of judgmentRefs)
    expect({ reliability: ref.reliability <= 'B', credibility: ref.credibility <= 3 }).toEqual({ reliability: true, credibility: true });
  expect(b.statementCount).toBeGreaterThan(0);
  expect(b.statementCount).toBeLessThan((await brief(DPRK)).statementCount);
});

test('the brief is marked with the highest marking it contains, and never shows what the reader is not cleared for', async () => {
  const amberServer = await startTestServer({ VIEWER_CLEARANCE: 'AMBER' });
  try {
    await addMarkedLayer(amberServer.dataSource);
    const amber = await brief(DPRK, amberServer);
    expect(amber.marking).toBe('AMBER');
    expect(amber.markdown).toContain(AMBER_STATEMENT);
    expect(amber.markdown.startsWith('**TLP:AMBER**')).toBe(true);
    const forGreenReader = await brief({ ...DPRK, clearance: 'GREEN' }, amberServer);
    expect(forGreenReader.marking).toBe('CLEAR');
    expect(forGreenReader.markdown).not.toContain('AMBER');
    expect(forGreenReader.markdown).toBe(readFileSync(golden, 'utf8'));
    // What is cut by the caps or left out by the sections still counts: the brief speaks of all it read.
    const timelineOnly = await brief({ ...DPRK, sections: ['TIMELINE'] }, amberServer);
    expect(timelineOnly.marking).toBe('AMBER');
    // An actor named in the scope is in the title.
    const aboutAmberActor = await brief({ actors: [globalIds.amberActor] }, amberServer);
    expect(aboutAmberActor).toMatchObject({ title: 'Actors: AMBER reconnaissance battalion', marking: 'AMBER' });
    // A place counts like a statement: an AMBER place makes an AMBER brief, and is not named below AMBER.
    const stateDuma = { actors: [toGlobalId('Actor', fixtureId('actor', 'state-duma'))], sections: ['TIMELINE'] };
    expect((await brief(stateDuma, amberServer)).marking).toBe('CLEAR');
    await amberServer.dataSource.query(`UPDATE location SET marking = 'AMBER' WHERE id = $1`, [fixtureId('location', 'russia')]);
    const withAmberPlace = await brief(stateDuma, amberServer);
    expect(withAmberPlace.marking).toBe('AMBER');
    expect(withAmberPlace.markdown).toContain('**On 24 October 2024**, Russia:');
    const greenWithout = await brief({ ...stateDuma, clearance: 'GREEN' }, amberServer);
    expect(greenWithout.marking).toBe('CLEAR');
    expect(greenWithout.markdown).toContain('**On 24 October 2024**: State Duma');
  } finally {
    await amberServer.close();
  }
});

test('a publisher the reader cannot see tells nothing: its sources count as their own, as the brief says', async () => {
  const s = await startTestServer();
  const amberReader = await startTestServer({ VIEWER_CLEARANCE: 'AMBER' }, s.databaseUrl);
  try {
    const publisher = '00000000-0000-4000-8000-00000000e001';
    const [a, b] = ['00000000-0000-4000-8000-00000000e002', '00000000-0000-4000-8000-00000000e003'];
    await s.dataSource.query(`INSERT INTO actor (id, name, kind, marking) VALUES ($1, 'Hidden agency', 'GOVERNMENT_BODY', 'AMBER')`, [publisher]);
    await s.dataSource.query(
      `INSERT INTO source (id, name, kind, reliability, publisher_id) VALUES ($1, 'Hidden report one', 'INTELLIGENCE_ASSESSMENT', 'B', $3),
       ($2, 'Hidden report two', 'INTELLIGENCE_ASSESSMENT', 'B', $3)`,
      [a, b, publisher],
    );
    const challenge = fixtureId('topic', 'dprk-troops-in-russia', 'challenges', 'dprk-economy-needs-support');
    await s.dataSource.query(`DELETE FROM citation WHERE challenge_id = $1`, [challenge]);
    await s.dataSource.query(
      `INSERT INTO citation (id, source_id, verb, quote, credibility, challenge_id) VALUES (gen_random_uuid(), $1, 'STATES', 'q', 2, $3),
       (gen_random_uuid(), $2, 'STATES', 'q', 2, $3)`,
      [a, b, challenge],
    );
    const query = `query($input: BriefInput!) { brief(input: $input) { marking markdown sources { title publisher }
      actors { challenges { id corroborated independentSources } } gaps { reasons statement { id } } } }`;
    const briefAs = async (server: TestServer) => {
      const brief = dataOf(await server.gql(query, { input: { ...DPRK, limitPerSection: 100 } })).brief;
      const statement = brief.actors.flatMap((x: any) => x.challenges).find((c: any) => c.id === toGlobalId('Challenge', challenge));
      const gap = brief.gaps.find((g: any) => g.statement.id === toGlobalId('Challenge', challenge));
      const sources = brief.sources.filter((x: any) => x.title.startsWith('Hidden report'));
      return { marking: brief.marking, markdown: brief.markdown, statement, gap: gap?.reasons ?? null, sources };
    };
    // Below the publisher's marking: nothing tells that the two reports share a publisher, and the brief says how it judged.
    const green = await briefAs(s);
    expect(green).toMatchObject({ marking: 'CLEAR', statement: { corroborated: true, independentSources: 2 }, gap: null });
    expect(green.sources).toEqual([
      { title: 'Hidden report one', publisher: null },
      { title: 'Hidden report two', publisher: null },
    ]);
    expect(green.markdown).not.toContain('Hidden agency');
    expect(green.markdown).toContain("as known at this brief's clearance: a source whose publisher is unknown counts as its own");
    // A reader cleared for the publisher sees one publisher, named, and the brief is marked for it.
    const amber = await briefAs(amberReader);
    expect(amber).toMatchObject({ marking: 'AMBER', statement: { corroborated: false, independentSources: 1 }, gap: ['SAME_PUBLISHER_ONLY'] });
    expect(amber.sources).toEqual([
      { title: 'Hidden report one', publisher: 'Hidden agency' },
      { title: 'Hidden report two', publisher: 'Hidden agency' },
    ]);
  } finally {
    await amberReader.close();
    await s.close();
  }
});

const CONTEXT = `query($input: BriefInput!) { brief(input: $input) { markdown html
  bottomLine { affectedActors } implications { affectedActors } actors { id name description relations { text } }
  mentionedActors { id name kind description } timeline { statement { text } description location locationDescription actors }
  sources { title publisher description } } }`;
const contextOf = async (input: Record<string, unknown>, s = server) => dataOf(await s.gql(CONTEXT, { input })).brief;

const SERGEEVKA = 'about 130 kilometers north of Vladivostok';
const RUTTE = 'when Mark Rutte succeeded him';
const STOLTENBERG_TERM = 'whose term as Secretary-General ended on 2024-10-01';

test('places, descriptions and every actor the brief names reach it, in Markdown, HTML and JSON', async () => {
  const b = await contextOf(DPRK);
  for (const text of [SERGEEVKA, RUTTE, STOLTENBERG_TERM]) {
    expect(b.markdown).toContain(text);
    expect(b.html).toContain(text);
  }
  const filmed = b.timeline.find((e: any) => e.location?.startsWith('Sergeevka garrison'));
  expect(filmed.locationDescription).toContain(SERGEEVKA);
  expect(filmed.description).toContain('appears to capture training exercises');
  expect(filmed.actors).toEqual(['127th Motor Rifle Division', "Korean People's Army"]);
  expect(b.markdown).toContain(`Places:\n\n- Kursk region: Russian region on the Ukrainian border`);
  expect(b.sources.find((x: any) => x.publisher === 'NATO').description).toContain(STOLTENBERG_TERM);
  expect(b.mentionedActors.find((a: any) => a.name === 'Jens Stoltenberg')).toMatchObject({ kind: 'PERSON', description: expect.stringContaining(RUTTE) });
  // Every actor named anywhere has an entry or is in the "also mentioned" list, once.
  const entries = b.actors.map((a: any) => a.name);
  const mentioned = b.mentionedActors.map((a: any) => a.name);
  expect(mentioned.filter((name: string) => entries.includes(name))).toEqual([]);
  const named = new Set<string>([
    ...[...b.bottomLine, ...b.implications].flatMap((j: any) => j.affectedActors),
    ...b.timeline.flatMap((e: any) => e.actors),
    ...b.sources.map((x: any) => x.publisher).filter(Boolean),
    // A relation's sentence begins with its subject and names its object after the type.
    ...b.actors.flatMap((a: any) => a.relations.map((r: any) => /^[^:]+: [a-z ]+? (?:of |to |with )?([A-Z][^.]*?)(?: since| until|\.)/.exec(r.text)?.[1])),
  ]);
  expect([...named].filter((name) => !entries.includes(name) && !mentioned.includes(name))).toEqual([]);
  for (const name of ['Army Recognition', 'South Korea', 'Ukraine', 'US intelligence community', 'Russian Armed Forces']) expect(mentioned).toContain(name);
  expect(b.markdown).toContain('Also mentioned:\n\n- 127th Motor Rifle Division: Russian motor rifle division');
});

test('a place, a source or an actor above the reader’s clearance gives the brief neither its name nor its description', async () => {
  const amberServer = await startTestServer({ VIEWER_CLEARANCE: 'AMBER' });
  try {
    const q = (sql: string, id: string) => amberServer.dataSource.query(sql, [id]);
    await q(`UPDATE location SET marking = 'AMBER' WHERE id = $1`, fixtureId('location', 'sergeevka-garrison'));
    await q(`UPDATE source SET marking = 'AMBER' WHERE id = $1`, fixtureId('source', 'nato-sg-statement'));
    await q(`UPDATE actor SET marking = 'AMBER' WHERE id = $1`, fixtureId('actor', 'jens-stoltenberg'));
    const amber = await contextOf(DPRK, amberServer);
    for (const text of [SERGEEVKA, RUTTE, STOLTENBERG_TERM, 'Jens Stoltenberg']) expect(amber.markdown).toContain(text);
    const green = await contextOf({ ...DPRK, clearance: 'GREEN' }, amberServer);
    for (const text of [SERGEEVKA, RUTTE, STOLTENBERG_TERM, 'Sergeevka garrison (127th']) {
      expect(green.markdown).not.toContain(text);
      expect(green.html).not.toContain(text);
      expect(JSON.stringify(green)).not.toContain(text);
    }
    expect(green.mentionedActors.map((a: any) => a.name)).not.toContain('Jens Stoltenberg');
    expect(green.timeline.flatMap((e: any) => e.actors)).not.toContain('Jens Stoltenberg');
    expect(green.sources.map((x: any) => x.title)).not.toContain('NATO Secretary-General statement on the North Korean troop deployment');
  } finally {
    await amberServer.close();
  }
});

test('bad input is BAD_USER_INPUT naming the field', async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ topics: ['no-such-topic'] }, 'input.topics'],
    [{}, 'input'],
    [{ topics: [] }, 'input'],
    [{ ...DPRK, minCredibility: 7 }, 'input.minCredibility'],
    [{ ...DPRK, minCredibility: 0 }, 'input.minCredibility'],
    [{ ...DPRK, clearance: 'RED' }, 'input.clearance'],
    [{ ...DPRK, from: '2024-12-01', to: '2024-01-01' }, 'input.to'],
    [{ ...DPRK, limitPerSection: 0 }, 'input.limitPerSection'],
    [{ actors: ['not-an-id'] }, 'input.actors[0]'],
    [{ actors: [toGlobalId('Actor', '00000000-0000-4000-8000-000000000000')] }, 'input.actors'],
  ];
  for (const [input, field] of cases) {
    const error = await errorOf(input);
    expect({ input, code: error?.extensions?.code, field: error?.extensions?.argumentName }).toEqual({ input, code: 'BAD_USER_INPUT', field });
  }
});

test('an actor scope covers what concerns those actors across topics', async () => {
  const b = await brief({ actors: [toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army'))] });
  expect(b.title).toBe("Actors: Korean People's Army");
  expect(b.actors.map((a: any) => a.name)).toEqual(["Korean People's Army"]);
  expect(b.statementCount).toBeGreaterThan(b.actors[0].capabilities.length);
});

test('composing a brief takes one SQL statement, at 5 actors as at 500', async () => {
  const counts: number[] = [];
  for (const size of [5, 500]) {
    await addGeneratedTopic(server.dataSource, size);
    const before = statementCount();
    // Anonymous, so the count is the brief's alone (a request with a key also looks the key up).
    const b = dataOf(await server.gqlAs(null, BRIEF, { input: { topics: [`generated-${size}`] } })).brief;
    counts.push(statementCount() - before);
    expect(b.statementCount).toBe(size * 4);
  }
  expect(counts).toEqual([1, 1]);
  console.log(`SQL statements to compose a brief: ${counts[0]} at 5 actors, ${counts[1]} at 500 actors`);
});

test('text from the data stays text: line breaks and Markdown syntax cannot change the brief’s structure', async () => {
  const id = '00000000-0000-4000-8000-00000000f001';
  await server.dataSource.query(`INSERT INTO capability (id, topic_id, actor_id, category, statement) VALUES ($1, $2, $3, 'TACTICS', $4)`, [
    id,
    fixtureId('topic', 'dprk-troops-in-russia'),
    fixtureId('actor', 'russia'),
    'Line one\n# Not a heading\n- not an item *bold* <b>',
  ]);
  await server.dataSource.query(
    `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) VALUES (gen_random_uuid(), $1, 'STATES', 'q', 2, $2)`,
    [fixtureId('source', 'article'), id],
  );
  try {
    const b = await brief({ ...DPRK, sections: ['ACTORS'], limitPerSection: 100 });
    expect(b.markdown).toContain('- Tactics: Line one \\# Not a heading - not an item \\*bold\\* \\<b\\>.');
    expect(
      b.markdown
        .split('\n')
        .filter((line: string) => line.startsWith('#'))
        .every((line: string) => !line.includes('Not a heading')),
    ).toBe(true);
    expect(b.html).not.toContain('<b>');
  } finally {
    await server.dataSource.query(`DELETE FROM capability WHERE id = $1`, [id]);
  }
});

test('a hidden actor costs a brief exactly what a missing one does: no statement is read for either', async () => {
  const s = await startTestServer();
  try {
    await addMarkedLayer(s.dataSource);
    // A GREEN reader: the AMBER actor is hidden, the GREEN capability about it is not.
    const green = { ...ANONYMOUS, clearance: Marking.GREEN };
    const planOf = async (actorId: string) => {
      const sql = new SqlBuilder(green, 0);
      const query = compile(briefQuery(sql, briefScopeOf({ actors: [toGlobalId('Actor', actorId)] }, green)));
      const [{ 'QUERY PLAN': plan }] = await s.dataSource.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.text}`, query.values);
      return plan[0].Plan;
    };
    // What each plan node did: rows produced and times run (timings and rows filtered out aside).
    const work = (node: any): string[] => [
      `${node['Node Type']} ${node['Relation Name'] ?? ''} rows=${node['Actual Rows']} loops=${node['Actual Loops']}`,
      ...(node.Plans ?? []).flatMap(work),
    ];
    const hidden = work(await planOf(ids.amberActor));
    const missing = work(await planOf('00000000-0000-4000-8000-00000000dead'));
    expect(hidden).toEqual(missing);
    expect(hidden.filter((n) => / capability /.test(n) && !/rows=0|loops=0/.test(n))).toEqual([]);
    for (const id of [ids.amberActor, '00000000-0000-4000-8000-00000000dead']) {
      const refused = await s.gqlAs(null, `query($a: ID!) { brief(input: { actors: [$a] }) { marking } }`, { a: toGlobalId('Actor', id) });
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.actors' });
    }
  } finally {
    await s.close();
  }
});

test("the brief's one statement aggregates each statement's citations once, not once per use", async () => {
  const green = { ...ANONYMOUS, clearance: Marking.GREEN };
  const query = compile(briefQuery(new SqlBuilder(green, 0), briefScopeOf(DPRK, green)));
  const [{ 'QUERY PLAN': plan }] = await server.dataSource.query(`EXPLAIN (FORMAT JSON) ${query.text}`, query.values);
  const readsCitations = (node: any): boolean => node['Relation Name'] === 'citation' || (node.Plans ?? []).some(readsCitations);
  // The innermost aggregates over citation rows: one per statement kind. A citations subquery used by both the filter
  // and the output would be planned, and run, twice.
  const citationAggregates = (node: any): any[] => {
    const inner = (node.Plans ?? []).flatMap(citationAggregates);
    return inner.length ? inner : node['Node Type'] === 'Aggregate' && readsCitations(node) ? [node] : [];
  };
  expect(citationAggregates(plan[0].Plan)).toHaveLength(5);
});

test("a one-topic brief's cached generic plan reads that topic's statements, not every topic's", async () => {
  const s = await startTestServer();
  const client = new Client({ connectionString: s.databaseUrl });
  await client.connect();
  try {
    // Statements of another topic outnumber the DPRK topic's: a plan that reads every statement's citations shows.
    await addGeneratedTopic(s.dataSource, 400);
    await client.query('ANALYZE');
    const green = { ...ANONYMOUS, clearance: Marking.GREEN };
    const query = compile(briefQuery(new SqlBuilder(green, 0), briefScopeOf(DPRK, green)));
    await client.query('SET plan_cache_mode = force_generic_plan');
    // The generic plan as executed: how many statements had their citations read.
    await client.query(`PREPARE generic_brief AS ${query.text}`);
    // EXECUTE takes literals, not parameters.
    const literal = (v: string | number | null | Array<string | number>) =>
      v === null ? 'NULL' : client.escapeLiteral(Array.isArray(v) ? `{${v.map((i) => `"${String(i).replace(/["\\]/g, '\\$&')}"`).join(',')}}` : String(v));
    const plan = await client.query(
      `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE generic_brief(${(query.values as Array<Parameters<typeof literal>[0]>).map(literal).join(', ')})`,
    );
    const citationReads = (node: any): number =>
      (node['Relation Name'] === 'citation' ? node['Actual Loops'] : 0) + (node.Plans ?? []).reduce((n: number, p: any) => n + citationReads(p), 0);
    const [{ count }] = await s.dataSource.query(
      `SELECT count(*)::int AS count FROM (SELECT topic_id FROM capability UNION ALL SELECT topic_id FROM challenge UNION ALL SELECT topic_id FROM implication
        UNION ALL SELECT topic_id FROM event UNION ALL SELECT topic_id FROM actor_relation) x JOIN topic t ON t.id = x.topic_id WHERE t.slug = $1`,
      [DPRK.topics[0]],
    );
    expect(citationReads(plan.rows[0]['QUERY PLAN'][0].Plan)).toBeLessThanOrEqual(count);
  } finally {
    await client.end();
    await s.close();
  }
});
