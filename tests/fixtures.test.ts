import 'reflect-metadata';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createDataSource } from '../src/db/data-source';
import { loadFixtures } from '../src/modules/fixture/fixture.loader';
import { FixtureError } from '../src/modules/fixture/fixture.parse';
import { createTestDatabase } from './support/test-database';

const SEED_DIR = join(__dirname, '..', 'fixtures', 'seed');
const SEED_FILE = join(SEED_DIR, 'dprk-troops-in-russia.yaml');
const seed = () => parse(readFileSync(SEED_FILE, 'utf8'));

const TABLES = ['topic', 'actor', 'location', 'source', 'citation', 'capability', 'challenge', 'implication', 'event', 'actor_relation'];
async function rowCounts(dataSource: ReturnType<typeof createDataSource>) {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = (await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  return counts;
}

function fixtureDir(document: unknown, file = 'scenario.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-fixture-'));
  writeFileSync(join(dir, file), typeof document === 'string' ? document : JSON.stringify(document));
  return dir;
}

let dataSource: ReturnType<typeof createDataSource>;
let drop: () => Promise<void>;
beforeAll(async () => {
  const database = await createTestDatabase();
  drop = () => database.drop();
  dataSource = createDataSource(database.url);
  await dataSource.initialize();
});
afterAll(async () => {
  await dataSource.destroy();
  await drop();
});

test('the seed scenario carries the report: every quote is the report’s own words', () => {
  const report = readFileSync(join(__dirname, '..', 'fixtures', 'sources', 'dprk-troops-in-russia.txt'), 'utf8');
  const data = seed();
  const statements = ['capabilities', 'challenges', 'implications', 'events', 'relations'].flatMap((s) => data[s]);
  const quotes = statements.flatMap((s: { citations: Array<{ quote: string }> }) => s.citations.map((c) => c.quote));
  expect(quotes.length).toBeGreaterThan(50);
  expect(quotes.filter((q: string) => !report.includes(q))).toEqual([]);
  const sourceNames = data.sources.map((s: { name: string }) => s.name).join('\n');
  for (const name of ['UK Defence Intelligence', 'US intelligence', 'Army Recognition', 'NATO', 'Pentagon']) expect(sourceNames).toContain(name);
});

test('loading is idempotent: an unchanged file loads once, a forced reload changes nothing', async () => {
  const before = await rowCounts(dataSource);
  expect(await loadFixtures(dataSource, SEED_DIR)).toEqual({ loaded: [], unchanged: ['dprk-troops-in-russia.yaml'] });
  await dataSource.query('DELETE FROM fixture_load');
  expect(await loadFixtures(dataSource, SEED_DIR)).toEqual({ loaded: ['dprk-troops-in-russia.yaml'], unchanged: [] });
  expect(await rowCounts(dataSource)).toEqual(before);
});

const standing = async (table: string) => (await dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE retracted_at IS NULL`))[0].n;

test('a record dropped from a file is retracted on the next load, with its citations and the reason', async () => {
  const data = seed();
  const dropped = data.challenges.pop();
  const before = await rowCounts(dataSource);
  const [challenges, citations] = [await standing('challenge'), await standing('citation')];
  await loadFixtures(dataSource, fixtureDir(data, 'dprk-troops-in-russia.yaml'));
  // Retracted, not deleted: its history and its reason stay.
  expect(await rowCounts(dataSource)).toEqual(before);
  expect(await standing('challenge')).toBe(challenges - 1);
  expect(await standing('citation')).toBe(citations - dropped.citations.length);
  const [row] = await dataSource.query(`SELECT retraction_reason FROM challenge WHERE retracted_at IS NOT NULL`);
  expect(row.retraction_reason).toBe('no longer in the document seed/dprk-troops-in-russia.yaml');
  // Back in the file, it stands again.
  await loadFixtures(dataSource, SEED_DIR);
  expect(await standing('challenge')).toBe(challenges);
  expect(await standing('citation')).toBe(citations);
});

test.each([
  [
    'a field of the wrong kind',
    (d: any) => {
      d.capabilities[1].citations[0].credibility = 9;
    },
    /scenario\.yaml: capabilities\[1\] \(.+\)\.citations\[0\]\.credibility: .*6/,
  ],
  [
    'an unknown reference',
    (d: any) => {
      d.events[0].location = 'atlantis';
    },
    /scenario\.yaml: events\[0\] \(.+\)\.location: no location has key "atlantis"/,
  ],
  [
    'a statement without citations',
    (d: any) => {
      d.implications[2].citations = [];
    },
    /implications\[2\] \(.+\)\.citations: every statement needs at least one citation/,
  ],
  [
    'an unknown field',
    (d: any) => {
      d.actors[0].colour = 'red';
    },
    /actors\[0\] \(russia\)/,
  ],
])('a bad file (%s) is refused with file, record and field named, and nothing is written', async (_name, spoil, message) => {
  const data = seed();
  data.topic.title = 'This title must not be written';
  spoil(data);
  const before = await rowCounts(dataSource);
  const attempt = loadFixtures(dataSource, fixtureDir(data));
  await expect(attempt).rejects.toThrow(FixtureError);
  await expect(loadFixtures(dataSource, fixtureDir(data))).rejects.toThrow(message);
  expect(await rowCounts(dataSource)).toEqual(before);
  expect((await dataSource.query(`SELECT count(*)::int AS n FROM topic WHERE title = 'This title must not be written'`))[0].n).toBe(0);
});

test('a file that is not YAML names the file', async () => {
  await expect(loadFixtures(dataSource, fixtureDir('topic: [unclosed'))).rejects.toThrow(/scenario\.yaml: not valid YAML/);
});
