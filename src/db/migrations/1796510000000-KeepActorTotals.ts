// Totals per actor for `distribution(of: ACTOR, top: N)`: with a row per actor, summing the rollup's ACTOR rows
// (500,000 at a million statements) took as long as scanning the statements. src/modules/aggregate/actor-totals.ts
// reads what this keeps.
//
// A reader cleared for CLEAR, GREEN or AMBER (AMBER+STRICT and RED readers too) reads every item marked at most that,
// whatever its organisation or audience (read/access.ts, clearedMarking). So a statement's count for actor A is, for
// every reader of one such class c, the contributions whose statement and actor are both marked at most c:
// `actor_total` (topic, class, actor, n) holds them per topic and for every topic (topic_id all zeros), ordered by an
// index on (topic, class, n DESC, actor), so the top N are its first N rows. The rest is kept apart, per key:
// - `actor_total_special`: contributions whose statement or actor is AMBER+STRICT or RED, per (topic, actor,
//   statement key, actor key); a reader adds those whose keys it may see (few readers see any, and they are few);
// - `actor_total_delta`: what writes changed since the last compaction, per (topic, actor, level), level being the
//   higher of the two markings; writers only insert (none waits on another's total) and compaction folds them in.
// A reader's count of A is its total plus its deltas and its special rows; actors with deltas or special rows are
// counted so, and every other actor's total is exact, so the top N are exact (see actor-totals.ts).
//
// The refresh functions of RollupActorsAndPublishers are redefined to write these instead of the rollup's ACTOR rows
// (their contributions are copied here as they were then; statement_contributions keeps its ACTOR values).
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The kinds of statement as RollupActorsAndPublishers refreshes them (copied, so that migration stays as it landed). */
interface Kind {
  kind: string;
  table: string;
  cited: string;
  own: string;
  columns: string;
  actors: string;
}
const IN_IDS = '= ANY($1)';
const JOIN_IDS = 'IN (SELECT unnest($1::uuid[]))';
const STATE = 'marking, organisation, audience, retracted_at, topic_id';
const KINDS: Kind[] = [
  {
    kind: 'CAPABILITY',
    table: 'capability',
    cited: 'capability_id',
    own: `SELECT id, 'CATEGORY', category, NULL::uuid[] FROM st`,
    columns: `${STATE}, category, actor_id`,
    actors: 'SELECT id, actor_id FROM st',
  },
  {
    kind: 'CHALLENGE',
    table: 'challenge',
    cited: 'challenge_id',
    own: `SELECT id, 'CATEGORY', category, NULL::uuid[] FROM st`,
    columns: `${STATE}, category, actor_id`,
    actors: 'SELECT id, actor_id FROM st',
  },
  {
    kind: 'IMPLICATION',
    table: 'implication',
    cited: 'implication_id',
    own: `SELECT id, 'LIKELIHOOD', likelihood::text, NULL::uuid[] FROM st UNION ALL SELECT id, 'CONFIDENCE', confidence::text, NULL FROM st`,
    columns: `${STATE}, likelihood, confidence`,
    actors: `SELECT implication_id, actor_id FROM implication_actor WHERE implication_id ${IN_IDS}`,
  },
  {
    kind: 'EVENT',
    table: 'event',
    cited: 'event_id',
    own: `SELECT id, 'EVENT_DATE', to_char(occurred_on, 'YYYY-MM-DD') || ' ' || precision::text, NULL::uuid[] FROM st`,
    columns: `${STATE}, occurred_on, precision`,
    actors: `SELECT event_id, actor_id FROM event_actor WHERE event_id ${IN_IDS}`,
  },
  {
    kind: 'RELATION',
    table: 'actor_relation',
    cited: 'relation_id',
    own: `SELECT id, 'RELATION_TYPE', type, NULL::uuid[] FROM st`,
    columns: `${STATE}, type, from_actor_id, to_actor_id`,
    actors: 'SELECT id, from_actor_id FROM st UNION SELECT id, to_actor_id FROM st',
  },
];

/** All zeros: the topic_id of totals over every topic (no topic has it). */
const EVERY_TOPIC = `'00000000-0000-0000-0000-000000000000'::uuid`;
/** The classes of readers totals are kept for, and the highest of them. */
const CLASSES = `'{CLEAR,GREEN,AMBER}'::tlp_marking[]`;
const COMMON = `'AMBER'::tlp_marking`;

const refreshFunction = (k: Kind) => `refresh_${k.kind.toLowerCase()}_contributions`;

