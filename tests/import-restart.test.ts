import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { Marking } from '../src/common/marking';
import { createDataSource } from '../src/db/data-source';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { freePort } from './support/free-port';
import { NODE_TS } from './support/node-ts';
import { startService, type ServiceProcess } from './support/service-process';
import { createTestDatabase } from './support/test-database';

// The real service, stopped and started on one database with a seed file that changed in between, and documents
// imported with `npm run import`: an analyst's statements and changes outlive every restart and every import.
const SEED_FILE = 'dprk-troops-in-russia.yaml';
const TOPIC = 'dprk-troops-in-russia';
const seedDir = mkdtempSync(join(tmpdir(), 'dossier-seed-'));
copyFileSync(join(__dirname, '..', 'fixtures', 'seed', SEED_FILE), join(seedDir, SEED_FILE));

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataSource: ReturnType<typeof createDataSource>;
let service: ServiceProcess | undefined;
let url: string;
let analystKey: string;

async function start(): Promise<string[]> {
  const port = await freePort();
  service = startService({ SCHEDULER: 'false', DATABASE_URL: database.url, PORT: String(port), SEED_DIR: seedDir });
  await service.waitFor(/^Dossier ready/, 60_000);
  url = `http://127.0.0.1:${port}/graphql`;
  return service.messages.filter((l) => l.startsWith('fixtures:'));
}

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${analystKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** `npm run -s import -- <args>` against the running service, as the analyst. */
function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [...NODE_TS, 'src/cli/import.ts', ...args], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, DOSSIER_URL: url, DOSSIER_API_KEY: analystKey },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const JUDGMENT = `query($id: ID!) { node(id: $id) { ... on Implication {
  id version statement likelihood confidence retractedAt updatedAt topic { slug } affectedActors { name }
  citations { quote credibility source { name } } } } }`;
const CAPABILITY = `query($id: ID!) { node(id: $id) { ... on Capability { statement version retractedAt } } }`;
const seedStatement = (section: string, key: string, type: string) => toGlobalId(type, fixtureId('topic', TOPIC, section, key));

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = createDataSource(database.url);
  await dataSource.initialize();
  analystKey = (await createKey(dataSource.manager, { name: 'restart-analyst', role: Role.ANALYST, clearance: Marking.AMBER, organisation: 'org-r' })).key;
});
afterAll(async () => {
  await service?.stop();
  await dataSource.destroy();
  await database.drop();
});

