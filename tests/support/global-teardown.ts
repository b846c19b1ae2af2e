import { rmSync } from 'node:fs';
import type { EmbeddedServer } from '../../src/db/embedded';
import { TEMPLATE_DATABASE, withAdmin } from './test-database';

export default async function globalTeardown() {
  const embedded = (globalThis as Record<string, unknown>).__DOSSIER_TEST_PG__ as { server: EmbeddedServer; dir: string } | undefined;
  if (embedded) {
    await embedded.server.stop();
    rmSync(embedded.dir, { recursive: true, force: true });
  } else {
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`));
  }
}
