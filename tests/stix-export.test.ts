import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v5 as uuidv5 } from 'uuid';
import { Marking, MARKINGS } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { DOSSIER_STIX_NAMESPACE } from '../src/modules/stix/stix-ids';
import { TLP1_MARKING_IDS, TLP2_MARKING_IDS, markingOfStixId } from '../src/modules/stix/stix-markings';
import { stixBundleErrors } from '../src/modules/stix/stix-validate';
import { addMarkedLayer, ids as layer } from './support/marked-layer';
import { NODE_TS } from './support/node-ts';
import { dataOf, startTestServer, TestServer } from './support/server';

// The STIX export: every bundle validates against the OASIS schemas, holds what its reader may see and nothing more
// (objects, refs inside other objects, extension properties), and is the same bytes for the same data.
jest.setTimeout(120_000);

const DPRK = { topics: ['dprk-troops-in-russia'] };
const EXPORT = `query Export($scope: ScopeInput!) { stixBundle(scope: $scope) { id objectCount json } }`;

type StixObject = Record<string, any> & { id: string; type: string };
interface Bundle {
  type: string;
  id: string;
  objects: StixObject[];
}

/** Items added here above TLP:GREEN or out of most readers' reach, with the readers who may see them. */
const hidden = {
  strictCapability: '00000000-0000-4000-8000-00000000b001',
  strictCitation: '00000000-0000-4000-8000-00000000b002',
  redImplication: '00000000-0000-4000-8000-00000000b003',
  redCitation: '00000000-0000-4000-8000-00000000b004',
  amberSource: '00000000-0000-4000-8000-00000000b005',
  citationToAmberSource: '00000000-0000-4000-8000-00000000b006',
  citationOfCapabilityOfAmberActor: '00000000-0000-4000-8000-00000000b008',
  amberLocation: '00000000-0000-4000-8000-00000000b007',
};

let server: TestServer;
const keys: Record<string, string> = {};
/** The actor whose parent is made the AMBER actor of the marked layer, and the event placed at the AMBER location. */
let childActor: string;
let placedEvent: string;