test('an analyst’s statement and edits survive a changed seed file, restarts and imports, unchanged', async () => {
  expect(await start()).toEqual(['fixtures: 0 loaded, 1 unchanged']);

  // An analyst writes a judgment in the seed topic, and corrects one of the seed's capabilities.
  const source = toGlobalId('Source', fixtureId('source', 'uk-di-update-2024-11-03'));
  const { createImplication } = await gql(`mutation($input: ImplicationInput!) { createImplication(input: $input) { id } }`, {
    input: {
      topic: TOPIC,
      statement: 'Analyst: the deployment will be rotated within a year.',
      likelihood: 'LIKELY',
      confidence: 'MODERATE',
      affectedActors: [toGlobalId('Actor', fixtureId('actor', 'north-korea'))],
      citations: [{ source, verb: 'ASSESSES', quote: 'analyst reading of the update', credibility: 3 }],
    },
  });
  const written = (await gql(JUDGMENT, { id: createImplication.id })).node;
  const corrected = seedStatement('capabilities', 'kpa-active-manpower', 'Capability');
  const { version } = (await gql(CAPABILITY, { id: corrected })).node;
  await gql(
    `mutation($id: ID!, $v: Int) { updateCapability(id: $id, version: $v, input: { statement: "Analyst: about 1.28 million active-duty soldiers." }) { id } }`,
    {
      id: corrected,
      v: version,
    },
  );
  await service!.stop();

  // The seed file changes: the capability the analyst corrected, another one, and a challenge dropped.
  const seed = parse(readFileSync(join(seedDir, SEED_FILE), 'utf8'));
  seed.capabilities[0].statement = 'Seed: the KPA has over 1.2 million soldiers.';
  const other = seed.capabilities[1];
  other.statement = `${other.statement} (revised)`;
  const dropped = seed.challenges.pop();
  writeFileSync(join(seedDir, SEED_FILE), stringify(seed));
  expect(await start()).toEqual(['fixtures: 1 loaded (dprk-troops-in-russia.yaml), 0 unchanged']);

  expect((await gql(JUDGMENT, { id: createImplication.id })).node).toEqual(written);
  expect((await gql(CAPABILITY, { id: corrected })).node).toMatchObject({ statement: 'Analyst: about 1.28 million active-duty soldiers.', retractedAt: null });
  expect((await gql(CAPABILITY, { id: seedStatement('capabilities', other.key, 'Capability') })).node.statement).toBe(other.statement);
  const [gone] = await dataSource.query(`SELECT retracted_at IS NOT NULL AS retracted FROM challenge WHERE id = $1`, [
    fixtureId('topic', TOPIC, 'challenges', dropped.key),
  ]);
  expect(gone).toEqual({ retracted: true });

  // Import again: the seed once more (its record of loaded files cleared), and an analyst's own document, twice.
  await service!.stop();
  await dataSource.query('DELETE FROM fixture_load');
  expect(await start()).toEqual(['fixtures: 1 loaded (dprk-troops-in-russia.yaml), 0 unchanged']);
  const document = join(mkdtempSync(join(tmpdir(), 'dossier-doc-')), 'kursk-notes.yaml');
  writeFileSync(
    document,
    stringify({
      topic: { key: TOPIC, title: 'ignored: the topic exists', summary: 'ignored' },
      capabilities: [
        {
          key: 'drones',
          actor: 'korean-peoples-army',
          category: 'EQUIPMENT',
          statement: 'Analyst document: KPA units train with drones.',
          citations: [{ source: 'uk-di-update-2024-11-03', verb: 'REPORTS', page: '2', credibility: 3 }],
        },
      ],
    }),
  );
  const first = cli(document);
  expect(first).toMatchObject({ status: 0 });
  expect(first.stdout).toContain('kursk-notes.yaml: principal:org-r/restart-analyst/kursk-notes imported');
  expect(first.stdout).toContain('capability: 1 created, 0 updated, 0 unchanged, 0 retracted, 0 kept');
  const second = cli(document);
  expect(second.stdout).toContain('capability: 0 created, 0 updated, 1 unchanged, 0 retracted, 0 kept');
  expect(second.stdout).not.toMatch(/[1-9]\d* (created|updated|retracted)/);

  expect((await gql(JUDGMENT, { id: createImplication.id })).node).toEqual(written);
  expect((await gql(CAPABILITY, { id: corrected })).node.statement).toBe('Analyst: about 1.28 million active-duty soldiers.');
  const { topic } = await gql(`query { topic(slug: "${TOPIC}") { title capabilities(first: 100) { nodes { statement } } } }`);
  expect(topic.title).toBe(seed.topic.title);
  expect(topic.capabilities.nodes.map((c: { statement: string }) => c.statement)).toContain('Analyst document: KPA units train with drones.');
}, 120_000);

test('a document with problems is refused by the command line with each problem, exit code 2', async () => {
  const document = join(mkdtempSync(join(tmpdir(), 'dossier-doc-')), 'broken.json');
  writeFileSync(document, JSON.stringify({ topic: { key: 'Not A Key', title: 't', summary: 's' } }));
  const run = cli(document);
  expect(run.status).toBe(2);
  expect(run.stdout).toContain('broken.json: principal:org-r/restart-analyst/broken NOT imported');
  expect(run.stdout).toMatch(/problem topic\.key: must be lowercase kebab-case/);
}, 60_000);
