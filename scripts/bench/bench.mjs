// Load runner of `npm run bench` (scripts/bench/run.mjs starts it under Node 22, pinned to CPU 0):
//   node bench.mjs [--datasets small:perf-topic-0001,large:perf-topic-0001,large:perf-topic-0002]
//        [--targets floor-http,postgraphile,dossier,dossier-brief] [--conc 1,32] [--duration 15] [--warmup 3]
//        [--raw results/run1-raw] [--reverse 1]
// BENCH_PREFIX (default perf_dossier) names the databases: <prefix>_<dataset>.
// For each dataset, for each target (order reversed with --reverse 1): start the server (taskset -c 1), and for each
// concurrency: warm-up at c=4, wait until Postgres is idle, exact round trips (pg_stat_statements calls for
// 2 sequential requests / 2), then autocannon for --duration s. Per run: req/s, p50/p99 (float latencies),
// round trips/request under load, PG exec ms/request, server CPU ms/request (/proc of the node process) and
// PG CPU ms/request (/proc of the backends connected to this database only: other Postgres users on the box are
// not counted). Postgres is not pinned.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import autocannon from 'autocannon';
import pg from 'pg';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, x, i, all) => (x.startsWith('--') ? [...a, [x.slice(2), all[i + 1]]] : a), []));
const DATASETS = (args.datasets || 'small:perf-topic-0001,large:perf-topic-0001,large:perf-topic-0002').split(',').map((s) => {
  const [db, slug] = s.split(':');
  return { db, slug };
});
const CONCS = (args.conc || '1,32').split(',').map(Number);
const DURATION = Number(args.duration || 15);
const WARMUP = Number(args.warmup || 3);
const POOL_MAX = Number(process.env.POOL_MAX || 10);
const NODE = process.execPath;
const PREFIX = process.env.BENCH_PREFIX || 'perf_dossier';
const PG = process.env.BENCH_PG || 'postgres://postgres@127.0.0.1:5432';
const DOSSIER_DIR = process.env.DOSSIER_DIR || new URL('../..', import.meta.url).pathname;
const here = (f) => new URL(f, import.meta.url).pathname;
const doc = (f) => readFileSync(here(f), 'utf8');
const BRIEF_DOSSIER = doc('queries/dossier-brief.graphql');
const BRIEF_PGL = doc('queries/postgraphile-brief.graphql');
const COMPOSED = 'query Composed($slug: String!) { brief(input: { topics: [$slug] }) { statementCount marking markdown } }';

// Dossier as configured for the bench: external Postgres, no seed load, no scheduler (pg-boss would add background
// statements), production mode, rate limit and cost limit out of the way, pool = pg default 10 (TypeORM passes no max).
const dossierEnv = (db) => ({
  DATABASE_URL: `${PG}/${PREFIX}_${db}`,
  SEED: 'false',
  SCHEDULER: 'false',
  LOG_LEVEL: 'warn',
  // a cold 2M-statement database can take longer than the default 10 s for the heavy brief; no slow-operation log lines
  STATEMENT_TIMEOUT_MS: '120000',
  SLOW_OPERATION_MS: '600000',
  NODE_ENV: 'production',
  RATE_LIMIT_POINTS: '1000000000',
  // the same request again would be answered from the response cache: these targets measure uncached answers
  RESPONSE_CACHE_BYTES: '0',
  MAX_COST: '1000000000',
  ANONYMOUS: 'read',
});
const TARGETS = {
  'floor-http': { server: [here('servers/floor.mjs')], path: '/', query: BRIEF_DOSSIER },
  postgraphile: { server: [here('servers/postgraphile.mjs')], path: '/graphql', query: BRIEF_PGL },
  dossier: { server: ['-r', './scripts/register.js', 'src/main.ts'], cwd: DOSSIER_DIR, dossier: true, path: '/graphql', query: BRIEF_DOSSIER },
  'dossier-brief': { server: ['-r', './scripts/register.js', 'src/main.ts'], cwd: DOSSIER_DIR, dossier: true, path: '/graphql', query: COMPOSED },
  // the response cache on, as a service runs by default: the repeated brief from its exactly-fresh cache
  'dossier-cached': {
    server: ['-r', './scripts/register.js', 'src/main.ts'],
    cwd: DOSSIER_DIR,
    dossier: true,
    env: { RESPONSE_CACHE_BYTES: '33554432' },
    path: '/graphql',
    query: BRIEF_DOSSIER,
  },
  'dossier-typename': {
    server: ['-r', './scripts/register.js', 'src/main.ts'],
    cwd: DOSSIER_DIR,
    dossier: true,
    path: '/graphql',
    query: '{ __typename }',
    dataIndependent: true,
  },
  'postgraphile-typename': { server: [here('servers/postgraphile.mjs')], path: '/graphql', query: '{ __typename }', dataIndependent: true },
};
const targetNames = (args.targets || 'floor-http,postgraphile,dossier,dossier-brief').split(',');
if (args.reverse === '1') targetNames.reverse();

