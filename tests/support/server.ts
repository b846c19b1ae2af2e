import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import { createApp } from '../../src/server/app';
import { buildDossierSchema } from '../../src/server/schema';
import { createTestDatabase } from './test-database';

export interface GraphQLResponse {
  status: number;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any>; path?: unknown[] }> };
}

export interface TestServer {
  url: string;
  /** The test database the server reads, for other clients of the same database. */
  databaseUrl: string;
  dataSource: DataSource;
  gql(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

let schema: Promise<GraphQLSchema> | undefined;

/**
 * The real service over HTTP on its own database cloned from the seeded template, or on another test server's
 * database (`sharedDatabaseUrl`, left in place when this one closes).
 */
export async function startTestServer(env: Record<string, string> = {}, sharedDatabaseUrl?: string): Promise<TestServer> {
  const database = sharedDatabaseUrl ? { url: sharedDatabaseUrl, drop: async () => undefined } : await createTestDatabase();
  const dataSource = createDataSource(database.url);
  await dataSource.initialize();
  const config = loadConfig({ NODE_ENV: 'test', VIEWER_CLEARANCE: 'GREEN', DATABASE_URL: database.url, ...env });
  schema ??= buildDossierSchema();
  const { app, stop } = await createApp(config, await schema, dataSource);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    databaseUrl: database.url,
    dataSource,
    async gql(query, variables) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() };
    },
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