/** As in RollupActorsAndPublishers: `st`, `cit`, `act`, `grouped` ... and `new`, the statements' new contributions. */
function contributions(k: Kind) {
  const branches = [
    `SELECT id, 'MARKING', marking::text, NULL::uuid[] FROM st`,
    `SELECT id, 'TOPIC', topic_id::text, NULL FROM st`,
    `SELECT sid, 'SOURCE', source_id::text, keys FROM cit`,
    `SELECT sid, 'RELIABILITY', reliability::text, keys FROM cit`,
    `SELECT sid, 'CREDIBILITY', credibility::text, keys FROM cit`,
    `SELECT sid, 'REPORT_DATE_' || upper(i), to_char(date_trunc(i, published_on::timestamp), 'YYYY-MM-DD'), keys
       FROM cit, unnest(ARRAY['day', 'week', 'month', 'quarter', 'year']) i WHERE published_on IS NOT NULL`,
    `SELECT sid, 'PUBLISHER', publisher_id::text, access_key_set(ARRAY[c_key, s_key, p_key]) FROM cit WHERE publisher_id IS NOT NULL`,
    `SELECT sid, 'ACTOR', id::text, ARRAY[key] FROM act`,
    `SELECT sid, 'ACTOR_KIND', kind, ARRAY[key] FROM act`,
    k.own,
  ];
  return `st AS (SELECT id, ${k.columns}, access_key_id(marking, organisation, audience) AS st_key FROM ${k.table} WHERE id ${IN_IDS} AND retracted_at IS NULL),
    cit AS (SELECT *, access_keys(c_key, s_key) AS keys FROM (
      SELECT c.${k.cited} AS sid, c.source_id, c.credibility, s.reliability, s.published_on, s.publisher_id,
        c.marking AS c_marking, c.organisation AS c_organisation, c.audience AS c_audience, s.marking AS s_marking, s.organisation AS s_organisation,
        s.audience AS s_audience, p.marking AS p_marking, p.organisation AS p_organisation, p.audience AS p_audience,
        access_key_id(c.marking, c.organisation, c.audience) AS c_key, access_key_id(s.marking, s.organisation, s.audience) AS s_key,
        access_key_id(p.marking, p.organisation, p.audience) AS p_key
      FROM citation c JOIN source s ON s.id = c.source_id LEFT JOIN actor p ON p.id = s.publisher_id
      WHERE c.${k.cited} ${IN_IDS} AND c.retracted_at IS NULL AND s.retracted_at IS NULL) c),
    act AS (SELECT l.sid, x.id, x.kind, x.marking, x.organisation, x.audience, access_key_id(x.marking, x.organisation, x.audience) AS key
      FROM (${k.actors}) l (sid, actor_id) JOIN actor x ON x.id = l.actor_id),
    raw (sid, field, value, keys) AS (${branches.join('\n      UNION ALL ')}),
    grouped AS (SELECT sid, field, value, string_agg(DISTINCT keys::text, ';' ORDER BY keys::text) AS alternatives FROM raw GROUP BY 1, 2, 3),
    new_keys AS (INSERT INTO access_key (id, marking, organisation, audience)
      SELECT DISTINCT access_key_id(m, o, a), m, coalesce(o, ''), a FROM (
        SELECT marking, organisation, audience FROM st
        UNION SELECT c_marking, c_organisation, c_audience FROM cit
        UNION SELECT s_marking, s_organisation, s_audience FROM cit
        UNION SELECT p_marking, p_organisation, p_audience FROM cit WHERE publisher_id IS NOT NULL
        UNION SELECT marking, organisation, audience FROM act) x (m, o, a)
      ON CONFLICT DO NOTHING),
    new_sets AS (INSERT INTO access_set (id, alternatives)
      SELECT DISTINCT md5(alternatives)::uuid, alternatives FROM grouped WHERE alternatives IS NOT NULL
      ON CONFLICT DO NOTHING RETURNING id, alternatives),
    new_alternatives AS (INSERT INTO access_alternative (set_id, keys)
      SELECT id, alternative::uuid[] FROM new_sets, unnest(string_to_array(alternatives, ';')) alternative),
    new AS (INSERT INTO statement_contributions (statement_id, kind, topic_id, st_key, fields, vals, sets)
      SELECT g.sid, '${k.kind}', st.topic_id, st.st_key, array_agg(g.field), array_agg(g.value), array_agg(md5(g.alternatives)::uuid)
      FROM grouped g JOIN st ON st.id = g.sid GROUP BY g.sid, st.topic_id, st.st_key
      RETURNING *)`;
}

const deltas = (contributions: string, n: number) => `SELECT u.field, c.kind, u.value, c.topic_id, c.st_key, u.set_id, ${n} AS n
  FROM ${contributions} c, unnest(c.fields, c.vals, c.sets) u (field, value, set_id)`;

/**
 * The ACTOR contributions of statement_contributions rows `rows`, with the markings of their statement's key and of
 * the actor's (the only key of the ACTOR access set), as (topic_id, actor_id, st_key, st_marking, actor_key,
 * actor_marking). The keys must be committed (or written by an earlier statement): new ones are read from st and act.
 */
