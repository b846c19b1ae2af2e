import 'reflect-metadata';
import cluster from 'node:cluster';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { databaseUrl } from './db/database-url';
import { DatabaseStartError } from './db/start-errors';
import { installProcessGuard } from './process-guard';
import { logger } from './common/logger';
import { modeSummary } from './server/mode';
import { currentWorker, signalReady } from './cluster/worker';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'seed');
/** How long a stop waits for requests in flight. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The rest of the service, required once an embedded PostgreSQL is starting: a second of loading overlaps its start. */
const loadService = () => ({
  ...(require('./db/data-source') as typeof import('./db/data-source')),
  ...(require('./db/monitor') as typeof import('./db/monitor')),
  ...(require('./modules/brief-run/brief-scheduler') as typeof import('./modules/brief-run/brief-scheduler')),
  ...(require('./modules/delivery/delivery.settings') as typeof import('./modules/delivery/delivery.settings')),
  ...(require('./modules/fixture/fixture.loader') as typeof import('./modules/fixture/fixture.loader')),
  ...(require('./server/app') as typeof import('./server/app')),
  ...(require('./server/schema') as typeof import('./server/schema')),
});

async function main() {
  const started = process.hrtime.bigint();
  installProcessGuard();
  const config = loadConfig();
  logger.level = config.LOG_LEVEL;
  if (config.WORKERS > 1 && cluster.isPrimary) {
    const { runPrimary } = require('./cluster/primary') as typeof import('./cluster/primary');
    return runPrimary(config);
  }
  // An embedded PostgreSQL starts in processes of its own (initdb first, on a first start): once they run, the rest of
  // the service loads meanwhile.
  let embeddedStarting = () => {};
  const starting = new Promise<void>((resolve) => (embeddedStarting = resolve));
  const opening = openDatabase(config, (line) => logger.warn(line), embeddedStarting);
  await Promise.race([starting, opening]);
  const { databaseTimeouts, DatabaseMonitor, BriefScheduler, deliverySettings, loadFixtures, createApp, buildDossierSchema } = loadService();
  // The schema is built while the database is still on its way.
  const [database, schema] = await Promise.all([opening, buildDossierSchema()]);
  if (config.SEED) {
    const { loaded, unchanged } = await loadFixtures(database.dataSource, config.SEED_DIR ?? FIXTURE_DIR);
    logger.info(
      { loaded, unchanged: unchanged.length },
      `fixtures: ${loaded.length} loaded${loaded.length ? ` (${loaded.join(', ')})` : ''}, ${unchanged.length} unchanged`,
    );
  }
  const monitor = await new DatabaseMonitor(databaseUrl(config), {
    intervalMs: config.DATABASE_CHECK_INTERVAL_MS,
    timeoutMs: config.DATABASE_CHECK_TIMEOUT_MS,
    log: (line) => logger.warn(line),
  }).start();
  const scheduler = config.SCHEDULER
    ? await BriefScheduler.start(database.dataSource, {
        connectionString: databaseUrl(config),
        tickMs: config.SCHEDULER_TICK_MS,
        monitor,
        timeouts: databaseTimeouts(config),
        delivery: deliverySettings(config),
      })
    : undefined;
  const { app, attach, stop } = await createApp(config, schema, database.dataSource, {
    monitor,
    scheduler: scheduler && (() => scheduler.health()),
  });
  const server = app.listen(config.PORT, config.HOST, (error?: Error) => {
    // Express 5 hands a failed listen (a port in use) to this callback: a service that cannot listen must not say ready.
    if (error) {
      logger.fatal(`Dossier cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`);
      process.exit(1);
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const where = config.DATABASE_URL ? 'external PostgreSQL' : `embedded PostgreSQL in ${config.EMBEDDED_PG_DIR}`;
    const worker = currentWorker();
    if (worker) logger.info(`worker ${worker.index} (pid ${worker.pid}) ready in ${ms.toFixed(0)} ms`);
    else logger.info(`Dossier ready in ${ms.toFixed(0)} ms at http://${config.HOST}:${config.PORT} (GraphQL at /graphql, ${where})`);
    logger.info(`Dossier mode: ${modeSummary(config)}`);
    signalReady();
  });
  const webSockets = attach(server);
  const shutdown = async () => {
    // Subscribers are told the service is going away; requests in flight are answered before the database closes (for
    // at most SHUTDOWN_GRACE_MS).
    await webSockets.close();
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
  // A failed stop reaches the process guard, which logs it.
  // Once, whichever signal comes first: a worker of WORKERS=n gets the terminal's SIGINT and its primary's SIGTERM.
  let stopping: Promise<void> | undefined;
  const stopOnce = () => void (stopping ??= shutdown());
  process.once('SIGINT', stopOnce);
  process.once('SIGTERM', stopOnce);
}

main().catch((error) => {
  // Not imported on top: the fixture schema comes with much of the service, which main() loads later.
  const { FixtureError } = require('./modules/fixture/fixture.parse') as typeof import('./modules/fixture/fixture.parse');
  if (error instanceof ConfigError || error instanceof FixtureError || error instanceof DatabaseStartError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'Dossier could not start');
  process.exit(1);
});
