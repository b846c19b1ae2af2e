import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getNamedType, isEnumType, isInputObjectType } from 'graphql';
import { buildDossierSchema } from '../src/server/schema';
import { NODE_TS } from './support/node-ts';
import { startTestServer, TestServer } from './support/server';
import { captureLog } from './support/captured-log';

// The command-line generator, run as a scheduler would run it, against the real service.
// Each command is a fresh Node.js process (its TypeScript comes compiled from scripts/register.js's cache: well under a
// second to start on a quiet machine, seconds on a busy core), and a test runs several: room well beyond what they take.
jest.setTimeout(120_000);
const root = join(__dirname, '..');
const golden = readFileSync(join(root, 'fixtures', 'briefs', 'dprk-troops-in-russia.md'), 'utf8');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...NODE_TS, script, ...args], { cwd: root, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const brief = (...args: string[]) => run('src/cli/brief.ts', args, { DOSSIER_API_KEY: server.key });
const keys = (...args: string[]) => run('src/cli/keys.ts', args, { DATABASE_URL: server.databaseUrl });

let server: TestServer;
let url: string;
beforeAll(async () => {
  server = await startTestServer();
  url = `${server.url}/graphql`;
});
afterAll(() => server.close());

test('writes the golden brief to stdout and exits 0, with progress on stderr', async () => {
  const result = await brief('--url', url, '--topic', 'dprk-troops-in-russia', '--format', 'md');
  expect(result).toMatchObject({ code: 0, stdout: golden });
  expect(result.stderr).toMatch(/composing dprk-troops-in-russia .*\n.*done in \d+ ms/);
});

test('--format json gives the typed brief, and --since adds what changed', async () => {
  const result = await brief('--url', url, '--topic', 'dprk-troops-in-russia', '--format', 'json', '--since', '2000-01-01');
  expect(result.code).toBe(0);
  const output = JSON.parse(result.stdout);
  expect(output.brief.markdown).toBe(golden);
  expect(output.brief.bottomLine).toHaveLength(3);
  expect(output.briefDelta).toMatchObject({ baseline: 'TIMESTAMPS', removed: [] });
  // The seed as installed is no news, whatever date is asked for (the history says when things were recorded).
  expect(output.briefDelta).toMatchObject({ added: [], changed: [], unchanged: output.brief.statementCount });
  const md = await brief('--url', url, '--topic', 'dprk-troops-in-russia', '--since', new Date(Date.now() + 60_000).toISOString());
  expect(md.code).toBe(0);
  expect(md.stdout.startsWith(golden)).toBe(true);
  expect(md.stdout).toContain('## Changes since');
  expect(md.stdout).toContain(`Unchanged: ${output.brief.statementCount}`);
});

test('--help lists a flag for every field of BriefInput, with its description and values (no drift)', async () => {
  const result = await brief('--help');
  expect(result.code).toBe(0);
  // The input type of the code itself, not the committed SDL the command reads.
  const input = (await buildDossierSchema()).getType('BriefInput');
  if (!isInputObjectType(input)) throw new Error('no BriefInput');
  const fields = Object.values(input.getFields());
  expect(fields.length).toBeGreaterThanOrEqual(11);
  for (const field of fields) {
    const flag = `--${field.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} <`;
    const at = result.stdout.indexOf(flag);
    expect({ field: field.name, listed: at >= 0 }).toEqual({ field: field.name, listed: true });
    const entry = result.stdout.slice(at, result.stdout.indexOf('\n  --', at + 1));
    expect(entry.replace(/\s+/g, ' ')).toContain((field.description ?? '').replace(/`/g, '').replace(/\s+/g, ' '));
    const type = getNamedType(field.type);
    if (isEnumType(type)) for (const v of type.getValues()) expect(entry).toContain(v.value);
  }
  for (const option of ['--format <markdown|html|json>', '--out <file>', '--since', '--url']) expect(result.stdout).toContain(option);
});

test('every BriefInput option reaches the service: the same brief as the API gives for that input', async () => {
  const input = {
    topics: ['dprk-troops-in-russia'],
    sections: ['BOTTOM_LINE', 'TIMELINE', 'SOURCES'],
    limitPerSection: 2,
    keyJudgments: 1,
    minReliability: 'C',
    minCredibility: 3,
    from: '2024-10-01',
    to: '2024-12-31',
    clearance: 'CLEAR',
    title: 'Autumn, C or better',
  };
  const [result, api] = await Promise.all([
    brief(
      ...['--url', url, '--topic', 'dprk-troops-in-russia', '--sections', 'BOTTOM_LINE,TIMELINE', '--section', 'SOURCES'],
      ...['--limit-per-section', '2', '--key-judgments', '1', '--min-reliability', 'C', '--min-credibility', '3'],
      ...['--from', '2024-10-01', '--to', '2024-12-31', '--clearance', 'CLEAR', '--title', 'Autumn, C or better', '--format', 'json'],
    ),
    server.gql('query($input: BriefInput!) { brief(input: $input) { markdown clearance sections } }', { input }),
  ]);
  expect(result.code).toBe(0);
  const output = JSON.parse(result.stdout).brief;
  expect(output.markdown).toBe(api.body.data.brief.markdown);
  expect(output).toMatchObject({ clearance: 'CLEAR', sections: input.sections, title: input.title });
  expect(output.bottomLine).toHaveLength(1);
  expect(output.markdown).not.toBe(golden);
});

test('--limit-per-section shows what the default caps hide: every gap of the seed brief, and every implication', async () => {
  const capped = await brief('--url', url, '--topic', 'dprk-troops-in-russia');
  expect(capped.stdout).toMatch(/_35 more weak statements in scope, not shown\._/);
  const result = await brief('--url', url, '--topic', 'dprk-troops-in-russia', '--limit-per-section', '100', '--format', 'json');
  expect(result.code).toBe(0);
  const output = JSON.parse(result.stdout).brief;
  const total = (section: string) => output.sectionSizes.find((s: { section: string }) => s.section === section).total;
  expect(output.implications).toHaveLength(total('IMPLICATIONS'));
  expect(output.implications.length).toBeGreaterThanOrEqual(10);
  expect(output.gaps).toHaveLength(total('GAPS'));
  expect(output.gaps.length).toBeGreaterThan(40);
  expect(output.markdown).not.toMatch(/more (implications?|weak statements?|actors?|earlier events?) in scope, not shown/);
  // The JSON carries what the Markdown renders: places, descriptions and the actors it names.
  expect(output.timeline.some((e: { locationDescription: string | null }) => e.locationDescription?.includes('north of Vladivostok'))).toBe(true);
  expect(output.mentionedActors.map((a: { name: string }) => a.name)).toContain('Jens Stoltenberg');
});

test('--actor scopes the brief to actors, as the API does', async () => {
  const dprk = (await server.gql('{ actors(filter: { search: "North Korea" }) { nodes { id name } } }')).body.data?.actors?.nodes?.find(
    (a: { name: string }) => a.name === 'North Korea',
  );
  expect(dprk).toBeDefined();
  const [result, api] = await Promise.all([
    brief('--url', url, '--actor', dprk.id, '--section', 'ACTORS,TIMELINE', '--format', 'json'),
    server.gql('query($input: BriefInput!) { brief(input: $input) { markdown } }', { input: { actors: [dprk.id], sections: ['ACTORS', 'TIMELINE'] } }),
  ]);
  expect(result.code).toBe(0);
  const output = JSON.parse(result.stdout).brief;
  expect(output.markdown).toBe(api.body.data.brief.markdown);
  expect(output.title).toBe('Actors: North Korea');
});

test('--format html --out writes the HTML page to the file, whole, and nothing to stdout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-cli-'));
  const file = join(dir, 'brief.html');
  const [result, api] = await Promise.all([
    brief('--url', url, '--topic', 'dprk-troops-in-russia', '--format', 'html', '--out', file),
    server.gql('{ brief(input: { topics: ["dprk-troops-in-russia"] }) { html } }'),
  ]);
  expect(result).toMatchObject({ code: 0, stdout: '' });
  expect(readFileSync(file, 'utf8')).toBe(api.body.data.brief.html);
  expect(readdirSync(dir)).toEqual(['brief.html']);
  const md = await brief('--url', url, '--topic', 'dprk-troops-in-russia', '--out', file);
  expect(md).toMatchObject({ code: 0, stdout: '' });
  expect(readFileSync(file, 'utf8')).toBe(golden);
  // A directory that does not exist: exit 2, nothing written, nothing left behind.
  const missing = await brief('--url', url, '--topic', 'dprk-troops-in-russia', '--out', join(dir, 'no-such-dir', 'b.md'));
  expect(missing).toMatchObject({ code: 2, stdout: '' });
  expect(missing.stderr).toContain('cannot write');
  expect(readdirSync(dir)).toEqual(['brief.html']);
});

test('bad values of the BriefInput options exit 2 naming the option and what it takes', async () => {
  const cases: Array<[string[], string]> = [
    [['--min-reliability', 'Q'], '--min-reliability "Q" is not one of A, B, C, D, E, F'],
    [['--section', 'BOTTOM_LINE,APPENDIX'], '--sections "APPENDIX" is not one of ACTORS, BOTTOM_LINE, GAPS, IMPLICATIONS, SOURCES, TIMELINE'],
    [['--clearance', 'PURPLE'], '--clearance "PURPLE" is not one of AMBER, AMBER_STRICT, CLEAR, GREEN, RED'],
    [['--limit-per-section', 'ten'], '--limit-per-section "ten" is not a whole number'],
    [['--from', '2024/01/01'], '--from "2024/01/01" is not a date (YYYY-MM-DD)'],
    [['--format', 'html', '--since', '2024-01-01'], '--since works with --format markdown or json'],
    [['--min-credibility', '9'], 'BAD_USER_INPUT'],
  ];
  const results = await Promise.all(cases.map(([args]) => brief('--url', url, '--topic', 'dprk-troops-in-russia', ...args)));
  results.forEach((result, i) => {
    expect({ args: cases[i][0], code: result.code, stdout: result.stdout }).toEqual({ args: cases[i][0], code: 2, stdout: '' });
    expect(result.stderr).toContain(cases[i][1]);
  });
});

test('bad input exits 2 and says why on stderr, writing nothing to stdout', async () => {
  const cases = [
    ['--topic', 'no-such-topic'],
    ['--topic', 'dprk-troops-in-russia', '--format', 'pdf'],
    ['--topic', 'dprk-troops-in-russia', '--since', 'last monday'],
    ['--format', 'md'],
    ['--topic', 'dprk-troops-in-russia', '--colour', 'red'],
  ];
  const results = await Promise.all(cases.map((args) => brief('--url', url, ...args)));
  results.forEach((result, i) => {
    expect({ args: cases[i], code: result.code, stdout: result.stdout }).toEqual({ args: cases[i], code: 2, stdout: '' });
    expect(result.stderr).toMatch(/dossier brief: /);
  });
  expect(results[0].stderr).toContain('BAD_USER_INPUT: Invalid argument "input.topics": no topic "no-such-topic"');
});

test('npm run keys: create prints a working key once, list shows it without the secret, revoke stops it', async () => {
  const created = await keys('create', '--name', 'cli-admin', '--role', 'ADMIN', '--clearance', 'AMBER', '--organisation', 'cli-org');
  expect(created.code).toBe(0);
  const key = created.stdout.trim();
  expect(key).toMatch(/^dsk_/);
  expect(created.stderr).toContain('created cli-org/cli-admin: ADMIN, clearance AMBER');

  // Independent of one another: run at once.
  const [me, listed, ...bad] = await Promise.all([
    server.gqlAs(key, '{ viewer { principal role clearance organisation } }'),
    keys('list'),
    keys('create', '--name', 'x', '--role', 'KING', '--clearance', 'GREEN'),
    keys('create', '--name', "x'; drop table api_key; --", '--role', 'VIEWER', '--clearance', 'GREEN'),
    keys('revoke', '--name', 'nobody'),
    keys('rotate'),
  ]);
  expect(me.body.data.viewer).toEqual({ principal: 'cli-org/cli-admin', role: 'ADMIN', clearance: 'AMBER', organisation: 'cli-org' });
  expect(listed.code).toBe(0);
  expect(listed.stdout).toMatch(/^cli-org\/cli-admin\tdsk_\S+…\tADMIN\tAMBER\tactive$/m);
  expect(listed.stdout).not.toContain(key);
  expect(bad.map((r) => r.code)).toEqual([2, 2, 2, 2]);

  expect((await keys('revoke', '--name', 'cli-admin', '--organisation', 'cli-org')).code).toBe(0);
  // A revoked key's name stays taken.
  const [revoked, again] = await Promise.all([
    server.gqlAs(key, '{ viewer { principal } }'),
    keys('create', '--name', 'cli-admin', '--organisation', 'cli-org', '--role', 'VIEWER', '--clearance', 'GREEN'),
  ]);
  expect(revoked.status).toBe(401);
  expect(again.code).toBe(2);
});

// Last: it breaks the server's database connection.
test('exits 3 when the service cannot be reached or its database fails', async () => {
  const unreachable = await brief('--url', 'http://127.0.0.1:9/graphql', '--topic', 'dprk-troops-in-russia');
  expect(unreachable).toMatchObject({ code: 3, stdout: '' });
  expect(unreachable.stderr).toContain('cannot reach the Dossier service');
  await server.dataSource.destroy();
  // The service logs what it hides from the client, and tells it to retry.
  const log = captureLog();
  const broken = await brief('--url', url, '--topic', 'dprk-troops-in-russia');
  log.restore();
  expect(log.entries.length).toBeGreaterThan(0);
  expect(broken).toMatchObject({ code: 3, stdout: '' });
  expect(broken.stderr).toContain('SERVICE_UNAVAILABLE');
});
