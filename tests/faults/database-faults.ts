// The fault suite: the real service on a PostgreSQL of its own, under concurrent reads and writes with the scheduler
// on, while the database is killed and restarted, then frozen and thawed. It prints what clients saw and checks:
// the process stays up; clients get 503 with Retry-After while the database is away, quickly; errors stop within 2 s
// of its return; runs resume within one scheduler tick; no acknowledged write is lost.
//   npm run test:faults        (exit code 0 when every check holds; FAULTS_VERBOSE=1 prints the service's log too)
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { EMBEDDED_PASSWORD, EMBEDDED_USER } from '../../src/db/database-url';
import { fixtureId } from '../../src/modules/fixture/fixture.ids';
import { fromGlobalId, toGlobalId } from '../../src/read/global-id';
import { startService, type ServiceProcess } from '../support/service-process';
import { Load, type Outcome } from './load';
import { FaultyPostgres } from './postgres';
import { freePort } from '../support/free-port';
import { NODE_TS } from '../support/node-ts';

const ROOT = join(__dirname, '..', '..');
const TICK_MS = 5_000;
const QUERY_TIMEOUT_MS = 5_000;
const SETTINGS = {
  SEED: 'true',
  SCHEDULER: 'true',
  SCHEDULER_TICK_MS: String(TICK_MS),
  DATABASE_CONNECT_TIMEOUT_MS: '2000',
  STATEMENT_TIMEOUT_MS: '4000',
  DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
  RATE_LIMIT_POINTS: '1000000',
};
const DOWN_MS = 4_000;
const FROZEN_MS = 12_000;
const RUNS_PER_FAULT = 6;