beforeAll(async () => {
  server = await startTestServer();
  const db = server.dataSource;
  await addMarkedLayer(db);
  const readers: Array<[string, Marking, string]> = [
    ['clear', Marking.CLEAR, 'org-c'],
    ['green', Marking.GREEN, 'org-g'],
    ['amber', Marking.AMBER, 'org-a'],
    ['strict', Marking.AMBER_STRICT, 'org-s'],
    ['red', Marking.RED, 'org-r'],
    ['other-red', Marking.RED, 'org-r'],
  ];
  for (const [name, clearance, organisation] of readers) {
    keys[name] = (await createKey(db.manager, { name, role: Role.ANALYST, clearance, organisation })).key;
  }
  const [source] = await db.query(`SELECT id FROM source WHERE marking = 'CLEAR' ORDER BY name LIMIT 1`);
  const [capability] = await db.query(`SELECT id FROM capability WHERE marking = 'CLEAR' AND actor_id <> $1 ORDER BY id LIMIT 1`, [layer.kpa]);
  const [event] = await db.query(`SELECT id FROM event WHERE marking = 'CLEAR' AND location_id IS NOT NULL ORDER BY id LIMIT 1`);
  const [actor] = await db.query(`SELECT id FROM actor WHERE marking = 'CLEAR' AND id = $1`, [layer.kpa]);
  [childActor, placedEvent] = [actor.id, event.id];
  await db.query(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, organisation)
     VALUES ($1, $2, $3, 'CYBER', 'AMBER+STRICT: within org-s only.', 'AMBER_STRICT', 'org-s')`,
    [hidden.strictCapability, layer.topic, layer.kpa],
  );
  await db.query(
    `INSERT INTO implication (id, topic_id, statement, likelihood, confidence, scope, horizon, marking, organisation, audience)
     VALUES ($1, $2, 'RED: for one named reader.', 'LIKELY', 'HIGH', 'GLOBAL', 'LONG_TERM', 'RED', 'org-r', '{org-r/red}')`,
    [hidden.redImplication, layer.topic],
  );
  await db.query(`INSERT INTO source (id, name, kind, reliability, marking) VALUES ($1, 'AMBER source', 'MEDIA_REPORT', 'B', 'AMBER')`, [hidden.amberSource]);
  await db.query(
    `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id, implication_id, marking) VALUES
       ($1, $2, 'STATES', 'strict quote', 2, $3, NULL, 'CLEAR'),
       ($4, $2, 'STATES', 'red quote', 2, NULL, $5, 'CLEAR'),
       ($6, $7, 'REPORTS', 'quote of an AMBER source', 2, $8, NULL, 'CLEAR'),
       ($9, $2, 'REPORTS', 'quote on an AMBER actor', 3, $10, NULL, 'CLEAR')`,
    [
      hidden.strictCitation,
      source.id,
      hidden.strictCapability,
      hidden.redCitation,
      hidden.redImplication,
      hidden.citationToAmberSource,
      hidden.amberSource,
      capability.id,
      hidden.citationOfCapabilityOfAmberActor,
      layer.capabilityOfAmberActor,
    ],
  );
  await db.query(`INSERT INTO location (id, name, kind, country_code, marking) VALUES ($1, 'AMBER site', 'MILITARY_SITE', 'RU', 'AMBER')`, [
    hidden.amberLocation,
  ]);
  await db.query(`UPDATE event SET location_id = $1 WHERE id = $2`, [hidden.amberLocation, event.id]);
  await db.query(`UPDATE actor SET parent_id = $1 WHERE id = $2`, [layer.amberActor, childActor]);
  await db.query(`INSERT INTO topic (id, slug, title, summary, marking) VALUES (gen_random_uuid(), 'amber-topic', 'AMBER topic', 'hidden', 'AMBER')`);
});
afterAll(() => server.close());

async function exportAs(reader: string, scope: Record<string, unknown> = DPRK): Promise<{ text: string; bundle: Bundle; id: string }> {
  const { stixBundle } = dataOf(await server.gqlAs(keys[reader], EXPORT, { scope }));
  return { text: stixBundle.json, bundle: JSON.parse(stixBundle.json) as Bundle, id: stixBundle.id };
}

/** The UUID every STIX id of a Dossier item carries. */
const uuidOf = (dossierId: string) => uuidv5(dossierId, DOSSIER_STIX_NAMESPACE);
const rank = (marking: Marking) => MARKINGS.indexOf(marking);
const ownMarking = (o: StixObject) => markingOfStixId(o.object_marking_refs?.[0] ?? '');
const byDossierId = (bundle: Bundle, dossierId: string) => bundle.objects.find((o) => o.id.endsWith(uuidOf(dossierId)) || o.dossier_id === dossierId);

/** Who may see each item above: the readers named. */
const SEEN_BY: Record<string, string[]> = {
  [layer.amberCapability]: ['amber', 'strict', 'red', 'other-red'],
  [layer.amberCitation]: ['amber', 'strict', 'red', 'other-red'],
  [layer.citationOfAmberCapability]: ['amber', 'strict', 'red', 'other-red'],
  [layer.amberActor]: ['amber', 'strict', 'red', 'other-red'],
  [layer.capabilityOfAmberActor]: ['amber', 'strict', 'red', 'other-red'],
  [hidden.citationOfCapabilityOfAmberActor]: ['amber', 'strict', 'red', 'other-red'],
  [hidden.strictCapability]: ['strict'],
  [hidden.strictCitation]: ['strict'],
  [hidden.redImplication]: ['red'],
  [hidden.redCitation]: ['red'],
  [hidden.amberSource]: ['amber', 'strict', 'red', 'other-red'],
  [hidden.citationToAmberSource]: ['amber', 'strict', 'red', 'other-red'],
  [hidden.amberLocation]: ['amber', 'strict', 'red', 'other-red'],
};
const CLEARANCE: Record<string, Marking> = {
  clear: Marking.CLEAR,
  green: Marking.GREEN,
  amber: Marking.AMBER,
  strict: Marking.AMBER_STRICT,
  red: Marking.RED,
  'other-red': Marking.RED,
};

test.each(Object.keys(CLEARANCE))('the %s reader’s bundle validates and holds nothing above that reader', async (reader) => {
  const { text, bundle } = await exportAs(reader);
  expect(stixBundleErrors(bundle)).toEqual([]);
  expect(bundle.type).toBe('bundle');
  for (const [dossierId, readers] of Object.entries(SEEN_BY)) {
    // Not as an object, nor as a ref inside another object, nor as a Dossier id in an extension.
    const present = text.includes(uuidOf(dossierId)) || text.includes(dossierId);
    expect([dossierId, present]).toEqual([dossierId, readers.includes(reader)]);
  }
  for (const o of bundle.objects) {
    if (o.type === 'marking-definition') continue;
    expect(rank(ownMarking(o)!)).toBeLessThanOrEqual(rank(CLEARANCE[reader]));
    for (const g of o.granular_markings ?? []) expect(rank(markingOfStixId(g.marking_ref)!)).toBeLessThanOrEqual(rank(CLEARANCE[reader]));
  }
  const markings = bundle.objects.filter((o) => o.type === 'marking-definition').map((o) => o.id);
  expect(markings.every((id) => Object.values(TLP2_MARKING_IDS).includes(id))).toBe(true);
  expect(Object.keys(TLP1_MARKING_IDS).some((id) => text.includes(id))).toBe(false);
});

test('a reader below an embedded item gets the object without the ref; one cleared gets the ref, marked', async () => {
  const green = (await exportAs('green')).bundle;
  const amber = (await exportAs('amber')).bundle;
  const [greenChild, amberChild] = [byDossierId(green, childActor)!, byDossierId(amber, childActor)!];
  const extension = (o: StixObject) => Object.values(o.extensions as Record<string, any>)[0];
  expect(extension(greenChild).parent_ref).toBeUndefined();
  expect(extension(amberChild).parent_ref).toContain(uuidOf(layer.amberActor));
  // The CLEAR actor names an AMBER parent: that property is marked AMBER for whoever passes the object on.
  const parentPath = `extensions.${Object.keys(amberChild.extensions)[0]}.parent_ref`;
  expect(amberChild.granular_markings).toEqual([{ marking_ref: TLP2_MARKING_IDS.AMBER, selectors: [parentPath] }]);
  expect(byDossierId(green, placedEvent)!.location_ref).toBeUndefined();
  expect(byDossierId(amber, placedEvent)!.location_ref).toBe(`location--${uuidOf(hidden.amberLocation)}`);
  // The CLEAR topic report lists the AMBER capability under an AMBER granular marking.
  const report = byDossierId(amber, layer.topic)!;
  const index = report.object_refs.indexOf(`dossier-capability--${uuidOf(layer.amberCapability)}`);
  expect(index).toBeGreaterThanOrEqual(0);
  const amberMarks = report.granular_markings.find((g: { marking_ref: string }) => g.marking_ref === TLP2_MARKING_IDS.AMBER);
  expect(amberMarks.selectors).toContain(`object_refs.[${index}]`);
  // A CLEAR citation of an AMBER statement is read only by those who read the statement: its note is AMBER.
  expect(ownMarking(byDossierId(amber, layer.citationOfAmberCapability)!)).toBe(Marking.AMBER);
});

test('the same data exports the same bytes: canonical keys, objects in id order, ids from Dossier ids', async () => {
  const [a, b] = [await exportAs('green'), await exportAs('green', { topics: ['dprk-troops-in-russia', 'dprk-troops-in-russia'] })];
  expect(b.text).toBe(a.text);
  expect(b.id).toBe(a.id);
  expect(a.bundle.id).toBe(a.id);
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
          )
        : v;
  expect(JSON.stringify(sortKeys(a.bundle))).toBe(a.text);
  const objectIds = a.bundle.objects.map((o) => o.id);
  expect(objectIds).toEqual([...objectIds].sort());
  expect(new Set(objectIds).size).toBe(objectIds.length);
  const report = a.bundle.objects.find((o) => o.id === `report--${uuidOf(layer.topic)}`)!;
  expect(report).toMatchObject({ type: 'report', name: 'North Korean troop deployment to Russia, 2024' });
  expect(a.text).not.toContain('null');
  const types = new Set(a.bundle.objects.map((o) => o.type));
  for (const type of [
    'identity',
    'location',
    'relationship',
    'report',
    'note',
    'marking-definition',
    'extension-definition',
    'dossier-judgment',
    'dossier-event',
  ])
    expect([type, types.has(type)]).toEqual([type, true]);
});

test('what STIX has a scale for is mapped: credibility and analytic confidence to confidence, relations to start and stop times', async () => {
  const { bundle } = await exportAs('green');
  const notes = bundle.objects.filter((o) => o.type === 'note');
  const extension = (o: StixObject) => Object.values(o.extensions as Record<string, any>)[0];
  for (const note of notes) {
    const { credibility } = extension(note);
    expect([credibility, note.confidence]).toEqual([credibility, { 1: 90, 2: 70, 3: 50, 4: 30, 5: 10, 6: undefined }[credibility as number]]);
  }
  const judgments = bundle.objects.filter((o) => o.type === 'dossier-judgment');
  expect(judgments.length).toBeGreaterThan(0);
  for (const j of judgments) expect(j.confidence).toBe({ LOW: 15, MODERATE: 50, HIGH: 85 }[j.analytic_confidence as string]);
  // The seed dates no relation (the treaty's only date is the Duma's ratification): no start or stop time is invented.
  const relationships = bundle.objects.filter((o) => o.type === 'relationship');
  expect(relationships.length).toBeGreaterThan(0);
  expect(relationships.filter((o) => o.start_time !== undefined || o.stop_time !== undefined)).toEqual([]);
  const events = bundle.objects.filter((o) => o.type === 'dossier-event');
  const month = events.find((e) => e.precision === 'MONTH')!;
  expect(month.last_seen.slice(0, 7)).toBe(month.occurred_on.slice(0, 7));
});

test('minimum grades and the window leave out what the brief leaves out', async () => {
  const all = (await exportAs('green')).bundle.objects.filter((o) => o.type === 'note');
  const credible = (await exportAs('green', { ...DPRK, minCredibility: 2 })).bundle;
  expect(stixBundleErrors(credible)).toEqual([]);
  const notes = credible.objects.filter((o) => o.type === 'note');
  expect(notes.length).toBeGreaterThan(0);
  expect(notes.length).toBeLessThan(all.length);
  for (const note of notes) expect(Object.values(note.extensions as Record<string, any>)[0].credibility).toBeLessThanOrEqual(2);
  const allEvents = (await exportAs('green')).bundle.objects.filter((o) => o.type === 'dossier-event');
  const late = (await exportAs('green', { ...DPRK, from: '2024-10-20' })).bundle.objects.filter((o) => o.type === 'dossier-event');
  expect(late.length).toBeGreaterThan(0);
  expect(late.length).toBeLessThan(allEvents.length);
  for (const event of late) expect(event.last_seen >= '2024-10-20').toBe(true);
});

test('bad scopes are BAD_USER_INPUT naming the field; a hidden topic looks like a missing one', async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ topics: ['no-such-topic'] }, 'scope.topics'],
    [{}, 'scope'],
    [{ ...DPRK, clearance: 'RED' }, 'scope.clearance'],
    [{ ...DPRK, minCredibility: 9 }, 'scope.minCredibility'],
  ];
  for (const [scope, field] of cases) {
    const error = (await server.gqlAs(keys.green, EXPORT, { scope })).body.errors?.[0];
    expect([field, error?.extensions?.code, error?.extensions?.argumentName]).toEqual([field, 'BAD_USER_INPUT', field]);
  }
  const message = async (reader: string, slug: string) => (await server.gqlAs(keys[reader], EXPORT, { scope: { topics: [slug] } })).body.errors?.[0]?.message;
  expect(await message('green', 'amber-topic')).toBe((await message('green', 'no-such-topic'))!.replace('no-such-topic', 'amber-topic'));
  expect((await exportAs('amber', { topics: ['amber-topic'] })).bundle.objects.map((o) => o.type)).toContain('report');
});

test('the schema check fails a bundle that breaks the schemas, naming the object', async () => {
  const { bundle } = await exportAs('green');
  const note = bundle.objects.find((o) => o.type === 'note')!;
  delete note.content;
  const capability = bundle.objects.find((o) => o.type === 'dossier-capability')!;
  capability.created = '3 November 2024';
  const errors = stixBundleErrors(bundle);
  expect(errors.map((e) => e.objectId)).toEqual(expect.arrayContaining([note.id, capability.id]));
  expect(stixBundleErrors({ type: 'bundle', id: 'bundle--not-a-uuid', objects: [] })).not.toEqual([]);
});

test('npm run export writes the API’s bundle to stdout or, whole, to --out', async () => {
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [...NODE_TS, 'src/cli/export.ts', ...args],
        { cwd: join(__dirname, '..'), env: { ...process.env, DOSSIER_API_KEY: keys.amber }, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  const url = `${server.url}/graphql`;
  const api = await exportAs('amber');
  const out = join(mkdtempSync(join(tmpdir(), 'dossier-export-')), 'bundle.json');
  const [stdout, file, bad] = await Promise.all([
    run(['--url', url, '--topic', 'dprk-troops-in-russia']),
    run(['--url', url, '--topic', 'dprk-troops-in-russia', '--out', out]),
    run(['--url', url, '--topic', 'no-such-topic']),
  ]);
  expect([stdout.code, stdout.stdout]).toEqual([0, `${api.text}\n`]);
  expect(stdout.stderr).toMatch(/dossier export: \d+ objects in bundle--/);
  expect([file.code, file.stdout, readFileSync(out, 'utf8')]).toEqual([0, '', `${api.text}\n`]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('no topic "no-such-topic"');
});
