// Shared settings of the bench's own targets: DATABASE_URL (set by bench.mjs), else perf_dossier_<BENCH_DB>.
import pg from 'pg';

export const DB = process.env.BENCH_DB || 'small';
export const POOL_MAX = Number(process.env.POOL_MAX || 10);
export const PORT = Number(process.env.PORT || 4110);
export const CONNECTION_STRING = process.env.DATABASE_URL || `postgres://postgres@127.0.0.1:5432/perf_dossier_${DB}`;

export function makePool() {
  return new pg.Pool({ connectionString: CONNECTION_STRING, max: POOL_MAX });
}
