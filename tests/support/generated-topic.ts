import type { DataSource } from 'typeorm';

/** A topic `generated-<size>` with `size` actors, each with a capability, a challenge, an event and an implication, all cited. */
export async function addGeneratedTopic(dataSource: DataSource, size: number) {
  await dataSource.query(
    `WITH t AS (INSERT INTO topic (id, slug, title, summary) VALUES (gen_random_uuid(), $1, $1, 'generated') RETURNING id),
     src AS (INSERT INTO source (id, name, kind, reliability) VALUES (gen_random_uuid(), $1, 'MEDIA_REPORT', 'C') RETURNING id),
     a AS (INSERT INTO actor (id, name, kind) SELECT gen_random_uuid(), $1 || ' actor ' || n, 'STATE' FROM generate_series(1, $2) n RETURNING id),
     ta AS (INSERT INTO topic_actor SELECT t.id, a.id FROM t, a),
     cap AS (INSERT INTO capability (id, topic_id, actor_id, category, statement) SELECT gen_random_uuid(), t.id, a.id, 'MANPOWER', 'can' FROM t, a RETURNING id),
     cha AS (INSERT INTO challenge (id, topic_id, actor_id, category, statement) SELECT gen_random_uuid(), t.id, a.id, 'LANGUAGE', 'cannot' FROM t, a RETURNING id),
     ev AS (INSERT INTO event (id, topic_id, title, occurred_on, precision) SELECT gen_random_uuid(), t.id, 'happened', '2024-08-01', 'MONTH' FROM t, a RETURNING id),
     ea AS (INSERT INTO event_actor SELECT ev.id, (SELECT id FROM a LIMIT 1) FROM ev),
     im AS (INSERT INTO implication (id, topic_id, statement, likelihood, confidence, scope, horizon) SELECT gen_random_uuid(), t.id, 'means', 'LIKELY', 'LOW', 'GLOBAL', 'LONG_TERM' FROM t, a RETURNING id),
     ia AS (INSERT INTO implication_actor SELECT im.id, (SELECT id FROM a LIMIT 1) FROM im)
     INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id, challenge_id, implication_id, event_id)
       SELECT gen_random_uuid(), src.id, 'REPORTS', 'q', 3, x.capability_id, x.challenge_id, x.implication_id, x.event_id FROM src, (
         SELECT id AS capability_id, NULL::uuid AS challenge_id, NULL::uuid AS implication_id, NULL::uuid AS event_id FROM cap
         UNION ALL SELECT NULL, id, NULL, NULL FROM cha
         UNION ALL SELECT NULL, NULL, id, NULL FROM im
         UNION ALL SELECT NULL, NULL, NULL, id FROM ev) x`,
    [`generated-${size}`, size],
  );
}