const HZ = 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cpuTicks = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
};

const admins = {};
const admin = async (db) => {
  if (!admins[db]) {
    admins[db] = new pg.Client({ connectionString: `${PG}/${PREFIX}_${db}`, application_name: 'bench-admin' });
    await admins[db].connect();
    // pg_stat_statements counts the statements of each request where the server preloads it; optional.
    admins[db].stats = await admins[db].query('select 1 from pg_stat_statements limit 1').then(
      () => true,
      () => false,
    );
  }
  return admins[db];
};
// backends of this database (the server's pool), not ours
const backendPids = async (db) =>
  (
    await (
      await admin(db)
    ).query(
      "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and coalesce(application_name,'') <> 'bench-admin'",
    )
  ).rows.map((r) => r.pid);
const pgCpu = async (db) => new Map((await backendPids(db)).map((p) => [p, cpuTicks(p) ?? 0]));
const pgCpuDelta = (a, b) => {
  let t = 0;
  for (const [p, v] of b) t += v - (a.get(p) ?? 0);
  return t;
};
async function statsReset(db) {
  const c = await admin(db);
  if (!c.stats) return;
  await c.query('select pg_stat_statements_reset(0, (select oid from pg_database where datname = current_database()), 0)');
}
async function statsRead(db) {
  const c = await admin(db);
  if (!c.stats) return { calls: NaN, nrows: NaN, exec_ms: NaN, plan_ms: NaN };
  const { rows } =
    await c.query(`select coalesce(sum(calls),0)::float8 calls, coalesce(sum(rows),0)::float8 nrows, coalesce(sum(total_exec_time),0)::float8 exec_ms, coalesce(sum(total_plan_time),0)::float8 plan_ms
    from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
    and query not ilike '%pg_stat_statements%' and query not ilike '%pg_stat_activity%' and query not ilike '%pg_database%'`);
  return rows[0];
}
async function waitIdle(db, maxMs = 120000) {
  const t0 = Date.now();
  let prev = -1;
  while (Date.now() - t0 < maxMs) {
    const { calls } = await statsRead(db);
    const { rows } = await (
      await admin(db)
    ).query("select count(*)::int n from pg_stat_activity where datname = current_database() and state = 'active' and pid <> pg_backend_pid()");
    if ((calls === prev || Number.isNaN(calls)) && rows[0].n === 0) return;
    prev = calls;
    await sleep(300);
  }
}

