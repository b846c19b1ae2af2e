import 'reflect-metadata';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { databaseTimeouts } from './db/data-source';
import { openDatabase } from './db/database';
import { databaseUrl } from './db/database-url';
import { DatabaseMonitor } from './db/monitor';
import { DatabaseStartError } from './db/start-errors';
import { BriefScheduler } from './modules/brief-run/brief-scheduler';
import { loadFixtures } from './modules/fixture/fixture.loader';
import { FixtureError } from './modules/fixture/fixture.parse';
import { installProcessGuard } from './process-guard';
import { createApp } from './server/app';
import { modeSummary } from './server/mode';
import { buildDossierSchema } from './server/schema';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'seed');
/** How long a stop waits for requests in flight. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  const started = process.hrtime.bigint();
  installProcessGuard();
  const config = loadConfig();
  const database = await openDatabase(config);
  if (config.SEED) {
    const { loaded, unchanged } = await loadFixtures(database.dataSource, FIXTURE_DIR);
    console.log(`fixtures: ${loaded.length} loaded${loaded.length ? ` (${loaded.join(', ')})` : ''}, ${unchanged.length} unchanged`);
  }
  const monitor = await new DatabaseMonitor(databaseUrl(config), {
    intervalMs: config.DATABASE_CHECK_INTERVAL_MS,
    timeoutMs: config.DATABASE_CHECK_TIMEOUT_MS,
    log: console.error,
  }).start();
  const scheduler = config.SCHEDULER
    ? await BriefScheduler.start(database.dataSource, {
        connectionString: databaseUrl(config),
        tickMs: config.SCHEDULER_TICK_MS,
        monitor,
        timeouts: databaseTimeouts(config),
      })
    : undefined;
  const { app, stop } = await createApp(config, await buildDossierSchema(), database.dataSource, {
    monitor,
    scheduler: scheduler && (() => scheduler.health()),
  });
  const server = app.listen(config.PORT, config.HOST, (error?: Error) => {
    // Express 5 hands a failed listen (a port in use) to this callback: a service that cannot listen must not say ready.
    if (error) {
      console.error(`Dossier cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`);
      process.exit(1);
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const where = config.DATABASE_URL ? 'external PostgreSQL' : `embedded PostgreSQL in ${config.EMBEDDED_PG_DIR}`;
    console.log(`Dossier ready in ${ms.toFixed(0)} ms at http://${config.HOST}:${config.PORT} (GraphQL at /graphql, ${where})`);
    console.log(`Dossier mode: ${modeSummary(config)}`);
  });
  const shutdown = async () => {
    // Requests in flight are answered before the database closes (for at most SHUTDOWN_GRACE_MS).
    await new Promise((resolve) => {
      server.close(resolve);
      server.closeIdleConnections();
      setTimeout(resolve, SHUTDOWN_GRACE_MS).unref();
    });
    await scheduler?.stop();
    await stop();
    await monitor.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof FixtureError || error instanceof DatabaseStartError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
