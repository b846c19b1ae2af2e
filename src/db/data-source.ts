import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { type Config, loadConfig } from '../config';
import { TimeoutSafeClient } from './client';
import { ChangeAuthorSubscriber } from '../modules/history/change-author';
import { entities } from './entities';
import { migrations } from './migrations';
import { SnakeNamingStrategy } from './naming-strategy';
import { StatementCounter } from './statement-counter';

/** How long the service waits on the database, in milliseconds (see Configuration in the README). */
export interface DatabaseTimeouts {
  /** The server cancels a statement running longer: a backstop behind the query limits. */
  statement: number;
  /** Connecting, and waiting for a pooled connection. */
  connect: number;
  /** A query with no answer (a silent or frozen server): its connection is closed. */
  query: number;
  /** The server ends a session idle inside a transaction this long. */
  idleInTransaction: number;
}

export const databaseTimeouts = (config: Config): DatabaseTimeouts => ({
  statement: config.STATEMENT_TIMEOUT_MS,
  connect: config.DATABASE_CONNECT_TIMEOUT_MS,
  query: config.DATABASE_QUERY_TIMEOUT_MS,
  idleInTransaction: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
});

/** node-postgres settings for every pool of the service (TypeORM's and pg-boss's). */
export const poolSettings = (timeouts: DatabaseTimeouts) => ({
  Client: TimeoutSafeClient,
  statement_timeout: timeouts.statement,
  query_timeout: timeouts.query,
  connectionTimeoutMillis: timeouts.connect,
  idle_in_transaction_session_timeout: timeouts.idleInTransaction,
  // Notices a peer that vanished without closing (a host gone, a dropped network) on idle connections.
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
  // No JIT: the service's statements are short, and compiling a large one (a search over every table) took seconds.
  // Parallel workers only where the plan is big: starting them cost a search of a few rows 100 ms on a busy host.
  options: '-c jit=off -c parallel_setup_cost=10000',
});

/**
 * `poolMax`: connections of the query pool (DB_POOL_MAX; node-postgres's default 10 when not given); `prepared`: whether
 * its clients send repeated read statements as named prepared statements (DB_PREPARED_STATEMENTS).
 */
export function dataSourceOptions(
  url: string,
  timeouts: DatabaseTimeouts = databaseTimeouts(loadConfig({})),
  poolMax?: number,
  prepared = true,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    extra: { ...poolSettings(timeouts), ...(poolMax ? { max: poolMax } : {}), preparedStatements: prepared },
    entities,
    migrations,
    // Sets who makes each change, and why, for the history (modules/history).
    subscribers: [ChangeAuthorSubscriber],
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: ['query'],
    logger: new StatementCounter(),
  };
}

export const createDataSource = (url: string, timeouts?: DatabaseTimeouts, poolMax?: number, prepared?: boolean) =>
  new DataSource(dataSourceOptions(url, timeouts, poolMax, prepared));