async function startServer(t, db, port) {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    BENCH_DB: db,
    DATABASE_URL: `${PG}/${PREFIX}_${db}`,
    PORT: String(port),
    POOL_MAX: String(POOL_MAX),
    ...(t.dossier ? dossierEnv(db) : {}),
    ...t.env,
  };
  const child = spawn('taskset', ['-c', '1', NODE, ...(process.env.PROF && t.dossier ? [process.env.PROF] : []), ...t.server], {
    cwd: t.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  for (let i = 0; i < 300; i++) {
    await sleep(200);
    if (child.exitCode !== null) break;
    try {
      const r = await fetch(`http://127.0.0.1:${port}${t.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (r.status < 500) return { child, log: () => log };
    } catch {
      // not listening yet
    }
  }
  child.kill('SIGTERM');
  throw new Error(`server did not start: ${log}`);
}
const stopServer = async (child) => {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
};

/** One request; again once if the server closed the idle keep-alive connection just as it was reused. */
const post = async (url, headers, body) => {
  const once = async () => (await fetch(url, { method: 'POST', headers, body })).text();
  try {
    return await once();
  } catch (error) {
    if (error?.cause?.code !== 'ECONNRESET') throw error;
    return once();
  }
};

const cannon = (opts) =>
  new Promise((res, rej) => {
    const lat = [];
    const inst = autocannon(opts, (e, r) => (e ? rej(e) : res({ ...r, lat })));
    inst.on('response', (_client, status, _bytes, ms) => {
      if (status < 300) lat.push(ms);
    });
  });
const pct = (arr, p) => {
  const a = [...arr].sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))];
};

// --check 1: the same rows from every target (check.mjs), per dataset, before anything is timed.
if (args.check === '1') {
  let ok = true;
  for (const ds of DATASETS) {
    const started = [];
    const urls = [];
    for (const [i, name] of ['dossier', 'postgraphile', 'floor-http'].entries()) {
      const t = TARGETS[name];
      const p = 4130 + i;
      started.push(await startServer(t, ds.db, p));
      urls.push(`${name.replace('-http', '')}=http://127.0.0.1:${p}${t.path}`);
    }
    process.stderr.write(`check ${ds.db}:${ds.slug}\n`);
    const check = spawn(NODE, [here('check.mjs'), ds.slug, ...urls], { stdio: ['ignore', 'inherit', 'inherit'] });
    const same = (await new Promise((r) => check.once('exit', r))) === 0;
    if (!same) for (const s of started) process.stderr.write(`server ${s.child.pid} (exit ${s.child.exitCode}):\n${s.log().slice(-3000)}\n`);
    ok &&= same;
    for (const s of started) await stopServer(s.child);
  }
  for (const c of Object.values(admins)) await c.end();
  process.exit(ok ? 0 : 1);
}

const RAW = args.raw || 'results/raw';
mkdirSync(RAW, { recursive: true });
const port = Number(args.port || 4120);
const results = [];
let first = true;
for (const ds of DATASETS) {
  for (const name of targetNames) {
    const t = TARGETS[name];
    if (t.dataIndependent && !first) continue;
    const data = t.dataIndependent ? '-' : `${ds.db}:${ds.slug}`;
    const { child } = await startServer(t, ds.db, port);
    const variables = t.dataIndependent ? {} : { slug: ds.slug };
    const body = JSON.stringify({ query: t.query, variables });
    const req = { url: `http://127.0.0.1:${port}${t.path}`, method: 'POST', headers: { 'content-type': 'application/json' }, body };
    // sanity: one answer, no errors
    const probe = await (await fetch(req.url, { method: 'POST', headers: req.headers, body })).text();
    if (/"errors"/.test(probe.slice(0, 2000))) throw new Error(`${name} ${data}: ${probe.slice(0, 500)}`);
    for (const conc of CONCS) {
      process.stderr.write(`running ${name} ${data} c=${conc} ... `);
      await cannon({ ...req, connections: 4, duration: WARMUP, timeout: 60 }); // warm-up: JIT, plan caches, pool
      await waitIdle(ds.db);
      await statsReset(ds.db);
      for (let i = 0; i < 2; i++) await post(req.url, req.headers, body);
      const rtExact = (await statsRead(ds.db)).calls / 2;
      await statsReset(ds.db);
      const c0 = cpuTicks(child.pid),
        p0 = await pgCpu(ds.db);
      const r = await cannon({ ...req, connections: conc, duration: DURATION, timeout: 60 });
      const c1 = cpuTicks(child.pid),
        p1 = await pgCpu(ds.db);
      const s = await statsRead(ds.db);
      const n = r.requests.total;
      const row = {
        target: name,
        data,
        conc,
        rps: n / r.duration,
        p50: pct(r.lat, 50),
        p90: pct(r.lat, 90),
        p99: pct(r.lat, 99),
        requests: n,
        errors: r.errors + r.timeouts + r.non2xx,
        bytesPerReq: r.throughput.total / n,
        roundTrips: s.calls / n,
        rtExact,
        rowsPerReq: s.nrows / n,
        pgExecMs: s.exec_ms / n,
        pgPlanMs: s.plan_ms / n,
        serverCpuMs: (((c1 - c0) / HZ) * 1000) / n,
        pgCpuMs: ((pgCpuDelta(p0, p1) / HZ) * 1000) / n,
        at: new Date().toISOString(),
        loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      };
      results.push(row);
      writeFileSync(`${RAW}/${name}_${data.replace(':', '_')}_c${conc}.json`, JSON.stringify(row, null, 2));
      process.stderr.write(`${row.rps.toFixed(1)} rps p50 ${row.p50?.toFixed(2)} p99 ${row.p99?.toFixed(2)} rt/req ${row.rtExact} (load ${row.loadavg})\n`);
    }
    await stopServer(child);
  }
  first = false;
}
for (const c of Object.values(admins)) await c.end();
console.log(`done: ${results.length} runs written to ${RAW}`);