interface Check {
  what: string;
  ok: boolean;
  figure: string;
}
const checks: Check[] = [];
const check = (what: string, ok: boolean, figure: string) => checks.push({ what, ok, figure });
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-faults-'));
  const postgres = new FaultyPostgres(dir, await freePort(), ['dossier']);
  let service: ServiceProcess | undefined;
  try {
    await postgres.start();
    const databaseUrl = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${postgres.port}/dossier`;
    const db = directQueries(databaseUrl);
    const port = await freePort();
    service = startService({ ...SETTINGS, DATABASE_URL: databaseUrl, PORT: String(port) });
    await service.waitFor(/^Dossier ready/, 90_000);
    const serviceUp = service;
    let exitedEarly = false;
    void service.exited.then(() => (exitedEarly = true));
    const key = await createKey(databaseUrl);
    const graphql = `http://127.0.0.1:${port}/graphql`;
    say(`faults: service up on :${port}, PostgreSQL on :${postgres.port}, scheduler tick ${TICK_MS} ms`);

    const load = new Load(graphql, key, toGlobalId('Source', fixtureId('source', 'article')));
    load.start(6, 3);
    await sleep(3_000);
    const warmUp = load.outcomes.slice();
    check(
      'no errors before any fault',
      warmUp.every((o) => o.ok),
      `${warmUp.length} requests, ${warmUp.filter((o) => !o.ok).length} failed`,
    );

    const context = { graphql, key, db, load };
    const faults = [
      await fault('kill', context, async () => {
        postgres.kill();
        await sleep(DOWN_MS);
        await postgres.start();
      }),
      await fault('freeze', context, async () => {
        const pids = postgres.freeze();
        await sleep(FROZEN_MS);
        postgres.thaw(pids);
      }),
    ];
    await load.stop();

    const healthz = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    check(
      'the process stayed up',
      !exitedEarly && healthz === 200,
      exitedEarly ? `it exited; its last words:\n${serviceUp.lines.slice(-15).join('\n')}` : 'up, /healthz 200',
    );
    const caught = serviceUp.lines.filter((l) => /unhandled rejection|uncaught/.test(l));
    check(
      'nothing reached the process guard',
      caught.length === 0,
      caught.length ? caught.slice(0, 3).join(' | ') : 'no unhandled rejection or uncaught exception',
    );
    const unfinished = await load.finish(20_000);
    await acknowledgedWrites(db, load.outcomes, unfinished);
    // Runs the every-minute schedule queued meanwhile may still be composing: they get a while to finish.
    const settling = Date.now();
    const open = async () => (await db(`SELECT count(*)::int AS n FROM brief_run WHERE status IN ('QUEUED', 'RUNNING')`))?.[0].n as number | undefined;
    const stuck = await until(open, (n) => n === 0, 30_000);
    const failed = await db(`SELECT count(*)::int AS n FROM brief_run WHERE status = 'FAILED'`);
    check(
      'no run left queued, running or failed',
      stuck === 0 && failed?.[0].n === 0,
      `${stuck} open ${((Date.now() - settling) / 1000).toFixed(1)} s after the load stopped, ${failed?.[0].n} failed`,
    );
    report(
      faults.filter((f): f is FaultFigures => f !== undefined),
      load.outcomes.length,
    );
    if (process.env.FAULTS_VERBOSE) say(`\nthe service's log:\n${serviceUp.lines.join('\n')}`);
  } finally {
    await service?.stop();
    await postgres.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Context {
  graphql: string;
  key: string;
  db: ReturnType<typeof directQueries>;
  load: Load;
}

interface FaultFigures {
  name: string;
  awayMs: number;
  during: Outcome[];
  runsAtFault: Record<string, number>;
  resumeMs: number | null;
  drainMs: number | null;
  errorsStopMs: number;
}

/** One fault under load: runs are made due, the fault injected once one of them composes, then the return watched. */
async function fault(name: string, context: Context, inject: () => Promise<void>): Promise<FaultFigures | undefined> {
  let definitions: string[];
  try {
    definitions = await defineRuns(name, context);
  } catch (error) {
    check(`${name}: could be set up`, false, `the service did not answer: ${(error as Error).message}`);
    return undefined;
  }
  const atFault = await until(
    () => runStates(context.db, definitions),
    (s) => (s.RUNNING ?? 0) > 0,
    15_000,
  );
  const awayAt = Date.now();
  const answering = answersAgain(context.db);
  await inject();
  const returnedAt = await answering;
  let resumedAt: number | null = null;
  let drainedAt: number | null = null;
  const before = atFault.SUCCEEDED ?? 0;
  for (const deadline = returnedAt + 30_000; Date.now() < deadline && drainedAt === null; await sleep(100)) {
    const states = await runStates(context.db, definitions);
    if (resumedAt === null && (states.SUCCEEDED ?? 0) > before) resumedAt = Date.now();
    if ((states.SUCCEEDED ?? 0) >= RUNS_PER_FAULT) drainedAt = Date.now();
  }
  await sleep(Math.max(0, returnedAt + 4_000 - Date.now())); // long enough to see errors stop
  const during = context.load.outcomes.filter((o) => o.start >= awayAt && o.start < returnedAt);
  const lastError = Math.max(returnedAt, ...context.load.outcomes.filter((o) => o.start >= returnedAt && !o.ok).map((o) => o.start));
  const figures: FaultFigures = {
    name,
    awayMs: returnedAt - awayAt,
    during,
    runsAtFault: atFault,
    resumeMs: resumedAt && resumedAt - returnedAt,
    drainMs: drainedAt && drainedAt - returnedAt,
    errorsStopMs: lastError - returnedAt,
  };
  const unavailable = during.filter((o) => !o.ok);
  const proper = unavailable.filter((o) => o.status === 503 && o.code === 'SERVICE_UNAVAILABLE' && o.retryAfter && !o.detail);
  check(
    `${name}: clients were told 503 SERVICE_UNAVAILABLE with Retry-After, no detail`,
    unavailable.length > 0 && proper.length === unavailable.length,
    `${proper.length} of ${unavailable.length} failed requests (${describeFailures(unavailable)})`,
  );
  const slowest = Math.max(0, ...unavailable.map((o) => o.end - o.start));
  check(`${name}: none was held past the query timeout`, slowest <= QUERY_TIMEOUT_MS + 1_500, `the slowest failed request took ${slowest} ms`);
  check(`${name}: errors stopped within 2 s of the database's return`, figures.errorsStopMs < 2_000, `${figures.errorsStopMs} ms`);
  check(
    `${name}: runs resumed within one tick (${TICK_MS} ms)`,
    figures.resumeMs !== null && figures.resumeMs <= TICK_MS,
    `first run done ${figures.resumeMs ?? 'never'} ms after the return, all ${RUNS_PER_FAULT} after ${figures.drainMs ?? 'never'} ms`,
  );
  const pause = `mutation($id: ID!) { pauseBriefDefinition(id: $id) { id } }`;
  await Promise.all(definitions.map((d) => gql(context, pause, { id: toGlobalId('BriefDefinition', d) }).catch(() => undefined)));
  return figures;
}

/** Definitions that fall due every minute; made due now (the database is the test's lever), so the next tick queues them. */
async function defineRuns(name: string, context: Context): Promise<string[]> {
  const CREATE = `mutation($input: BriefDefinitionInput!) { createBriefDefinition(input: $input) { id } }`;
  const ids: string[] = [];
  for (let i = 0; i < RUNS_PER_FAULT; i++) {
    const input = { name: `${name} ${i}`, brief: { topics: ['dprk-troops-in-russia'] }, cron: '* * * * *', timeZone: 'UTC', formats: ['MARKDOWN'] };
    ids.push(fromGlobalId((await gql(context, CREATE, { input })).createBriefDefinition.id, 'id').id);
  }
  await context.db(`UPDATE brief_definition SET next_run_at = date_trunc('minute', now()) WHERE id = ANY($1::uuid[])`, [ids]);
  return ids;
}

/** When the database answers again, by a fresh connection of the suite's own: after it has first stopped answering. */
async function answersAgain(db: Context['db']): Promise<number> {
  let failed = false;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const answered = (await db('SELECT 1')) !== undefined;
    if (!answered) failed = true;
    else if (failed) return Date.now();
    await sleep(50);
  }
  throw new Error('the database did not answer again within a minute');
}

