// Profiles the first import of the STIX benchmark's bundle (bench-stix-bundle.ts) on a PostgreSQL server of your own,
// in a fresh database each run: where the time goes, by statement (pg_stat_statements, nested statements included)
// and by trigger function (track_functions), and what the import takes with chosen triggers disabled.
//   DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres npm run -s profile:stix -- [--disable name,name] [--runs 1]
// The server needs shared_preload_libraries=pg_stat_statements, pg_stat_statements.track=all, track_functions=all for
// the breakdown; without them only the times are printed. --disable takes trigger names (any table that has one);
// --keep leaves the database (to explain its statements after).
import 'reflect-metadata';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { Marking } from '../src/common/marking';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { loadFixtures } from '../src/modules/fixture/fixture.loader';
import { createKey, identityOfKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { importerOf } from '../src/modules/import/import.service';
import { importStixBundle } from '../src/modules/stix/stix-import';
import { databaseCpu } from './bench-support';
import { generated } from './bench-stix-bundle';

const options = parseArgs({
  options: {
    objects: { type: 'string', default: '10000' },
    disable: { type: 'string', default: '' },
    runs: { type: 'string', default: '1' },
    top: { type: 'string', default: '25' },
    keep: { type: 'boolean', default: false },
  },
}).values;
const base = process.env.DATABASE_URL;
if (!base) throw new Error('DATABASE_URL: a server of your own, to create throwaway databases on');

async function once(run: number) {
  const name = `profile_stix_${process.pid}_${run}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base!);
  url.pathname = `/${name}`;
  const config = loadConfig({ ...process.env, DATABASE_URL: url.toString(), SCHEDULER: 'false', LOG_LEVEL: 'error', STATEMENT_TIMEOUT_MS: '120000' });
  const database = await openDatabase(config);
  try {
    const ds = database.dataSource;
    await loadFixtures(ds, join(__dirname, '..', 'fixtures', 'seed'));
    const { key } = await createKey(ds.manager, { name: 'profile', role: Role.ANALYST, clearance: Marking.AMBER, organisation: 'bench' });
    const viewer = (await identityOfKey(ds.manager, key))!;
    for (const trigger of options.disable.split(',').filter(Boolean)) {
      const tables: Array<{ t: string }> = await ds.query(`SELECT tgrelid::regclass::text AS t FROM pg_trigger WHERE tgname = $1`, [trigger]);
      if (!tables.length) throw new Error(`no trigger ${trigger}`);
      for (const { t } of tables) await ds.query(`ALTER TABLE ${t} DISABLE TRIGGER ${trigger}`);
    }
    const bundle = generated(Number(options.objects));
    const stats = (await ds.query<unknown[]>(`SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`)).length > 0 || (await tryExtension(ds));
    await ds.query(`VACUUM ANALYZE`);
    if (stats) await ds.query(`SELECT pg_stat_statements_reset()`);
    await ds.query(`SELECT pg_stat_reset()`);
    const cpu0 = await databaseCpu(ds);
    const start = process.hrtime.bigint();
    const cpuNode0 = process.cpuUsage();
    const report = await importStixBundle(ds, importerOf(viewer), bundle, { name: 'bench' });
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    const node = process.cpuUsage(cpuNode0);
    const cpu1 = await databaseCpu(ds);
    if (!report.applied) throw new Error(JSON.stringify(report.problems.slice(0, 5)));
    console.log(
      `run ${run}: ${s.toFixed(2)} s, ${Math.round(Number(options.objects) / s)} objects/s; node CPU ${((node.user + node.system) / 1e6).toFixed(2)} s, ` +
        `database CPU ${cpu0 === null || cpu1 === null ? '?' : (cpu1 - cpu0).toFixed(2)} s; disabled: ${options.disable || 'none'}`,
    );
    if (stats && run === 0) {
      const top: Array<{ calls: number; ms: number; toplevel: boolean; query: string }> = await ds.query(
        `SELECT calls::int, round(total_exec_time::numeric, 1)::float AS ms, toplevel, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         ORDER BY total_exec_time DESC LIMIT $1`,
        [Number(options.top)],
      );
      console.log('statements (ms, calls, top level or nested):');
      for (const t of top) console.log(`  ${t.ms.toFixed(1).padStart(8)} ${String(t.calls).padStart(6)} ${t.toplevel ? 'top ' : 'nest'} ${t.query}`);
      const functions: Array<{ funcname: string; calls: number; total: number; self: number }> = await ds.query(
        `SELECT funcname, calls::int, round(total_time::numeric, 1)::float AS total, round(self_time::numeric, 1)::float AS self
         FROM pg_stat_user_functions ORDER BY total_time DESC LIMIT $1`,
        [Number(options.top)],
      );
      console.log('functions (total ms, self ms, calls):');
      for (const f of functions)
        console.log(`  ${f.total.toFixed(1).padStart(8)} ${f.self.toFixed(1).padStart(8)} ${String(f.calls).padStart(6)} ${f.funcname}`);
    }
  } finally {
    await database.close();
    if (options.keep) console.log(`kept database ${name}`);
    else await admin.query(`DROP DATABASE ${name}`);
    await admin.end();
  }
}

async function tryExtension(ds: { query: (q: string) => Promise<unknown> }) {
  try {
    await ds.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
    return true;
  } catch {
    return false;
  }
}

(async () => {
  for (let run = 0; run < Number(options.runs); run++) await once(run);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
