import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createDataSource } from './data-source';
import { databaseUrl, EMBEDDED_DATABASE } from './database-url';
import { EmbeddedServer, startEmbeddedPostgres } from './embedded';

export interface Database {
  dataSource: DataSource;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded server first; then applies pending migrations. */
export async function openDatabase(config: Config): Promise<Database> {
  let embedded: EmbeddedServer | undefined;
  if (!config.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({
      dir: config.EMBEDDED_PG_DIR,
      port: config.EMBEDDED_PG_PORT,
      databases: [EMBEDDED_DATABASE],
    });
  }
  const dataSource = createDataSource(databaseUrl(config), config.STATEMENT_TIMEOUT_MS);
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    async close() {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/**
 * For command-line tools: DATABASE_URL, or the embedded server the running service started, or (when none is running)
 * the embedded server started for the command.
 */
export async function connectDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) return openDatabase(config);
  const dataSource = createDataSource(databaseUrl(config));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return { dataSource, close: () => dataSource.destroy() };
  } catch (error) {
    if ((error as { code?: string }).code !== 'ECONNREFUSED') throw error;
    return openDatabase(config);
  }
}
