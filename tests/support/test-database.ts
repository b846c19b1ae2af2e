import { Client } from 'pg';

// Where the test cluster is: set by global-setup (embedded server, or DATABASE_URL when given).
export const TEMPLATE_DATABASE = 'dossier_template';

export function adminUrl(): string {
  const url = process.env.DOSSIER_TEST_ADMIN_URL;
  if (!url) throw new Error('DOSSIER_TEST_ADMIN_URL is not set: run the tests through jest (its global setup starts PostgreSQL)');
  return url;
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let created = 0;

/** A fresh database cloned from the migrated, seeded template: each test file gets its own. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  created += 1;
  const name = `dossier_test_${process.pid}_${created}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
