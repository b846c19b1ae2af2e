import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';
import { SnakeNamingStrategy } from './naming-strategy';
import { StatementCounter } from './statement-counter';

/** Statements PostgreSQL cancels when they run longer: a backstop behind the query limits. */
const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

export function dataSourceOptions(url: string, statementTimeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    extra: { statement_timeout: statementTimeoutMs },
    entities,
    migrations,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: ['query'],
    logger: new StatementCounter(),
  };
}

export const createDataSource = (url: string, statementTimeoutMs?: number) => new DataSource(dataSourceOptions(url, statementTimeoutMs));