async function runStates(db: Context['db'], definitions: string[]): Promise<Record<string, number>> {
  const rows = await db(`SELECT status, count(*)::int AS n FROM brief_run WHERE definition_id = ANY($1::uuid[]) GROUP BY status`, [definitions]);
  return Object.fromEntries((rows ?? []).map((r: { status: string; n: number }) => [r.status, r.n]));
}

async function acknowledgedWrites(db: Context['db'], outcomes: Outcome[], unfinished: number) {
  const writes = outcomes.filter((o) => o.kind === 'write');
  const acknowledged = writes.filter((o) => o.ok);
  const statements = [...new Set(writes.map((o) => o.statement!))];
  const rows: Array<{ statement: string; n: number }> =
    (await db(`SELECT statement, count(*)::int AS n FROM implication WHERE statement = ANY($1) GROUP BY statement`, [statements])) ?? [];
  const stored = new Map(rows.map((r) => [r.statement, r.n]));
  const lost = acknowledged.filter((o) => !stored.has(o.statement!));
  check(
    'every acknowledged write is there afterwards',
    acknowledged.length > 0 && lost.length === 0,
    `${acknowledged.length} acknowledged, ${lost.length} lost`,
  );
  // Each failed write was sent again under its Idempotency-Key until acknowledged: each is stored exactly once.
  const duplicated = rows.filter((r) => r.n > 1).length;
  const retried = statements.filter((st) => writes.filter((o) => o.statement === st).length > 1).length;
  check(
    'a write retried under its Idempotency-Key is stored once',
    unfinished === 0 && duplicated === 0 && stored.size === statements.length,
    `${statements.length} writes, ${retried} of them retried (${writes.length - acknowledged.length} failed attempts); ${stored.size} stored, ${duplicated} more than once, ${unfinished} never acknowledged`,
  );
}

function report(faults: FaultFigures[], requests: number) {
  say('');
  say(`${requests} requests in all`);
  for (const f of faults) {
    const failed = f.during.filter((o) => !o.ok);
    const times = failed.map((o) => o.end - o.start).sort((a, b) => a - b);
    const pct = (p: number) => (times.length ? times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] : 0);
    say(
      `${f.name}: database away ${f.awayMs} ms; runs at the fault ${JSON.stringify(f.runsAtFault)}; ${f.during.length} requests meanwhile, ` +
        `${f.during.length - failed.length} answered, ${failed.length} refused in p50 ${pct(50)} / p95 ${pct(95)} / max ${pct(100)} ms ` +
        `(${times.filter((t) => t < 100).length} within 100 ms); errors stopped ${f.errorsStopMs} ms after the return; ` +
        `runs resumed after ${f.resumeMs ?? 'never'} ms, all done after ${f.drainMs ?? 'never'} ms`,
    );
  }
  say('');
  for (const c of checks) say(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.what}: ${c.figure}`);
}

function describeFailures(outcomes: Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const label = `${o.status} ${o.code ?? ''}${o.retryAfter ? ' Retry-After' : ''}${o.detail ? ' with detail' : ''}`.trim();
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => `${n}x ${label}`).join(', ') || 'none';
}

async function gql(context: Context, query: string, variables: Record<string, unknown>) {
  const response = await fetch(context.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${context.key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Queries on a fresh connection each, outside the service; undefined while the database is away. */
function directQueries(url: string) {
  return async (text: string, values: unknown[] = []): Promise<any[] | undefined> => {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000, query_timeout: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.query(text, values)).rows;
    } catch {
      return undefined;
    } finally {
      void client.end().catch(() => undefined);
    }
  };
}

/** The first admin key, made the way an operator makes it: `npm run keys`. */
function createKey(databaseUrl: string): Promise<string> {
  const args = [...NODE_TS, 'src/cli/keys.ts', 'create', '--name', 'fault-admin', '--role', 'ADMIN', '--clearance', 'GREEN', '--organisation', 'fault-org'];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } }, (error, stdout, stderr) =>
      error ? reject(new Error(`keys create failed: ${stderr}`)) : resolve(stdout.trim()),
    ),
  );
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(20);
  }
}

const started = Date.now();
main()
  .then(() => {
    const failed = checks.filter((c) => !c.ok);
    say(`\nfaults: ${checks.length - failed.length} of ${checks.length} checks hold (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    process.exit(failed.length ? 1 : 0);
  })
  .catch((error) => {
    console.error('faults: the suite could not run:', error);
    process.exit(1);
  });
