import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from '../../src/db/data-source';
import { EMBEDDED_PASSWORD, EMBEDDED_USER } from '../../src/db/database-url';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { loadFixtures } from '../../src/modules/fixture/fixture.loader';
import { adminUrl, databaseUrl, TEMPLATE_DATABASE, withAdmin } from './test-database';
import { freePort } from './free-port';

/**
 * Starts a throwaway embedded PostgreSQL (or uses DATABASE_URL), and builds the template database every test
 * file clones: migrated and loaded with the fixtures.
 */
export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.DOSSIER_TEST_ADMIN_URL = process.env.DATABASE_URL;
  } else {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'dossier-test-pg-'));
    const server = await startEmbeddedPostgres({ dir, port, databases: [], throwaway: true });
    (globalThis as Record<string, unknown>).__DOSSIER_TEST_PG__ = { server, dir };
    process.env.DOSSIER_TEST_ADMIN_URL = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  }
  adminUrl();
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  });
  const dataSource = createDataSource(databaseUrl(TEMPLATE_DATABASE));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    await loadFixtures(dataSource, join(__dirname, '..', '..', 'fixtures', 'seed'));
  } finally {
    await dataSource.destroy();
  }
}
