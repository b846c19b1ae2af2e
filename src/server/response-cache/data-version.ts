import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The data version (migration TrackDataVersion): changes whenever a transaction that wrote any row a read may look
 * at has committed, read in one statement so it names one snapshot. A response computed between two equal readings
 * is the answer for every request that reads the same version.
 */
export async function readDataVersion(dataSource: DataSource): Promise<string> {
  // A named statement: it is sent before every cached answer, so it is kept cheap.
  return (await cacheQuery<{ v: string }>(dataSource, VERSION))[0].v;
}

/**
 * A query of the cache's own, straight to the pool: it is no statement of the operation being answered, so it is
 * neither counted nor logged as one.
 */
export async function cacheQuery<T>(dataSource: DataSource, query: { name?: string; text: string }): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master?: Pick<Pool, 'query'> }).master;
  if (pool) return (await pool.query(query)).rows as T[];
  return dataSource.query<T[]>(query.text);
}

const VERSION = { name: 'dossier_data_version', text: 'SELECT data_version() AS v' };

/**
 * Forgets the writers below the newest one: the version only reads the newest, and the transactions still running
 * come from the snapshot, not from this table. Deleting those rows never changes a version.
 */
export function pruneDataWritesEvery(dataSource: DataSource, ms: number): { stop: () => void } {
  const timer = setInterval(() => {
    dataSource.query('DELETE FROM data_write WHERE tx < (SELECT max(tx) FROM data_write)').catch(() => undefined);
  }, ms);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
