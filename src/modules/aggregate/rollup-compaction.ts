import type { DataSource } from 'typeorm';
import { isDatabaseUnavailable, unavailableReason } from '../../db/unavailable';
import { logger } from '../../common/logger';

/**
 * Folds the rollups' delta rows (aggregate_rollup, change_rollup) into one row per key, and the actor totals' deltas
 * into the totals, every `intervalMs`, so reads stay short however much is written.
 * Any number of instances may do so at once: compaction only deletes rows it saw and inserts their sums, which is
 * safe alongside writers and alongside itself. A failed round (the database away) is logged and the next one runs.
 */
export function compactRollupEvery(dataSource: DataSource, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const round = () => {
    if (running) return;
    running = dataSource
      .query('SELECT compact_aggregate_rollup(), compact_change_rollup()')
      .catch((error: unknown) => {
        const why = isDatabaseUnavailable(error) ? `the database is away (${unavailableReason(error)})` : String(error);
        logger.warn(`aggregate rollup: compaction skipped, ${why}`);
      })
      .finally(() => (running = undefined));
  };
  const timer = setInterval(round, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
