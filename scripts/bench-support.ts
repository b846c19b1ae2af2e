// What the benchmarks share: a throwaway seeded database, the service over HTTP on it, and summaries of timings.
import 'reflect-metadata';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config } from '../src/config';
import { openDatabase } from '../src/db/database';
import { loadFixtures } from '../src/modules/fixture/fixture.loader';
import { createApp } from '../src/server/app';
import { buildDossierSchema } from '../src/server/schema';

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return `median ${percentile(s, 50).toFixed(2)} ms, p95 ${percentile(s, 95).toFixed(2)} ms, min ${s[0].toFixed(2)} ms (${s.length} runs)`;
};

/**
 * Runs `work` on a seeded throwaway embedded PostgreSQL (or DATABASE_URL when set), without the scheduler or the
 * response cache, and with the service served over HTTP at `url`. Exits the process with 1 on failure.
 */
export function benchmark(env: Record<string, string>, work: (dataSource: DataSource, url: string, config: Config) => Promise<void>): void {
  const run = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-'));
    chmodSync(dir, 0o755); // the embedded server runs as user postgres when we are root
    // The response cache off: a benchmark repeats one request, whose answer would otherwise come from the cache.
    const config = loadConfig({ ...process.env, EMBEDDED_PG_DIR: join(dir, 'pg'), SCHEDULER: 'false', RESPONSE_CACHE_BYTES: '0', ...env });
    const database = await openDatabase(config);
    try {
      await loadFixtures(database.dataSource, join(__dirname, '..', 'fixtures', 'seed'));
      const { app, attach, stop } = await createApp(config, await buildDossierSchema(), database.dataSource);
      const server = app.listen(0, '127.0.0.1');
      attach(server);
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        await work(database.dataSource, `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, config);
      } finally {
        server.close();
        await stop();
      }
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  run().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

/**
 * CPU seconds the database server has used so far (its postmaster, the children it reaped, and those running), when it
 * runs on this machine (/proc); null otherwise. The difference of two readings is what the server spent in between.
 */
export async function databaseCpu(dataSource: DataSource): Promise<number | null> {
  const ticks = (pid: number, fields: number[]) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    return { ppid: Number(rest[1]), ticks: fields.reduce((sum, f) => sum + Number(rest[f - 3]), 0) };
  };
  try {
    const [{ pid }] = await dataSource.query<Array<{ pid: number }>>('SELECT pg_backend_pid() AS pid');
    const postmaster = ticks(pid, []).ppid;
    let total = ticks(postmaster, [14, 15, 16, 17]).ticks;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const child = ticks(Number(entry), [14, 15]);
        if (child.ppid === postmaster) total += child.ticks;
      } catch {
        // gone meanwhile
      }
    }
    return total / 100; // USER_HZ
  } catch {
    return null;
  }
}
