import type { EntityManager } from 'typeorm';

/** Runs not finished yet: never pruned, nor the runs their deltas will be computed against. */
const OPEN = `('QUEUED', 'RUNNING')`;

/**
 * Deletes the runs of a definition beyond its retention limits: all but the newest `keep_runs` (by occurrence, as
 * `briefRuns` lists them), and those scheduled more than `keep_days` ago. Kept whatever the limits say: runs still
 * queued or running, the run just finished, the newest successful run (the next run's delta is computed against it)
 * for each run still open, the successful run before it (its baseline), runs with deliveries still pending, and
 * each delivery target's last delivered run (what its next delivery is compared with). Runs in the caller's transaction, under a
 * lock per definition, so two runs finishing at once prune one after the other. Returns how many it deleted.
 */
export async function pruneRuns(em: EntityManager, definitionId: string, finishedRunId: string): Promise<number> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('brief_run_retention:' || $1, 0))`, [definitionId]);
  // TypeORM answers a DELETE with [rows, affected].
  const [, deleted] = await em.query<[unknown[], number]>(
    `WITH limits AS (SELECT keep_runs, keep_days FROM brief_definition WHERE id = $1 AND (keep_runs IS NOT NULL OR keep_days IS NOT NULL)),
     ranked AS (
       SELECT id, scheduled_for, row_number() OVER (ORDER BY scheduled_for DESC, id DESC) AS n FROM brief_run WHERE definition_id = $1
     ),
     baselines AS (
       (SELECT id FROM brief_run WHERE definition_id = $1 AND status = 'SUCCEEDED' ORDER BY scheduled_for DESC LIMIT 1)
       UNION
       SELECT b.id FROM brief_run o CROSS JOIN LATERAL (
         SELECT id FROM brief_run b WHERE b.definition_id = $1 AND b.status = 'SUCCEEDED' AND b.scheduled_for < o.scheduled_for
         ORDER BY b.scheduled_for DESC LIMIT 1) b
       WHERE o.definition_id = $1 AND o.status IN ${OPEN}
       UNION
       -- A run still to be delivered, and what each target last received (its onlyWhenChanged and delta baseline).
       SELECT run_id FROM brief_delivery WHERE state = 'PENDING' AND run_id IN (SELECT id FROM brief_run WHERE definition_id = $1)
       UNION
       SELECT last.run_id FROM delivery_target t CROSS JOIN LATERAL (
         SELECT run_id FROM brief_delivery x WHERE x.target_id = t.id AND x.state = 'DELIVERED' ORDER BY x.created_at DESC LIMIT 1) last
       WHERE t.definition_id = $1
     )
     DELETE FROM brief_run r USING ranked, limits
     WHERE r.id = ranked.id AND r.id <> $2
       AND (ranked.n > limits.keep_runs OR ranked.scheduled_for < now() - make_interval(days => limits.keep_days))
       -- On the row itself, so a run claimed meanwhile (FAILED to RUNNING) is rechecked as it is now, and kept.
       AND r.status NOT IN ${OPEN}
       AND r.id NOT IN (SELECT id FROM baselines)`,
    [definitionId, finishedRunId],
  );
  return deleted;
}