const storedActors = (rows: string) => `SELECT o.topic_id, u.value::uuid, o.st_key, sk.marking, ak.id, ak.marking
  FROM ${rows} o CROSS JOIN LATERAL unnest(o.fields, o.vals, o.sets) u (field, value, set_id)
  JOIN access_key sk ON sk.id = o.st_key JOIN access_alternative x ON x.set_id = u.set_id JOIN access_key ak ON ak.id = x.keys[1]
  WHERE u.field = 'ACTOR'`;

/** Contributions `c` (with `n`) written as total deltas and special rows; a CTE list, the caller's last statement follows. */
const actorRows = (c: string) => `common AS (INSERT INTO actor_total_delta (topic_id, actor_id, level, n)
    SELECT topic_id, actor_id, greatest(st_marking, actor_marking), sum(n) FROM ${c} WHERE greatest(st_marking, actor_marking) <= ${COMMON}
    GROUP BY 1, 2, 3 HAVING sum(n) <> 0),
  special AS (INSERT INTO actor_total_special (topic_id, actor_id, st_key, actor_key, n)
    SELECT topic_id, actor_id, st_key, actor_key, sum(n) FROM ${c} WHERE greatest(st_marking, actor_marking) > ${COMMON}
    GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0)`;

/**
 * Subtracts what the statements `ids` contributed, adds what they contribute now (as RollupActorsAndPublishers), the
 * ACTOR contributions into the actor totals, netted per key first (a statement re-cited writes none), the other
 * fields into the rollup.
 */
function refreshSql(k: Kind) {
  return `CREATE OR REPLACE FUNCTION ${refreshFunction(k)}(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
      IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
      EXECUTE 'SELECT FROM ${k.table} WHERE id ${IN_IDS} ORDER BY id FOR NO KEY UPDATE' USING ids;
      EXECUTE $q$ WITH ${contributions(k)},
        old AS (DELETE FROM statement_contributions WHERE statement_id ${JOIN_IDS} RETURNING *),
        actor_change (topic_id, actor_id, st_key, st_marking, actor_key, actor_marking, n) AS (
          SELECT topic_id, actor_id, st_key, st_marking, actor_key, actor_marking, sum(n) FROM (
            SELECT st.topic_id, a.id, st.st_key, st.marking, a.key, a.marking, 1 FROM (SELECT DISTINCT sid, id, key, marking FROM act) a JOIN st ON st.id = a.sid
            UNION ALL SELECT *, -1 FROM (${storedActors('old')}) o) c (topic_id, actor_id, st_key, st_marking, actor_key, actor_marking, n)
          GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0),
        ${actorRows('actor_change')}
        INSERT INTO aggregate_rollup (field, kind, value, topic_id, st_key, set_id, n)
          SELECT field, kind, value, topic_id, st_key, set_id, sum(n) FROM (${deltas('old', -1)} UNION ALL ${deltas('new', 1)}) d
          WHERE field <> 'ACTOR' GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 $q$ USING ids;
    END $fn$`;
}

/** The refresh function as RollupActorsAndPublishers defined it (for down). */
function previousRefreshSql(k: Kind) {
  return `CREATE OR REPLACE FUNCTION ${refreshFunction(k)}(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
      IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
      EXECUTE 'SELECT FROM ${k.table} WHERE id ${IN_IDS} ORDER BY id FOR NO KEY UPDATE' USING ids;
      EXECUTE $q$ WITH ${contributions(k)},
        old AS (DELETE FROM statement_contributions WHERE statement_id ${JOIN_IDS} RETURNING *)
        INSERT INTO aggregate_rollup (field, kind, value, topic_id, st_key, set_id, n)
          SELECT field, kind, value, topic_id, st_key, set_id, sum(n) FROM (${deltas('old', -1)} UNION ALL ${deltas('new', 1)}) d
          GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 $q$ USING ids;
    END $fn$`;
}

/** The rollup's compaction (as RollupActorsAndPublishers has it): only keys with several rows or a zero sum. */
const ROLLUP_COMPACTION = `WITH folded AS (SELECT array_agg(ctid) AS rows FROM aggregate_rollup GROUP BY field, kind, value, topic_id, st_key, set_id
      HAVING count(*) > 1 OR sum(n) = 0),
    gone AS (DELETE FROM aggregate_rollup WHERE ctid = ANY(ARRAY(SELECT unnest(rows) FROM folded)) RETURNING *)
  INSERT INTO aggregate_rollup SELECT field, kind, value, topic_id, st_key, set_id, sum(n) FROM gone GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0`;

/**
 * Deltas (topic_id, actor_id, level, n) in `rows` as total rows: for their topic and every topic, for each class at
 * least their level, summed.
 */
