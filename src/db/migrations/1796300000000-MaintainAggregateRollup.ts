// Counts for `distribution` and `timeSeries`, kept by statement-level triggers so that a dashboard reads a few
// thousand rollup rows instead of scanning every statement (src/modules/aggregate/rollup.ts reads them).
//
// What one statement contributes is kept per statement (statement_contribution: one row per field and value), and the
// rollup holds the sums. A trigger never works out what changed: it takes the statements a write touched, subtracts
// what they contributed and adds what they contribute now, all as of the end of the write. That is exact whatever the
// write was (a re-mark, a retraction, a moved citation, a re-marked source) and whatever order triggers fire in.
//
// Access: a contribution row is readable when its statement is (st_key) and, for citation fields, when ANY ONE of the
// ways it can be seen is: a statement citing source S twice, under two markings, counts once for SOURCE = S for those
// who may read either citation. Each way is the set of access keys (marking, organisation, audience) that must all be
// visible: the citation's and its source's. The ways of one contribution form an access set. Keys and sets are named
// by a hash of their content, so a writer never has to look one up, and readers list the few keys and sets once.
//
// The rollup takes delta rows only (no upsert): concurrent writers never wait for each other on a hot count, and
// `compact_aggregate_rollup()` sums them up now and then (readers sum whatever rows there are).
import { MigrationInterface, QueryRunner } from 'typeorm';

// Exported for later migrations that redefine the trigger functions (the same kinds, as they were then).
export const KINDS: Array<{ kind: string; table: string; cited: string; own: string; columns: string }> = [
  {
    kind: 'CAPABILITY',
    table: 'capability',
    cited: 'capability_id',
    own: `SELECT id, 'CATEGORY', category, NULL::uuid[] FROM st`,
    columns: 'marking, organisation, audience, retracted_at, topic_id, category',
  },
  {
    kind: 'CHALLENGE',
    table: 'challenge',
    cited: 'challenge_id',
    own: `SELECT id, 'CATEGORY', category, NULL::uuid[] FROM st`,
    columns: 'marking, organisation, audience, retracted_at, topic_id, category',
  },
  {
    kind: 'IMPLICATION',
    table: 'implication',
    cited: 'implication_id',
    own: `SELECT id, 'LIKELIHOOD', likelihood::text, NULL::uuid[] FROM st UNION ALL SELECT id, 'CONFIDENCE', confidence::text, NULL FROM st`,
    columns: 'marking, organisation, audience, retracted_at, topic_id, likelihood, confidence',
  },
  {
    kind: 'EVENT',
    table: 'event',
    cited: 'event_id',
    own: `SELECT id, 'EVENT_DATE', to_char(occurred_on, 'YYYY-MM-DD') || ' ' || precision::text, NULL::uuid[] FROM st`,
    columns: 'marking, organisation, audience, retracted_at, topic_id, occurred_on, precision',
  },
  {
    kind: 'RELATION',
    table: 'actor_relation',
    cited: 'relation_id',
    own: `SELECT id, 'RELATION_TYPE', type, NULL::uuid[] FROM st`,
    columns: 'marking, organisation, audience, retracted_at, topic_id, type',
  },
];

const SOURCE_COLUMNS = 'marking, organisation, audience, retracted_at, reliability, published_on';
const CITATION_COLUMNS = 'marking, organisation, audience, retracted_at, source_id, credibility, capability_id, challenge_id, implication_id, event_id, relation_id';

