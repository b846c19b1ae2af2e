// Benchmark: how long composing the DPRK brief takes, and how many SQL statements it sends.
// Prints figures; it asserts nothing. Uses a throwaway embedded PostgreSQL, or DATABASE_URL when set.
//   npm run bench:brief [-- --runs 500]
import 'reflect-metadata';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { statementCount } from '../src/db/statement-counter';
import { Marking } from '../src/common/marking';
import { ANONYMOUS } from '../src/common/viewer';
import { composeFor } from '../src/modules/brief/brief.service';
import { loadFixtures } from '../src/modules/fixture/fixture.loader';
import { createApp } from '../src/server/app';
import { buildDossierSchema } from '../src/server/schema';
import { summary } from './bench-support';

const { runs } = parseArgs({ options: { runs: { type: 'string', default: '300' } } }).values;
const RUNS = Number(runs);
const input = { topics: ['dprk-troops-in-russia'] };

async function timed(work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i += 1) await work(); // warm-up: JIT, connection pool, PostgreSQL plan cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-'));
  chmodSync(dir, 0o755); // the embedded server runs as user postgres when we are root
  const config = loadConfig({ ...process.env, EMBEDDED_PG_DIR: join(dir, 'pg'), EMBEDDED_PG_PORT: '54339', SCHEDULER: 'false' });
  const database = await openDatabase(config);
  try {
    await loadFixtures(database.dataSource, join(__dirname, '..', 'fixtures', 'seed'));
    const viewer = { ...ANONYMOUS, clearance: Marking.GREEN };

    const before = statementCount();
    const { brief } = await composeFor(database.dataSource, viewer, input);
    console.log(`DPRK brief: ${brief.statementCount} statements in scope, ${brief.markdown.length} bytes of Markdown`);
    console.log(`SQL statements per compose: ${statementCount() - before}`);
    console.log(`compose in process (read, compose, render Markdown and HTML): ${summary(await timed(() => composeFor(database.dataSource, viewer, input)))}`);

    const { app, stop } = await createApp(config, await buildDossierSchema(), database.dataSource);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const body = JSON.stringify({ query: 'query($input: BriefInput!) { brief(input: $input) { markdown contentHash } }', variables: { input } });
    const post = async () => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.json();
    };
    console.log(`brief { markdown } over HTTP: ${summary(await timed(post))}`);
    server.close();
    await stop();
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
