import type { EntityManager } from 'typeorm';

/** Records, in the transaction that finishes a run, one PENDING delivery per target of its definition. */
export async function recordDeliveries(em: EntityManager, runId: string): Promise<void> {
  await em.query(
    `INSERT INTO brief_delivery (id, run_id, target_id, kind, target, clearance, state)
     SELECT gen_random_uuid(), r.id, t.id, t.kind, t.label, t.clearance, 'PENDING'
     FROM brief_run r JOIN delivery_target t ON t.definition_id = r.definition_id
     WHERE r.id = $1
     ON CONFLICT DO NOTHING`,
    [runId],
  );
}