export class MaintainAggregateRollup1796300000000 implements MigrationInterface {
  name = 'MaintainAggregateRollup1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE TABLE access_key (
      id uuid PRIMARY KEY, marking tlp_marking NOT NULL,
      organisation text NOT NULL, -- '' for none: no organisation is named so, and equality stays hashable
      audience text[] NOT NULL)`);
    await q(`CREATE TABLE access_set (id uuid PRIMARY KEY, alternatives text NOT NULL)`);
    await q(`CREATE TABLE access_alternative (set_id uuid NOT NULL REFERENCES access_set (id), keys uuid[] NOT NULL, PRIMARY KEY (set_id, keys))`);
    await q(`CREATE TABLE statement_contribution (
      statement_id uuid NOT NULL, field text NOT NULL, value text, kind text NOT NULL, topic_id uuid NOT NULL, st_key uuid NOT NULL, set_id uuid)`);
    await q(`CREATE INDEX statement_contribution_statement ON statement_contribution (statement_id)`);
    await q(`CREATE TABLE aggregate_rollup (
      field text NOT NULL, kind text NOT NULL, value text, topic_id uuid NOT NULL, st_key uuid NOT NULL, set_id uuid, n bigint NOT NULL)`);
    await q(`CREATE INDEX aggregate_rollup_field ON aggregate_rollup (field, kind, topic_id) INCLUDE (value, st_key, set_id, n)`);

    await q(`CREATE FUNCTION access_key_id(marking tlp_marking, organisation text, audience text[]) RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE
      RETURN md5(marking::text || '|' || coalesce(organisation, '') || '|' || array_to_json(audience)::text)::uuid`);
    // The keys that must all be visible for one way of seeing a citation: its own and its source's, sorted, once each.
    await q(`CREATE FUNCTION access_keys(a uuid, b uuid) RETURNS uuid[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN CASE WHEN a < b THEN ARRAY[a, b] WHEN a = b THEN ARRAY[a] ELSE ARRAY[b, a] END`);

    // Subtracts what the statements `ids` of one kind contributed, adds what they contribute now.
    await q(`CREATE FUNCTION refresh_contributions(kind text, tbl text, cited text, own text, ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
        -- One refresh of a statement at a time: a second writer waits here for the first to commit, and its next
        -- statement sees the contributions the first left (reading older ones, it would subtract what is gone).
        EXECUTE format('SELECT FROM %I WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE', tbl) USING ids;
        EXECUTE format($q$
          WITH st AS (SELECT * FROM %1$I WHERE id = ANY($1) AND retracted_at IS NULL),
          cit AS (SELECT c.%2$I AS sid, c.source_id, c.credibility, s.reliability, s.published_on, c.marking AS c_marking,
                c.organisation AS c_organisation, c.audience AS c_audience, s.marking AS s_marking, s.organisation AS s_organisation,
                s.audience AS s_audience,
                access_keys(access_key_id(c.marking, c.organisation, c.audience), access_key_id(s.marking, s.organisation, s.audience)) AS keys
              FROM citation c JOIN st ON st.id = c.%2$I JOIN source s ON s.id = c.source_id
              WHERE c.retracted_at IS NULL AND s.retracted_at IS NULL),
          raw (sid, field, value, keys) AS (
            SELECT id, 'MARKING', marking::text, NULL::uuid[] FROM st
            UNION ALL SELECT id, 'TOPIC', topic_id::text, NULL FROM st
            UNION ALL SELECT sid, 'SOURCE', source_id::text, keys FROM cit
            UNION ALL SELECT sid, 'RELIABILITY', reliability::text, keys FROM cit
            UNION ALL SELECT sid, 'CREDIBILITY', credibility::text, keys FROM cit
            UNION ALL SELECT sid, 'REPORT_DATE_' || upper(i), to_char(date_trunc(i, published_on::timestamp), 'YYYY-MM-DD'), keys
              FROM cit, unnest(ARRAY['day', 'week', 'month', 'quarter', 'year']) i WHERE published_on IS NOT NULL
            UNION ALL %3$s),
          grouped AS (SELECT sid, field, value, string_agg(DISTINCT keys::text, ';' ORDER BY keys::text) AS alternatives FROM raw GROUP BY 1, 2, 3),
          new_keys AS (INSERT INTO access_key (id, marking, organisation, audience)
            SELECT DISTINCT access_key_id(m, o, a), m, coalesce(o, ''), a FROM (
              SELECT marking, organisation, audience FROM st
              UNION SELECT c_marking, c_organisation, c_audience FROM cit
              UNION SELECT s_marking, s_organisation, s_audience FROM cit) x (m, o, a)
            ON CONFLICT DO NOTHING),
          new_sets AS (INSERT INTO access_set (id, alternatives)
            SELECT DISTINCT md5(alternatives)::uuid, alternatives FROM grouped WHERE alternatives IS NOT NULL
            ON CONFLICT DO NOTHING RETURNING id, alternatives),
          new_alternatives AS (INSERT INTO access_alternative (set_id, keys)
            SELECT id, alternative::uuid[] FROM new_sets, unnest(string_to_array(alternatives, ';')) alternative),
          old AS (DELETE FROM statement_contribution WHERE statement_id = ANY($1) RETURNING field, kind, value, topic_id, st_key, set_id, -1 AS n),
          new AS (INSERT INTO statement_contribution (statement_id, field, kind, value, topic_id, st_key, set_id)
            SELECT g.sid, g.field, %4$L, g.value, st.topic_id, access_key_id(st.marking, st.organisation, st.audience), md5(g.alternatives)::uuid
            FROM grouped g JOIN st ON st.id = g.sid
            RETURNING field, kind, value, topic_id, st_key, set_id, 1 AS n)
          INSERT INTO aggregate_rollup (field, kind, value, topic_id, st_key, set_id, n)
            SELECT field, kind, value, topic_id, st_key, set_id, sum(n) FROM (SELECT * FROM old UNION ALL SELECT * FROM new) d
            GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0
        $q$, tbl, cited, own, kind) USING ids;
      END $fn$`);

    // The rows a write touched: inserted, deleted, or updated in one of the columns that decide contributions.
    await q(`CREATE FUNCTION touched_rows(op text, columns text) RETURNS text LANGUAGE sql IMMUTABLE RETURN CASE op
      WHEN 'INSERT' THEN 'SELECT * FROM new_rows' WHEN 'DELETE' THEN 'SELECT * FROM old_rows'
      ELSE format('SELECT n.* FROM new_rows n JOIN old_rows o USING (id) WHERE (%s) IS DISTINCT FROM (%s)
        UNION ALL SELECT o.* FROM new_rows n JOIN old_rows o USING (id) WHERE (%s) IS DISTINCT FROM (%s)',
        'n.' || replace(columns, ', ', ', n.'), 'o.' || replace(columns, ', ', ', o.'),
        'n.' || replace(columns, ', ', ', n.'), 'o.' || replace(columns, ', ', ', o.')) END`);

    // On a statement table; arguments: kind, cited column, own contributions, columns that decide contributions.
    await q(`CREATE FUNCTION statement_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[];
      BEGIN
        EXECUTE format('SELECT array_agg(DISTINCT id) FROM (%s) t', touched_rows(TG_OP, TG_ARGV[3])) INTO ids;
        PERFORM refresh_contributions(TG_ARGV[0], TG_TABLE_NAME, TG_ARGV[1], TG_ARGV[2], ids);
        RETURN NULL;
      END $fn$`);
    // On citation and source: the statements that cite what changed, kind by kind.
    const perKind = KINDS.map(
      (k) => `IF TG_TABLE_NAME = 'citation' THEN
            EXECUTE format('SELECT array_agg(DISTINCT ${k.cited}) FROM (%s) t WHERE ${k.cited} IS NOT NULL', touched_rows(TG_OP, TG_ARGV[0])) INTO ids;
          ELSE
            EXECUTE format('SELECT array_agg(DISTINCT ${k.cited}) FROM citation WHERE ${k.cited} IS NOT NULL AND source_id IN (SELECT id FROM (%s) t)',
              touched_rows(TG_OP, TG_ARGV[0])) INTO ids;
          END IF;
          PERFORM refresh_contributions('${k.kind}', '${k.table}', '${k.cited}', ${literal(k.own)}, ids);`,
    );
    await q(`CREATE FUNCTION cited_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[];
      BEGIN
        ${perKind.join('\n        ')}
        RETURN NULL;
      END $fn$`);

    for (const k of KINDS) {
      const args = `'${k.kind}', '${k.cited}', ${literal(k.own)}, '${k.columns}'`;
      await this.triggers(queryRunner, k.table, 'statement_contributions_changed', args);
      await q(`SELECT refresh_contributions('${k.kind}', '${k.table}', '${k.cited}', ${literal(k.own)}, (SELECT array_agg(id) FROM "${k.table}"))`);
    }
    await this.triggers(queryRunner, 'citation', 'cited_contributions_changed', `'${CITATION_COLUMNS}'`);
    await this.triggers(queryRunner, 'source', 'cited_contributions_changed', `'${SOURCE_COLUMNS}'`, ['UPDATE']);

    await q(`CREATE FUNCTION compact_aggregate_rollup() RETURNS void LANGUAGE sql AS $$
      WITH gone AS (DELETE FROM aggregate_rollup RETURNING *)
      INSERT INTO aggregate_rollup SELECT field, kind, value, topic_id, st_key, set_id, sum(n) FROM gone GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 $$`);
    await q(`SELECT compact_aggregate_rollup()`);
  }

  private async triggers(queryRunner: QueryRunner, table: string, fn: string, args: string, events = ['INSERT', 'UPDATE', 'DELETE']) {
    for (const event of events) {
      const referencing = { INSERT: 'NEW TABLE AS new_rows', UPDATE: 'OLD TABLE AS old_rows NEW TABLE AS new_rows', DELETE: 'OLD TABLE AS old_rows' }[event];
      await queryRunner.query(
        `CREATE TRIGGER contributions_${event.toLowerCase()} AFTER ${event} ON "${table}" REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}(${args})`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...KINDS.map((k) => k.table), 'citation', 'source']) {
      for (const event of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER IF EXISTS contributions_${event} ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION compact_aggregate_rollup(), cited_contributions_changed(), statement_contributions_changed(),
      touched_rows(text, text), refresh_contributions(text, text, text, text, uuid[]), access_keys(uuid, uuid), access_key_id(tlp_marking, text, text[])`);
    await queryRunner.query(`DROP TABLE aggregate_rollup, statement_contribution, access_alternative, access_set, access_key`);
  }
}

export function literal(text: string) {
  return `'${text.replace(/'/g, "''")}'`;
}
