import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';
import { SnakeNamingStrategy } from './naming-strategy';
import { StatementCounter } from './statement-counter';

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: ['query'],
    logger: new StatementCounter(),
  };
}

export const createDataSource = (url: string) => new DataSource(dataSourceOptions(url));
