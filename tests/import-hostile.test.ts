import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { loadFixtures } from '../src/modules/fixture/fixture.loader';
import { FixtureError } from '../src/modules/fixture/fixture.parse';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { importDocument, SEED_IMPORTER } from '../src/modules/import/import.service';
import { toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, type TestServer } from './support/server';

// Adversarial review of importData. Each finding (F1-F18) is asserted as the behaviour its fix must give; "held" tests
// assert invariants the review found holding. A document is the importing principal's: principal:<principal>/<name>.
let server: TestServer;
const keys: Record<string, string> = {};
// An identity provider, for tokens of one principal with different clearances.
let idp: Server;
let signingKey: CryptoKey;
const token = (clearance: Marking) =>
  new SignJWT({ dossier_role: 'ANALYST', dossier_clearance: clearance, dossier_organisation: 'org-j' })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setSubject('carol')
    .setIssuer('https://idp.example')
    .setAudience('dossier')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(signingKey);

const IMPORT = `mutation($document: String!, $name: String, $dryRun: Boolean) {
  importData(format: DOSSIER, document: $document, name: $name, dryRun: $dryRun) {
    document applied dryRun counts { table created updated unchanged retracted kept } kept { path reason } problems { path message }
  } }`;
type Report = {
  document: string;
  applied: boolean;
  counts: Array<{ table: string; created: number; updated: number; unchanged: number; retracted: number; kept: number }>;
  kept: Array<{ path: string; reason: string }>;
  problems: Array<{ path: string; message: string }>;
};
const raw = (key: string, document: unknown, extra: Record<string, unknown> = {}) =>
  server.gqlAs(keys[key] ?? key, IMPORT, { document: typeof document === 'string' ? document : JSON.stringify(document), ...extra });
const importAs = async (key: string, document: unknown, extra: Record<string, unknown> = {}): Promise<Report> =>
  dataOf(await raw(key, document, extra)).importData;
const countOf = (r: Report, table: string) => r.counts.find((c) => c.table === table)!;
const q = (sql: string, params: unknown[] = []) => server.dataSource.query(sql, params);

/** The document is refused with exactly `problems`, and nothing of it (its topic) is stored. */
const refused = async (document: unknown, slug: string, problems: Array<{ path: string; message: string }>) => {
  const res = await raw('amber-i', document);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.importData).toMatchObject({ applied: false, problems });
  expect(await q(`SELECT count(*)::int AS n FROM topic WHERE slug = $1`, [slug])).toEqual([{ n: 0 }]);
};

