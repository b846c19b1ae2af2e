import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import type { Marking } from '../../src/common/marking';
import { createKey } from '../../src/modules/identity/api-key.service';
import { Role } from '../../src/modules/identity/role';
import { createDataSource, databaseTimeouts } from '../../src/db/data-source';
import { createApp } from '../../src/server/app';
import { buildDossierSchema } from '../../src/server/schema';
import { createTestDatabase } from './test-database';

export interface GraphQLResponse {
  status: number;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any>; path?: unknown[] }> };
}

export interface TestServer {
  url: string;
  /** The API key `gql` sends: an ADMIN of organisation `test-org` with the clearance asked for (GREEN by default). */
  key: string;
  /** The same request as another identity, or anonymously (null). */
  gqlAs(key: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** The test database the server reads, for other clients of the same database. */
  databaseUrl: string;
  dataSource: DataSource;
  gql(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

let schema: Promise<GraphQLSchema> | undefined;
let keys = 0;

/**
 * The real service over HTTP on its own database cloned from the seeded template, or on another test server's
 * database (`sharedDatabaseUrl`, left in place when this one closes).
 */
export async function startTestServer(env: Record<string, string> = {}, sharedDatabaseUrl?: string): Promise<TestServer> {
  const database = sharedDatabaseUrl ? { url: sharedDatabaseUrl, drop: async () => undefined } : await createTestDatabase();
  // VIEWER_CLEARANCE is not a setting of the service: it picks the clearance of the key `gql` sends.
  const { VIEWER_CLEARANCE: clearance = 'GREEN', ...rest } = env;
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, ...rest });
  const dataSource = createDataSource(database.url, databaseTimeouts(config), config.DB_POOL_MAX, config.DB_PREPARED_STATEMENTS === 'on');
  await dataSource.initialize();
  keys += 1;
  const { key } = await createKey(dataSource.manager, {
    name: `tester-${clearance.toLowerCase()}-${process.pid}-${keys}`,
    role: Role.ADMIN,
    clearance: clearance as Marking,
    organisation: 'test-org',
  });
  schema ??= buildDossierSchema();
  const { app, attach, stop } = await createApp(config, await schema, dataSource);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  attach(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = async (as: string | null, query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${as}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: await res.json() };
  };
  return {
    url,
    databaseUrl: database.url,
    dataSource,
    key,
    gql: (query, variables) => post(key, query, variables),
    gqlAs: post,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await stop();
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}

/** Data of a response that must have no errors; fails the test with the errors otherwise. */
export function dataOf(response: GraphQLResponse) {
  if (response.body.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.body.errors, null, 2)}`);
  return response.body.data;
}