const expanded = (rows: string) => `SELECT s.topic_id, c.class, d.actor_id, sum(d.n) AS n FROM ${rows} d
  CROSS JOIN LATERAL (VALUES (d.topic_id), (${EVERY_TOPIC})) s (topic_id) JOIN unnest(${CLASSES}) c (class) ON c.class >= d.level
  GROUP BY 1, 2, 3`;

export class KeepActorTotals1796510000000 implements MigrationInterface {
  name = 'KeepActorTotals1796510000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE TABLE actor_total (topic_id uuid NOT NULL, class tlp_marking NOT NULL, actor_id uuid NOT NULL, n bigint NOT NULL,
      PRIMARY KEY (topic_id, class, actor_id))`);
    await q(`CREATE INDEX actor_total_top ON actor_total (topic_id, class, n DESC, actor_id)`);
    // Totals folded to nothing are deleted after each compaction; this finds them.
    await q(`CREATE INDEX actor_total_none ON actor_total (topic_id) WHERE n = 0`);
    await q(`CREATE TABLE actor_total_delta (topic_id uuid NOT NULL, actor_id uuid NOT NULL, level tlp_marking NOT NULL, n bigint NOT NULL)`);
    await q(`CREATE TABLE actor_total_special (topic_id uuid NOT NULL, actor_id uuid NOT NULL, st_key uuid NOT NULL, actor_key uuid NOT NULL,
      n bigint NOT NULL)`);
    for (const table of ['actor_total', 'actor_total_delta', 'actor_total_special']) {
      await q(`CREATE TRIGGER note_data_write AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION note_data_write()`);
      await q(`CREATE TRIGGER note_data_truncate AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION note_data_write()`);
    }
    for (const k of KINDS) await q(refreshSql(k));

    // What every statement contributes to ACTOR now, from its stored contributions; the rollup's ACTOR rows go.
    await q(`WITH c (topic_id, actor_id, st_key, st_marking, actor_key, actor_marking) AS MATERIALIZED (${storedActors('statement_contributions')}),
      counted AS (SELECT *, count(*) AS n FROM c GROUP BY 1, 2, 3, 4, 5, 6),
      levels AS (SELECT topic_id, actor_id, greatest(st_marking, actor_marking) AS level, sum(n) AS n FROM counted
        WHERE greatest(st_marking, actor_marking) <= ${COMMON} GROUP BY 1, 2, 3),
      special AS (INSERT INTO actor_total_special (topic_id, actor_id, st_key, actor_key, n)
        SELECT topic_id, actor_id, st_key, actor_key, n FROM counted WHERE greatest(st_marking, actor_marking) > ${COMMON})
      INSERT INTO actor_total (topic_id, class, actor_id, n) ${expanded('levels')}`);
    await q(`DELETE FROM aggregate_rollup WHERE field = 'ACTOR'`);

    // Compaction folds the deltas into the totals (in key order, so that two compactions never wait on each other
    // in a circle), deletes totals of nothing, and folds special rows as the rollup's.
    await q(`CREATE OR REPLACE FUNCTION compact_aggregate_rollup() RETURNS void LANGUAGE sql AS $$
      ${ROLLUP_COMPACTION};
      WITH gone AS (DELETE FROM actor_total_delta RETURNING *)
      INSERT INTO actor_total (topic_id, class, actor_id, n) SELECT * FROM (${expanded('gone')}) e WHERE n <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (topic_id, class, actor_id) DO UPDATE SET n = actor_total.n + excluded.n;
      DELETE FROM actor_total WHERE n = 0;
      WITH folded AS (SELECT array_agg(ctid) AS rows FROM actor_total_special GROUP BY topic_id, actor_id, st_key, actor_key
          HAVING count(*) > 1 OR sum(n) = 0),
        gone AS (DELETE FROM actor_total_special WHERE ctid = ANY(ARRAY(SELECT unnest(rows) FROM folded)) RETURNING *)
      INSERT INTO actor_total_special SELECT topic_id, actor_id, st_key, actor_key, sum(n) FROM gone GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 $$`);
    await q(`ANALYZE actor_total`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE OR REPLACE FUNCTION compact_aggregate_rollup() RETURNS void LANGUAGE sql AS $$ ${ROLLUP_COMPACTION} $$`);
    for (const k of KINDS) await q(previousRefreshSql(k));
    await q(`INSERT INTO aggregate_rollup (field, kind, value, topic_id, st_key, set_id, n)
      SELECT field, kind, value, topic_id, st_key, set_id, count(*) FROM statement_contribution WHERE field = 'ACTOR' GROUP BY 1, 2, 3, 4, 5, 6`);
    await q(`DROP TABLE actor_total, actor_total_delta, actor_total_special`);
  }
}
