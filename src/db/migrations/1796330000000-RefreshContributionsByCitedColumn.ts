// A citation write refreshed its statements through `citation JOIN st`, st being a CTE the planner takes for a few
// rows: on a first import it looped over every citation once per statement (2,000 x 10,000 for one kind, 2 s each).
// Citations are now picked by their statement column against the ids (a hashed or indexed lookup); a citation of a
// retracted statement drops out where contributions join st, as before.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class RefreshContributionsByCitedColumn1796330000000 implements MigrationInterface {
  name = 'RefreshContributionsByCitedColumn1796330000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE OR REPLACE FUNCTION refresh_contributions(kind text, tbl text, cited text, own text, ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
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
              FROM citation c JOIN source s ON s.id = c.source_id
              WHERE c.%2$I = ANY($1) AND c.retracted_at IS NULL AND s.retracted_at IS NULL),
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
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE OR REPLACE FUNCTION refresh_contributions(kind text, tbl text, cited text, own text, ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
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
  }
}
