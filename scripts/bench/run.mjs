// npm run bench -- [--size large|small|<topics>] [--runs 3] [--duration 10] [--conc 1,32] [--regen 1]
// Dossier side by side with PostGraphile 5 and a hand-written single-statement SQL floor, on generated data in
// Dossier's own schema (see README, "Benchmark"):
// 1. Node 22 for every target (PostGraphile 5 needs it at run time), installed once from the npm registry into
//    node_modules/.cache/dossier-bench;
// 2. database <prefix> migrated and seeded by Dossier itself, then <prefix>_small and <prefix>_<size> filled by
//    gen.sh (kept between runs while the migrations are unchanged; --regen 1 makes them again);
// 3. the same rows from every target, checked field by field (check.mjs);
// 4. --runs interleaved runs of bench.mjs (targets in alternating order), each target at each concurrency;
// 5. the table of medians and ratios, each goal marked met or not (report.mjs).
// BENCH_PG (default postgres://postgres@127.0.0.1:5432) is the PostgreSQL server; BENCH_PREFIX (default
// perf_dossier) names the databases.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, x, i, all) => (x.startsWith('--') ? [...a, [x.slice(2), all[i + 1]]] : a), []));
const SIZE = args.size || 'large';
const RUNS = Number(args.runs || 3);
const DURATION = args.duration || '10';
const CONC = args.conc || '1,32';
const PREFIX = process.env.BENCH_PREFIX || 'perf_dossier';
const PG = process.env.BENCH_PG || 'postgres://postgres@127.0.0.1:5432';
const NODE22_VERSION = '22.23.3';
const root = new URL('../..', import.meta.url).pathname;
const here = (f) => new URL(f, import.meta.url).pathname;
const log = (line) => process.stderr.write(`bench: ${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Node 22 from the npm registry (the platform's node-<os>-<arch> package), installed once beside the other caches. */
function node22() {
  const dir = join(root, 'node_modules', '.cache', 'dossier-bench', `node-${NODE22_VERSION}`);
  const pkg = `node-${process.platform}-${process.arch}`;
  const bin = join(dir, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(bin)) {
    log(`installing Node ${NODE22_VERSION} (${pkg}) into ${dir}`);
    mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `${pkg}@${NODE22_VERSION}`], {
      stdio: 'inherit',
    });
  }
  return bin;
}

/** The migrations and the generator as they are now: a database made from other ones is made again. */
const stamp = () => {
  const hash = createHash('sha256');
  const dir = join(root, 'src', 'db', 'migrations');
  for (const f of readdirSync(dir).sort()) hash.update(f).update(readFileSync(join(dir, f)));
  hash.update(readFileSync(here('gen.sql'))).update(readFileSync(here('gen.sh')));
  return `dossier-bench ${hash.digest('hex').slice(0, 16)}`;
};

async function databases(admin, want) {
  const { rows } = await admin.query("select datname, shobj_description(oid, 'pg_database') as note from pg_database where datname = any($1)", [want]);
  return new Map(rows.map((r) => [r.datname, r.note]));
}

/** <prefix>: an empty database that Dossier migrates and seeds as at any first start. */
async function makeTemplate(admin, note) {
  log(`creating ${PREFIX} (Dossier's migrations and seed)`);
  await admin.query(`drop database if exists ${PREFIX}`);
  await admin.query(`create database ${PREFIX}`);
  const port = 4129;
  const env = { ...process.env, DATABASE_URL: `${PG}/${PREFIX}`, SEED: 'true', SCHEDULER: 'false', PORT: String(port), LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, ['-r', './scripts/register.js', 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null || i > 600) throw new Error('Dossier did not start on the new database');
      await sleep(200);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  }
  await admin.query(`comment on database ${PREFIX} is '${note}'`);
}

function generate(size) {
  log(`generating ${PREFIX}_${size}${size === 'large' ? ' (2,000,000 statements: 10-15 minutes)' : ''}`);
  const r = spawnSync(here('gen.sh'), [size, PREFIX], { stdio: 'inherit', env: { ...process.env, BENCH_PG: PG } });
  if (r.status !== 0) throw new Error(`gen.sh ${size} failed`);
}

const admin = new pg.Client({ connectionString: `${PG}/postgres` });
await admin.connect();
const note = stamp();
const sizes = [...new Set(['small', SIZE])];
const have = await databases(admin, [PREFIX, ...sizes.map((s) => `${PREFIX}_${s}`)]);
let fresh = args.regen === '1';
if (fresh || have.get(PREFIX) !== note) {
  await makeTemplate(admin, note);
  fresh = true;
}
for (const size of sizes) {
  const db = `${PREFIX}_${size}`;
  if (!fresh && have.get(db) === note) continue;
  generate(size);
  await admin.query(`comment on database ${db} is '${note}'`);
}
await admin.end();

const node = node22();
const datasets = sizes.flatMap((s) => [`${s}:perf-topic-0001`, `${s}:perf-topic-0002`]).join(',');
const env = { ...process.env, BENCH_PREFIX: PREFIX, BENCH_PG: PG };
const bench = (extra) => spawnSync('taskset', ['-c', '0', node, here('bench.mjs'), '--datasets', datasets, ...extra], { stdio: 'inherit', env });
log('checking that every target returns the same rows');
if (bench(['--check', '1']).status !== 0) {
  log('the targets disagree: nothing is timed');
  process.exit(1);
}
const out = join(root, 'node_modules', '.cache', 'dossier-bench', 'results', new Date().toISOString().replace(/[:.]/g, '-'));
const targets = 'floor-http,postgraphile,dossier,dossier-brief,dossier-cached,dossier-typename,postgraphile-typename';
const dirs = [];
for (let r = 1; r <= RUNS; r++) {
  const dir = join(out, `run${r}`);
  dirs.push(dir);
  log(`run ${r} of ${RUNS}`);
  const result = bench(['--targets', targets, '--conc', CONC, '--duration', DURATION, '--raw', dir, '--reverse', String((r + 1) % 2)]);
  if (result.status !== 0) process.exit(result.status ?? 1);
}
spawnSync(process.execPath, [here('report.mjs'), SIZE, ...dirs], { stdio: 'inherit' });
log(`raw figures: ${out}`);