const cit = (source = 'log', marking = 'GREEN') => [{ source, verb: 'STATES', quote: 'q', credibility: 2, marking }];
function doc(topic: string, extra: Record<string, unknown> = {}): any {
  return {
    topic: { key: topic, title: 'T', summary: 'S', marking: 'GREEN' },
    actors: [{ key: 'boat', name: `Boat of ${topic}`, kind: 'ARMED_FORCE', marking: 'GREEN' }],
    sources: [{ key: 'log', name: 'Log', kind: 'OFFICIAL_STATEMENT', reliability: 'B', marking: 'GREEN' }],
    capabilities: [{ key: 'c1', actor: 'boat', category: 'EQUIPMENT', statement: 'One.', marking: 'GREEN', citations: cit() }],
    ...extra,
  };
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  idp = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  const jwks = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks.json`;
  server = await startTestServer({ JWT_JWKS_URL: jwks, JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'dossier' });
  const make = async (name: string, role: Role, clearance: Marking, organisation: string | null) =>
    (keys[name] = (await createKey(server.dataSource.manager, { name, role, clearance, organisation })).key);
  await make('red-i', Role.ANALYST, Marking.RED, 'org-i');
  await make('green-i', Role.ANALYST, Marking.GREEN, 'org-i');
  await make('amber-i', Role.ANALYST, Marking.AMBER, 'org-i');
  await make('amber-x', Role.ANALYST, Marking.AMBER, 'org-x');
  await make('green-x', Role.VIEWER, Marking.GREEN, 'org-x');
  // Keys without an organisation: their principal (and import owner) is their bare name.
  await make('org-i', Role.ANALYST, Marking.GREEN, null);
  await make('seed', Role.ANALYST, Marking.CLEAR, null);
  await make('admin-i', Role.ADMIN, Marking.AMBER, 'org-i');
});
afterAll(async () => {
  await server.close();
  await new Promise((resolve) => idp.close(resolve));
});

describe('findings, fixed', () => {
  test('F1 a key without organisation named like an organisation cannot touch that organisation’s documents', async () => {
    expect((await importAs('amber-i', doc('ns-topic'), { name: 'shared' })).document).toBe('principal:org-i/amber-i/shared');
    const capId = fixtureId('by', 'principal:org-i/amber-i/shared', 'topic', 'ns-topic', 'capabilities', 'c1');
    const sourceId = fixtureId('by', 'principal:org-i/amber-i/shared', 'source', 'log');
    const capRow = () => q(`SELECT statement, organisation, version, retracted_at, retraction_reason FROM capability WHERE id = $1`, [capId]);
    const [before] = await capRow();
    expect(before).toMatchObject({ statement: 'One.', organisation: 'org-i', retracted_at: null, retraction_reason: null });
    // The org-less key "org-i" imports a document of its own under the same name: its own document, nothing retracted.
    const report = await importAs('org-i', { topic: { key: 'ns-other', title: 'T', summary: 'S' } }, { name: 'shared' });
    expect(report).toMatchObject({ document: 'principal:org-i/shared', applied: true, problems: [], kept: [] });
    expect(report.counts.filter((c) => c.retracted || c.updated || c.kept)).toEqual([]);
    expect(await capRow()).toEqual([before]);
    expect(await q(`SELECT retracted_at FROM source WHERE id = $1`, [sourceId])).toEqual([{ retracted_at: null }]);
    // The same keys with another statement write the org-less key's own capability; org-i's is left as it was.
    const again = doc('ns-topic');
    again.capabilities[0].statement = 'Written by the org-less key.';
    const rewrite = await importAs('org-i', again, { name: 'shared' });
    expect(rewrite).toMatchObject({ document: 'principal:org-i/shared', applied: true, problems: [] });
    expect(countOf(rewrite, 'capability')).toMatchObject({ created: 1, updated: 0, retracted: 0 });
    expect(rewrite.kept).toContainEqual({
      path: 'topic',
      reason: 'topic "ns-topic" exists: the document\'s statements are added to it, the topic is left as it is',
    });
    expect(await capRow()).toEqual([before]);
    const own = fixtureId('by', 'principal:org-i/shared', 'topic', 'ns-topic', 'capabilities', 'c1');
    expect(await q(`SELECT statement, organisation FROM capability WHERE id = $1`, [own])).toEqual([
      { statement: 'Written by the org-less key.', organisation: null },
    ]);
    // The owner's own rewrite keeps the item in its organisation.
    const mine = doc('ns-topic');
    mine.capabilities[0].statement = 'Rewritten by its owner.';
    expect(countOf(await importAs('amber-i', mine, { name: 'shared' }), 'capability')).toMatchObject({ updated: 1, retracted: 0 });
    expect(await q(`SELECT statement, organisation FROM capability WHERE id = $1`, [capId])).toEqual([
      { statement: 'Rewritten by its owner.', organisation: 'org-i' },
    ]);
  });

  test('F2 a key named "seed" importing under a seed file’s name touches nothing of the seed', async () => {
    const standing = `SELECT count(*)::int AS n FROM capability WHERE retracted_at IS NULL`;
    const before = (await q(standing))[0].n;
    const seedTopic = fixtureId('topic', 'dprk-troops-in-russia');
    const [topicBefore] = await q(`SELECT title, version FROM topic WHERE id = $1`, [seedTopic]);
    const report = await importAs('seed', { topic: { key: 'not-the-seed', title: 'T', summary: 'S' } }, { name: 'dprk-troops-in-russia.yaml' });
    expect(report).toMatchObject({ document: 'principal:seed/dprk-troops-in-russia.yaml', applied: true, problems: [], kept: [] });
    expect(report.counts.filter((c) => c.retracted || c.updated || c.kept)).toEqual([]);
    expect((await q(standing))[0].n).toBe(before);
    // Naming the seed's topic by its key adds to it, and leaves the topic as it is; what is retracted is the key's own
    // topic, which its document no longer has.
    const onSeed = await importAs(
      'seed',
      { topic: { key: 'dprk-troops-in-russia', title: 'Taken over', summary: 'S' } },
      { name: 'dprk-troops-in-russia.yaml' },
    );
    expect(onSeed).toMatchObject({ applied: true, problems: [] });
    expect(onSeed.counts.filter((c) => c.retracted || c.updated || c.kept)).toEqual([
      { table: 'topic', created: 0, updated: 0, unchanged: 0, retracted: 1, kept: 1 },
    ]);
    const own = fixtureId('by', 'principal:seed/dprk-troops-in-russia.yaml', 'topic', 'not-the-seed');
    expect(await q(`SELECT retraction_reason FROM topic WHERE id = $1`, [own])).toEqual([
      { retraction_reason: 'no longer in the document principal:seed/dprk-troops-in-russia.yaml' },
    ]);
    expect(await q(`SELECT title, version FROM topic WHERE id = $1`, [seedTopic])).toEqual([topicBefore]);
    expect((await q(standing))[0].n).toBe(before);
  });

  test('F3 a lower-cleared colleague has documents of its own: it cannot probe, nor retract, the other’s items', async () => {
    const secret = doc('secret-topic');
    secret.sources.push({ key: 'red-src', name: 'Red source', kind: 'OFFICIAL_STATEMENT', reliability: 'A', marking: 'RED', audience: ['org-i/red-i'] });
    secret.capabilities.push({
      key: 'red-cap',
      actor: 'boat',
      category: 'EQUIPMENT',
      statement: 'Secret.',
      marking: 'RED',
      audience: ['org-i/red-i'],
      citations: cit('red-src', 'RED').map((c) => ({ ...c, audience: ['org-i/red-i'] })),
    });
    expect((await importAs('red-i', secret, { name: 'secret' })).applied).toBe(true);
    const redDoc = 'principal:org-i/red-i/secret';
    const ids = {
      c1: fixtureId('by', redDoc, 'topic', 'secret-topic', 'capabilities', 'c1'),
      redCap: fixtureId('by', redDoc, 'topic', 'secret-topic', 'capabilities', 'red-cap'),
      log: fixtureId('by', redDoc, 'source', 'log'),
      redSrc: fixtureId('by', redDoc, 'source', 'red-src'),
    };
    const state = async () => ({
      capabilities: await q(`SELECT id, statement, version, retracted_at FROM capability WHERE id = ANY($1::uuid[]) ORDER BY id`, [[ids.c1, ids.redCap]]),
      sources: await q(`SELECT id, version, retracted_at FROM source WHERE id = ANY($1::uuid[]) ORDER BY id`, [[ids.log, ids.redSrc]]),
      citations: await q(`SELECT id, version, retracted_at FROM citation WHERE source_id = ANY($1::uuid[]) ORDER BY id`, [[ids.log, ids.redSrc]]),
    });
    const before = await state();
    expect(before.capabilities).toHaveLength(2);
    expect(before.citations).toHaveLength(2);
    // The GREEN colleague cannot read it...
    const node = await server.gqlAs(keys['green-i'], `query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId('Capability', ids.redCap) });
    expect(node.body.data?.node ?? null).toBeNull();
    // ...and naming its key tells nothing: the same report as for a key nobody ever used.
    const probeWith = (key: string) => {
      const probe = doc('secret-topic');
      probe.capabilities.push({ ...secret.capabilities[1], key, marking: 'GREEN', audience: [], citations: cit() });
      return importAs('green-i', probe, { name: 'secret', dryRun: true });
    };
    const told = await probeWith('red-cap');
    expect(told).toMatchObject({ document: 'principal:org-i/green-i/secret', applied: false, dryRun: true, problems: [] });
    expect(countOf(told, 'capability')).toMatchObject({ created: 2, updated: 0, retracted: 0, kept: 0 });
    const unknown = await probeWith('never-used-key');
    expect(told.counts).toEqual(unknown.counts);
    expect(told.kept).toEqual(unknown.kept);
    // Importing without the secret items retracts nothing of the colleague's.
    const report = await importAs('green-i', doc('secret-topic'), { name: 'secret' });
    expect(report).toMatchObject({ applied: true, problems: [] });
    expect(report.counts.filter((c) => c.retracted || c.updated)).toEqual([]);
    expect(await state()).toEqual(before);
  });

  test('F3b one principal’s token of lower clearance neither retracts nor rewrites its document’s items above it', async () => {
    const [red, green] = [await token(Marking.RED), await token(Marking.GREEN)];
    const secret = doc('token-topic');
    secret.sources.push({ key: 'red-src', name: 'Red source', kind: 'OFFICIAL_STATEMENT', reliability: 'A', marking: 'RED', audience: ['jwt:carol'] });
    secret.capabilities.push({
      key: 'red-cap',
      actor: 'boat',
      category: 'EQUIPMENT',
      statement: 'Secret.',
      marking: 'RED',
      audience: ['jwt:carol'],
      citations: cit('red-src', 'RED').map((c) => ({ ...c, audience: ['jwt:carol'] })),
    });
    expect(await importAs(red, secret, { name: 'tokens' })).toMatchObject({ document: 'principal:jwt:carol/tokens', applied: true, problems: [] });
    const document = 'principal:jwt:carol/tokens';
    const redCap = fixtureId('by', document, 'topic', 'token-topic', 'capabilities', 'red-cap');
    const redSrc = fixtureId('by', document, 'source', 'red-src');
    const state = async () => ({
      capability: await q(`SELECT statement, marking::text AS marking, version, retracted_at FROM capability WHERE id = $1`, [redCap]),
      source: await q(`SELECT version, retracted_at FROM source WHERE id = $1`, [redSrc]),
      citations: await q(`SELECT id, version, retracted_at FROM citation WHERE source_id = $1 ORDER BY id`, [redSrc]),
    });
    const before = await state();
    expect(before.capability).toEqual([{ statement: 'Secret.', marking: 'RED', version: expect.any(Number), retracted_at: null }]);
    expect(before.citations).toHaveLength(1);
    // The GREEN token names the key with a GREEN statement: the stored RED item is left as it is, not rewritten.
    const probe = doc('token-topic');
    probe.capabilities.push({ ...secret.capabilities[1], statement: 'Lowered.', marking: 'GREEN', audience: [], citations: cit() });
    // (Its report counts the key as kept, 'left as it is', where a key never used is created: the principal learns
    // that a key of its own document stands above this token's clearance, nothing of what it holds.)
    const written = await importAs(green, probe, { name: 'tokens' });
    expect(written).toMatchObject({ applied: true, problems: [] });
    expect(countOf(written, 'capability')).toMatchObject({ created: 0, updated: 0, retracted: 0 });
    expect(JSON.stringify(written)).not.toMatch(/Secret|RED|Red source/);
    expect(await state()).toEqual(before);
    // Leaving them out: nothing it may not see is retracted, nor counted.
    const report = await importAs(green, doc('token-topic'), { name: 'tokens' });
    expect(report).toMatchObject({ applied: true, problems: [], kept: [] });
    expect(report.counts.filter((c) => c.retracted || c.updated || c.kept)).toEqual([]);
    expect(await state()).toEqual(before);
  });

  test('F4 a source raised through the API counts as stored: a new GREEN statement citing it is refused', async () => {
    expect((await importAs('amber-i', doc('derive'), { name: 'derive' })).applied).toBe(true);
    const sourceId = fixtureId('by', 'principal:org-i/amber-i/derive', 'source', 'log');
    const { node } = dataOf(
      await server.gqlAs(keys['amber-i'], `query($id: ID!) { node(id: $id) { ... on Source { version } } }`, { id: toGlobalId('Source', sourceId) }),
    );
    dataOf(
      await server.gqlAs(keys['amber-i'], `mutation($id: ID!, $v: Int) { updateSource(id: $id, version: $v, input: { marking: AMBER }) { marking } }`, {
        id: toGlobalId('Source', sourceId),
        v: node.version,
      }),
    );
    const next = doc('derive');
    next.capabilities.push({ key: 'c2', actor: 'boat', category: 'EQUIPMENT', statement: 'Derived from the AMBER log.', marking: 'GREEN', citations: cit() });
    const report = await importAs('amber-i', next, { name: 'derive' });
    expect(report.applied).toBe(false);
    expect(report.kept).toContainEqual({ path: 'sources[0] (log)', reason: 'changed through the API since it was imported: left as it is' });
    // The statement the document had, unchanged, now rests on the raised source too: both are refused, as marked.
    const rests = 'the statement would rest only on sources fewer people may read than may read it: mark it higher';
    const citation = 'a citation cannot be read by more people than its source';
    expect(report.problems).toEqual([
      { path: 'capabilities[0] (c1).marking', message: rests },
      { path: 'capabilities[0] (c1).citations[0].marking', message: citation },
      { path: 'capabilities[1] (c2).marking', message: rests },
      { path: 'capabilities[1] (c2).citations[0].marking', message: citation },
    ]);
    expect(await q(`SELECT count(*)::int AS n FROM capability WHERE statement = 'Derived from the AMBER log.'`)).toEqual([{ n: 0 }]);
    const read = dataOf(await server.gqlAs(keys['green-x'], `query { topic(slug: "derive") { capabilities { nodes { statement } } } }`));
    expect(read.topic.capabilities.nodes.map((n: { statement: string }) => n.statement)).not.toContain('Derived from the AMBER log.');
    expect(await q(`SELECT marking::text AS m FROM source WHERE id = $1`, [sourceId])).toEqual([{ m: 'AMBER' }]);
  });

  test('F5 a new seed file never takes over a topic written through the API under its slug', async () => {
    dataOf(
      await server.gqlAs(
        keys['red-i'],
        `mutation { createTopic(input: { slug: "new-scenario", title: "Analyst title", summary: "Analyst summary", marking: AMBER_STRICT }) { id } }`,
      ),
    );
    const topic = () => q(`SELECT title, summary, marking::text AS marking, organisation, version FROM topic WHERE slug = 'new-scenario'`);
    const before = await topic();
    expect(before).toEqual([
      { title: 'Analyst title', summary: 'Analyst summary', marking: 'AMBER_STRICT', organisation: 'org-i', version: expect.any(Number) },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'review-seed-'));
    writeFileSync(join(dir, 'new-scenario.yaml'), 'topic:\n  key: new-scenario\n  title: Seed title\n  summary: Seed summary\n  marking: CLEAR\n');
    const load = loadFixtures(server.dataSource, dir);
    await expect(load).rejects.toBeInstanceOf(FixtureError);
    await expect(load).rejects.toMatchObject({ problems: ['new-scenario.yaml: topic.key: the slug "new-scenario" is taken: choose another'] });
    expect(await topic()).toEqual(before);
    expect(await q(`SELECT count(*)::int AS n FROM fixture_load WHERE file = 'new-scenario.yaml'`)).toEqual([{ n: 0 }]);
    expect(await q(`SELECT count(*)::int AS n FROM release`)).toEqual([{ n: 0 }]);
  });

  test('F6 a date of year 0 is a problem at its path', async () => {
    const d = doc('year-zero');
    d.topic.startsOn = '0000-01-01';
    await refused(d, 'year-zero', [{ path: 'topic.startsOn', message: 'must be a date of year 1 or later' }]);
  });

  test('F7 a NUL character, and a lone surrogate, are problems at their paths', async () => {
    const message = 'holds a NUL character or half of a UTF-16 pair, which cannot be stored';
    const nul = doc('nul-char');
    nul.capabilities[0].statement = 'a\u0000b';
    await refused(nul, 'nul-char', [{ path: 'capabilities[0] (c1).statement', message }]);
    const lone = doc('lone-surrogate');
    lone.capabilities[0].statement = 'a\ud800b';
    await refused(lone, 'lone-surrogate', [{ path: 'capabilities[0] (c1).statement', message }]);
    // YAML's own escape, no NUL in the request itself.
    await refused('topic:\n  key: yaml-nul\n  title: "a\\0b"\n  summary: S\n', 'yaml-nul', [{ path: 'topic.title', message }]);
  });

  test('F8 a topic key too long for the slug index is a problem at its path', async () => {
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31), 'abcdefghijklmnopqrstuvwxyz'[s % 26]);
    const key = Array.from({ length: 9000 }, rnd).join('');
    await refused({ topic: { key, title: 'T', summary: 'S' } }, key, [{ path: 'topic.key', message: 'must be at most 100 characters' }]);
  });

  test('F9 two imports naming the same new actors in opposite orders do not deadlock: both are applied', async () => {
    const actors = Array.from({ length: 60 }, (_, i) => ({ key: `a${i}`, name: `Deadlock actor ${i}`, kind: 'ARMED_FORCE', marking: 'GREEN' }));
    const outcomes: unknown[] = [];
    for (let round = 0; round < 5; round++) {
      const named = actors.map((a) => ({ ...a, name: `${a.name} r${round}` }));
      const results = await Promise.all([
        raw('amber-i', { topic: { key: `dl-i-${round}`, title: 'T', summary: 'S' }, actors: named }),
        raw('amber-x', { topic: { key: `dl-x-${round}`, title: 'T', summary: 'S' }, actors: [...named].reverse() }),
      ]);
      for (const r of results) outcomes.push(r.body.errors?.[0]?.extensions?.code ?? r.body.data.importData.applied);
      // One actor per identity: whichever import came second used the first one's actors.
      const [{ n }] = await q(`SELECT count(*)::int AS n FROM actor WHERE name LIKE $1 AND retracted_at IS NULL`, [`Deadlock actor % r${round}`]);
      expect(n).toBe(60);
    }
    expect(outcomes).toEqual(Array(10).fill(true));
  });

  test('F10 a javascript: source url is a problem at its path', async () => {
    const d = doc('bypass');
    d.sources[0].url = 'javascript:alert(1)';
    await refused(d, 'bypass', [{ path: 'sources[0] (log).url', message: 'must be an http(s) address without spaces or angle brackets' }]);
    expect(await q(`SELECT count(*)::int AS n FROM source WHERE url LIKE 'javascript:%'`)).toEqual([{ n: 0 }]);
  });

  // As the API: updateActor refuses a parent cycle (checkParent) and actors keep each alias once, whatever its case.
  test('F10b a parent cycle among a document’s actors is a problem at a parent, nothing stored', async () => {
    const d = doc('cycle');
    d.actors = [
      { key: 'p', name: 'Cycle P', kind: 'ARMED_FORCE', parent: 'q' },
      { key: 'q', name: 'Cycle Q', kind: 'ARMED_FORCE', parent: 'p' },
      { key: 'boat', name: 'Boat of cycle', kind: 'ARMED_FORCE', marking: 'GREEN' },
    ];
    const res = await raw('amber-i', d);
    expect(res.body.errors).toBeUndefined();
    const report: Report = res.body.data.importData;
    expect(report.applied).toBe(false);
    expect(report.problems.map((p) => p.path)).toContainEqual(expect.stringMatching(/^actors\[[01]\] \([pq]\)\.parent$/));
    expect(await q(`SELECT count(*)::int AS n FROM actor WHERE name IN ('Cycle P', 'Cycle Q')`)).toEqual([{ n: 0 }]);
  });

  test('F10c an actor’s aliases are kept once each, compared case-insensitively, as the API keeps them', async () => {
    const d = doc('aliases');
    d.actors.push({ key: 'p', name: 'Alias P', kind: 'ARMED_FORCE', aliases: ['X', 'x', 'X'] });
    expect((await importAs('amber-i', d)).applied).toBe(true);
    expect(await q(`SELECT aliases FROM actor WHERE name = 'Alias P'`)).toEqual([{ aliases: ['X'] }]);
  });

  test('F11 kept reasons name no other document', async () => {
    expect((await importAs('amber-i', doc('org-i-topic'), { name: 'private-name-of-org-i' })).applied).toBe(true);
    const report = await importAs('amber-x', doc('org-i-topic'), { name: 'mine' });
    expect(report).toMatchObject({ document: 'principal:org-x/amber-x/mine', applied: true, problems: [] });
    expect(report.kept).toContainEqual({
      path: 'topic',
      reason: 'topic "org-i-topic" exists: the document\'s statements are added to it, the topic is left as it is',
    });
    expect(report.kept.filter((k) => k.path === 'topic')).toHaveLength(1);
    expect(JSON.stringify(report)).not.toContain('private-name-of-org-i');
    // Two seed files defining one key: the second leaves the first's item, without naming the first file.
    const text = (topic: string, name: string) =>
      JSON.stringify({ topic: { key: topic, title: 'T', summary: 'S' }, actors: [{ key: 'review-shared-unit', name, kind: 'ARMED_FORCE' }] });
    expect((await importDocument(server.dataSource, SEED_IMPORTER, text('review-seed-a', 'Shared unit A'), { name: 'review-a.yaml' })).applied).toBe(true);
    const second = await importDocument(server.dataSource, SEED_IMPORTER, text('review-seed-b', 'Shared unit B'), { name: 'review-b.yaml' });
    expect(second).toMatchObject({ applied: true, problems: [] });
    expect(second.kept).toEqual([{ path: 'actors[0] (review-shared-unit)', reason: 'written by another document: left as it is' }]);
    expect(await q(`SELECT name FROM actor WHERE id = $1`, [fixtureId('actor', 'review-shared-unit')])).toEqual([{ name: 'Shared unit A' }]);
  });

  test('F12 an external id held by an actor the importer cannot see is a problem at its path, the holder unnamed', async () => {
    const hidden = doc('xid-hidden');
    hidden.actors[0] = {
      key: 'boat',
      name: 'Hidden holder',
      kind: 'ARMED_FORCE',
      marking: 'AMBER_STRICT',
      organisation: 'org-i',
      externalIds: [{ scheme: 'WIKIDATA', value: 'Q999001' }],
    };
    expect((await importAs('red-i', hidden)).applied).toBe(true);
    const probe = doc('xid-probe');
    probe.actors[0] = { key: 'boat', name: 'Probe', kind: 'ARMED_FORCE', marking: 'GREEN', externalIds: [{ scheme: 'WIKIDATA', value: 'Q999001' }] };
    const res = await raw('amber-x', probe);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.importData).toMatchObject({
      applied: false,
      problems: [{ path: 'actors[0] (boat).externalIds', message: 'an identifier given names another actor already' }],
    });
    expect(JSON.stringify(res.body)).not.toContain('Hidden holder');
    expect(await q(`SELECT count(*)::int AS n FROM topic WHERE slug = 'xid-probe'`)).toEqual([{ n: 0 }]);
  });
});

