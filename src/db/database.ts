import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { logger } from '../common/logger';
import type { Config } from '../config';
import type * as DataSourceModule from './data-source';
import { databaseUrl, EMBEDDED_DATABASE, redactedUrl } from './database-url';
import { EmbeddedServer, startEmbeddedPostgres } from './embedded';
import { DatabaseStartError, gaveUpWaiting, refusedStart } from './start-errors';
import { isDatabaseUnavailable, unavailableReason } from './unavailable';

export interface Database {
  dataSource: DataSource;
  close(): Promise<void>;
}

/** The database did not answer at start within DATABASE_WAIT_S. */
export class DatabaseUnavailableError extends DatabaseStartError {}

/**
 * Connects to DATABASE_URL, or starts the embedded server first; then applies pending migrations. A database that
 * refuses or does not answer is waited for (DATABASE_WAIT_S), saying so.
 */
export async function openDatabase(
  config: Config,
  log: (line: string) => void = (line) => logger.warn(line),
  onEmbeddedStarting?: () => void,
): Promise<Database> {
  let embedded: EmbeddedServer | undefined;
  if (!config.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({
      dir: config.EMBEDDED_PG_DIR,
      port: config.EMBEDDED_PG_PORT,
      databases: [EMBEDDED_DATABASE],
      onStarting: onEmbeddedStarting,
    });
  }
  const { createDataSource, databaseTimeouts } = dataSourceModule();
  const url = databaseUrl(config);
  const name = config.DATABASE_URL ? `DATABASE_URL ${redactedUrl(url)}` : `the embedded PostgreSQL at ${redactedUrl(url)}`;
  let dataSource: DataSource | undefined;
  try {
    dataSource = createDataSource(url, databaseTimeouts(config), config.DB_POOL_MAX, config.DB_PREPARED_STATEMENTS === 'on');
    await waitForDatabase(url, { name, waitSeconds: config.DATABASE_WAIT_S, timeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS, log });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    // A login refused, a database missing, a URL that cannot be read: said plainly, at once.
    throw refusedStart(error, name) ?? error;
  }
  return {
    dataSource,
    async close() {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/** Retries a database that is away, with backoff, until it answers `SELECT 1` or `waitSeconds` have passed. */
export async function waitForDatabase(
  url: string,
  options: { name: string; waitSeconds: number; timeoutMs: number; log: (line: string) => void },
): Promise<void> {
  const deadline = Date.now() + options.waitSeconds * 1000;
  for (let pause = 250, waited = false; ; pause = Math.min(pause * 2, 5_000)) {
    try {
      await probe(url, options.timeoutMs);
      if (waited) options.log(`database: ${options.name} answers`);
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new DatabaseUnavailableError(gaveUpWaiting(options.name, options.waitSeconds, unavailableReason(error)));
      }
      options.log(`database: waiting for ${options.name} (${unavailableReason(error)}); retrying for up to ${Math.ceil(left / 1000)} s`);
      waited = true;
      await sleep(Math.min(pause, left));
    }
  }
}

async function probe(url: string, timeoutMs: number): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined); // reported through connect or query
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    void client.end().catch(() => undefined);
  }
}

/**
 * For command-line tools: DATABASE_URL, or the embedded server the running service started, or (when none is running)
 * the embedded server started for the command.
 */
export async function connectDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) return openDatabase(config);
  const { createDataSource, databaseTimeouts } = dataSourceModule();
  const dataSource = createDataSource(databaseUrl(config), databaseTimeouts(config));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return { dataSource, close: () => dataSource.destroy() };
  } catch (error) {
    if ((error as { code?: string }).code !== 'ECONNREFUSED') throw error;
    return openDatabase(config);
  }
}

/**
 * TypeORM with every entity, required on first use rather than on import: main.ts starts the embedded server first and
 * loads this (half a second) while the server starts.
 */
const dataSourceModule = () => require('./data-source') as typeof DataSourceModule;