describe('more findings, fixed', () => {
  const aid = (document: string, key: string) => fixtureId('by', document, 'actor', key);

  test('F13 after a merge, re-importing keeps the moved event and never relinks the merged-away actor', async () => {
    const d = doc('merge-topic');
    d.actors.push({ key: 'dup', name: 'Duplicate boat', kind: 'ARMED_FORCE', marking: 'GREEN' });
    d.events = [{ key: 'e1', title: 'E', occurredOn: '2025-01-01', precision: 'DAY', actors: ['dup'], marking: 'GREEN', citations: cit() }];
    expect((await importAs('amber-i', d, { name: 'merge' })).applied).toBe(true);
    const document = 'principal:org-i/amber-i/merge';
    const [from, into] = [aid(document, 'dup'), aid(document, 'boat')];
    const eventId = fixtureId('by', document, 'topic', 'merge-topic', 'events', 'e1');
    dataOf(
      await server.gqlAs(keys['admin-i'], `mutation($f: ID!, $i: ID!) { mergeActors(from: $f, into: $i) { id } }`, {
        f: toGlobalId('Actor', from),
        i: toGlobalId('Actor', into),
      }),
    );
    const links = async () =>
      (await q(`SELECT actor_id FROM event_actor WHERE event_id = $1 ORDER BY actor_id`, [eventId])).map((r: { actor_id: string }) => r.actor_id);
    expect(await links()).toEqual([into]);
    const [event] = await q(`SELECT e.version, i.version AS imported FROM event e JOIN imported_item i ON i.item_id = e.id WHERE e.id = $1`, [eventId]);
    expect(event.version).toBe(event.imported + 1);
    // The same document again: the merged-away actor it still defines is retracted, a problem; nothing is relinked.
    const same = await importAs('amber-i', d, { name: 'merge' });
    expect(same).toMatchObject({
      applied: false,
      problems: [{ path: 'actors[1] (dup)', message: 'retracted through the API since it was imported: take it out of the document, or restore it' }],
    });
    expect(same.kept).toContainEqual({ path: 'events[0] (e1)', reason: 'changed through the API since it was imported: left as it is' });
    expect(await links()).toEqual([into]);
    // The document as the merge left it is applied; the event, moved by the merge, is kept as it is.
    const merged = doc('merge-topic');
    merged.events = [{ ...d.events[0], actors: ['boat'] }];
    const report = await importAs('amber-i', merged, { name: 'merge' });
    expect(report).toMatchObject({ applied: true, problems: [] });
    expect(report.kept).toContainEqual({ path: 'events[0] (e1)', reason: 'changed through the API since it was imported: left as it is' });
    expect(countOf(report, 'event')).toMatchObject({ created: 0, updated: 0, kept: 1 });
    expect(await links()).toEqual([into]);
    expect(await q(`SELECT retracted_at IS NOT NULL AS r FROM actor WHERE id = $1`, [from])).toEqual([{ r: true }]);
  });

  test('F14 (not fixed, minor) swapping external ids between two actors of a document is refused as CONFLICT, coded', async () => {
    // Current behaviour, kept as a guard that it stays a coded answer: the swap itself is not supported (each actor's
    // new identifier is still held by the other while rows are written one by one). Not a 500, nothing written.
    const d = doc('xid-swap');
    d.actors = [
      { key: 'boat', name: 'Swap A', kind: 'ARMED_FORCE', marking: 'GREEN', externalIds: [{ scheme: 'WIKIDATA', value: 'Q777001' }] },
      { key: 'other', name: 'Swap B', kind: 'ARMED_FORCE', marking: 'GREEN', externalIds: [{ scheme: 'WIKIDATA', value: 'Q777002' }] },
    ];
    expect((await importAs('amber-i', d)).applied).toBe(true);
    const held = () => q(`SELECT a.name, x.value FROM actor_external_id x JOIN actor a ON a.id = x.actor_id WHERE x.value LIKE 'Q77700%' ORDER BY x.value`);
    const before = await held();
    expect(before).toEqual([
      { name: 'Swap A', value: 'Q777001' },
      { name: 'Swap B', value: 'Q777002' },
    ]);
    [d.actors[0].externalIds, d.actors[1].externalIds] = [d.actors[1].externalIds, d.actors[0].externalIds];
    const res = await raw('amber-i', d);
    expect(res.body.errors?.[0]).toMatchObject({ message: 'an identifier given names another actor already', extensions: { code: 'CONFLICT' } });
    expect(await held()).toEqual(before);
  });

  test('F15 two keys that match one stored actor in a relation are a problem at the relation’s "to"', async () => {
    const first = doc('self-relation-0');
    first.actors.push({ key: 'power', name: 'Shared power', kind: 'STATE', aliases: ['Shared realm'] });
    expect((await importAs('amber-x', first)).applied).toBe(true);
    const d = doc('self-relation');
    d.actors.push({ key: 'r1', name: 'Shared power', kind: 'STATE' }, { key: 'r2', name: 'Shared realm', kind: 'STATE' });
    d.relations = [{ key: 'rel', from: 'r1', to: 'r2', type: 'ALLIED_WITH', marking: 'GREEN', citations: cit() }];
    await refused(d, 'self-relation', [{ path: 'relations[0] (rel).to', message: expect.stringContaining('are one actor, which has no relation to itself') }]);
  });

  test('F16 a document’s own actor retracted through the API is a problem at its path; nothing is written on it', async () => {
    const d = doc('retracted-ref');
    d.actors.push({ key: 'spare', name: 'Spare unit', kind: 'ARMED_FORCE', marking: 'GREEN' });
    expect((await importAs('amber-i', d, { name: 'retracted-ref' })).applied).toBe(true);
    dataOf(
      await server.gqlAs(keys['amber-i'], `mutation($id: ID!) { retractActor(id: $id, reason: "not a real unit") { id } }`, {
        id: toGlobalId('Actor', aid('principal:org-i/amber-i/retracted-ref', 'spare')),
      }),
    );
    d.capabilities.push({ key: 'c2', actor: 'spare', category: 'EQUIPMENT', statement: 'On a retracted actor.', marking: 'GREEN', citations: cit() });
    const report = await importAs('amber-i', d, { name: 'retracted-ref' });
    expect(report).toMatchObject({
      applied: false,
      problems: [{ path: 'actors[1] (spare)', message: 'retracted through the API since it was imported: take it out of the document, or restore it' }],
    });
    expect(await q(`SELECT count(*)::int AS n FROM capability WHERE statement = 'On a retracted actor.'`)).toEqual([{ n: 0 }]);
  });
});

describe('amplification, fixed', () => {
  /** A document whose first capability's citations (n of them) are anchored and reused by 99 more capabilities. */
  const amplified = (n: number, topic: string) => {
    const cits = Array.from({ length: n }, (_, i) => `    - {source: log, verb: STATES, quote: "q${i}", credibility: 2, marking: GREEN}`).join('\n');
    const caps = Array.from(
      { length: 99 },
      (_, i) => `  - {key: c${i + 1}, actor: boat, category: EQUIPMENT, statement: "S${i}", marking: GREEN, citations: *cits}`,
    ).join('\n');
    return `topic: {key: ${topic}, title: T, summary: S, marking: GREEN}
actors: [{key: boat, name: Amp boat, kind: ARMED_FORCE, marking: GREEN}]
sources: [{key: log, name: L, kind: OFFICIAL_STATEMENT, reliability: B, marking: GREEN}]
capabilities:
  - key: c0
    actor: boat
    category: EQUIPMENT
    statement: S
    marking: GREEN
    citations: &cits
${cits}
${caps}
`;
  };

  test('F17 a YAML alias is a problem of the document: a small body cannot multiply into rows', async () => {
    const text = amplified(300, 'amp');
    expect(text.length).toBeLessThan(40_000);
    const res = await raw('amber-i', text);
    expect(res.body.errors).toBeUndefined();
    const report: Report = res.body.data.importData;
    expect(report.applied).toBe(false);
    expect(report.problems).toEqual([{ path: '(document)', message: expect.stringMatching(/^not valid YAML/) }]);
    expect(await q(`SELECT count(*)::int AS n FROM topic WHERE slug = 'amp'`)).toEqual([{ n: 0 }]);
    expect(await q(`SELECT count(*)::int AS n FROM actor WHERE name = 'Amp boat'`)).toEqual([{ n: 0 }]);
  });
});

describe('race, fixed', () => {
  test('F18 an analyst’s edit committed while an import waits survives: the import sees the new version and keeps it', async () => {
    const d = doc('race-edit');
    expect((await importAs('amber-i', d, { name: 'race-edit' })).applied).toBe(true);
    const document = 'principal:org-i/amber-i/race-edit';
    const capId = fixtureId('by', document, 'topic', 'race-edit', 'capabilities', 'c1');
    const topicId = fixtureId('by', document, 'topic', 'race-edit');
    // Hold the topic row, so that the import waits on it before it classifies the capability.
    const holder = server.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM topic WHERE id = $1 FOR NO KEY UPDATE`, [topicId]);
    d.topic.title = 'Retitled';
    d.capabilities[0].statement = 'The document’s new statement.';
    const running = importAs('amber-i', d, { name: 'race-edit' });
    let waiting = 0;
    for (let i = 0; i < 100 && !waiting; i++) {
      const [w] = await q(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM topic t%FOR UPDATE OF t%'`);
      waiting = w.n;
      if (!waiting) await new Promise((r) => setTimeout(r, 50));
    }
    expect(waiting).toBe(1);
    // Meanwhile the analyst corrects the capability through the API; it commits.
    const { node } = dataOf(
      await server.gqlAs(keys['amber-i'], `query($id: ID!) { node(id: $id) { ... on Capability { version } } }`, { id: toGlobalId('Capability', capId) }),
    );
    const edited = dataOf(
      await server.gqlAs(
        keys['amber-i'],
        `mutation($id: ID!, $v: Int) { updateCapability(id: $id, version: $v, input: { statement: "The analyst’s correction." }) { version } }`,
        { id: toGlobalId('Capability', capId), v: node.version },
      ),
    ).updateCapability;
    await holder.rollbackTransaction();
    await holder.release();
    const report = await running;
    expect(report.applied).toBe(true);
    expect(countOf(report, 'capability')).toMatchObject({ updated: 0, kept: 1 });
    expect(report.kept).toContainEqual({ path: 'capabilities[0] (c1)', reason: 'changed through the API since it was imported: left as it is' });
    expect(await q(`SELECT statement, version FROM capability WHERE id = $1`, [capId])).toEqual([
      { statement: 'The analyst’s correction.', version: edited.version },
    ]);
    // The topic, untouched by the analyst, is the document's new one.
    expect(await q(`SELECT title FROM topic WHERE id = $1`, [topicId])).toEqual([{ title: 'Retitled' }]);
    // Still recorded at the version the import wrote: the next import keeps the analyst's correction too.
    const [rec] = await q(`SELECT i.version = c.version AS same FROM imported_item i JOIN capability c ON c.id = i.item_id WHERE c.id = $1`, [capId]);
    expect(rec.same).toBe(false);
  });
});

describe('API parity: what the import refuses, createTopic refuses too', () => {
  const create = (title: string, slug: string) =>
    server.gqlAs(keys['amber-i'], `mutation($t: String!, $s: String!) { createTopic(input: { slug: $s, title: $t, summary: "S" }) { id } }`, {
      t: title,
      s: slug,
    });
  test('NUL in a title through createTopic is refused up front (input-guards.ts), as the import refuses it', async () => {
    const res = await create('a\u0000b', 'api-nul');
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
  // The API bounds a slug as the import bounds a key: a longer one would not fit the slug's index.
  test('a 9000-character slug through createTopic is BAD_USER_INPUT naming input.slug, not a 500', async () => {
    let s = 777;
    const slug = Array.from({ length: 9000 }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31), 'abcdefghijklmnopqrstuvwxyz'[s % 26])).join('');
    const res = await create('T', slug);
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.slug' });
  });
});

describe('held', () => {
  test('the same document twice writes nothing; a dry run writes nothing; Idempotency-Key replays', async () => {
    const newest = async () =>
      (await q(`SELECT greatest((SELECT max(xmin::text::bigint) FROM imported_item), (SELECT max(xmin::text::bigint) FROM capability)) AS n`))[0].n;
    const d = doc('idem');
    expect((await importAs('amber-i', d)).applied).toBe(true);
    const before = await newest();
    expect((await importAs('amber-i', d)).applied).toBe(true);
    d.capabilities[0].statement = 'Changed.';
    expect((await importAs('amber-i', d, { dryRun: true })).applied).toBe(false);
    expect(await newest()).toBe(before);
    const post = () =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys['amber-i']}`, 'idempotency-key': 'k-1' },
        body: JSON.stringify({ query: IMPORT, variables: { document: JSON.stringify(d) } }),
      }).then((r) => r.json());
    const first = await post();
    const second = await post();
    expect(first.data.importData.counts).toEqual(second.data.importData.counts);
    expect(countOf(first.data.importData, 'capability').updated).toBe(1);
  });

  test('bad documents are problems, not 500s: aliases bomb, deep nesting, scalars, over the body limit', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(',')}]`,
      );
    for (const text of [bomb.join('\n'), '['.repeat(100000), '42', '', 'null', '"x"', '{"topic": 1}', 'topic: {key: a}\ntopic: {key: b}']) {
      const res = await raw('amber-i', text);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.importData.applied).toBe(false);
    }
    const big = await raw('amber-i', 'x'.repeat(1_100_000));
    expect(big.status).toBe(413);
    expect(big.body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
  });

  test('writing into another organisation or above clearance, RED without oneself, lowering own items: refused', async () => {
    const d = doc('access');
    d.capabilities[0].marking = 'AMBER_STRICT';
    d.capabilities[0].organisation = 'org-x';
    d.capabilities[0].citations = cit('log', 'AMBER_STRICT').map((c) => ({ ...c, organisation: 'org-x' }));
    const r = await importAs('amber-i', d);
    expect(r.applied).toBe(false);
    expect(r.problems.map((p) => p.path)).toContain('capabilities[0] (c1).organisation');
    const red = doc('access-red');
    red.capabilities[0] = { ...red.capabilities[0], marking: 'RED', audience: ['org-x/someone'], citations: cit('log', 'GREEN') };
    await importAs('red-i', red);
    const [row] = await q(`SELECT audience FROM capability WHERE statement = 'One.' AND marking = 'RED'`);
    expect(row.audience).toContain('org-i/red-i');
  });

  test('invisible seed items and topics are not told by key: same message as a key nobody defined', async () => {
    await q(`UPDATE topic SET marking = 'RED', audience = '{org-x/someone}' WHERE id = $1`, [fixtureId('topic', 'dprk-troops-in-russia')]);
    const res = await importAs('amber-i', { topic: { key: 'dprk-troops-in-russia', title: 'T', summary: 'S' } }, { dryRun: true });
    // Taken slugs are told, as createTopic tells them (a unique slug).
    expect(res.problems).toEqual([{ path: 'topic.key', message: 'the slug "dprk-troops-in-russia" is taken: choose another' }]);
    await q(`UPDATE topic SET marking = 'CLEAR', audience = '{}' WHERE id = $1`, [fixtureId('topic', 'dprk-troops-in-russia')]);
  });

  test('two organisations creating one new topic slug at once: one applied, the other CONFLICT (coded, not 500)', async () => {
    const [a, b] = await Promise.all([raw('amber-i', doc('race-slug')), raw('amber-x', doc('race-slug'))]);
    const outcomes = [a, b]
      .map((r) => (r.body.errors ? r.body.errors[0].extensions?.code : r.body.data.importData.applied))
      .map(String)
      .sort();
    expect(outcomes.filter((o) => o === 'INTERNAL_SERVER_ERROR')).toEqual([]);
    expect(outcomes).toContain('true');
  });

  test('two concurrent imports of one document: one creates, the other finds it unchanged', async () => {
    const d = doc('concurrent');
    const [a, b] = await Promise.all([importAs('amber-i', d), importAs('amber-i', d)]);
    const created = [a, b].map((r) => countOf(r, 'capability').created).sort();
    expect(created).toEqual([0, 1]);
  });
});
