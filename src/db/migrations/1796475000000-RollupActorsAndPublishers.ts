// The rollup (MaintainAggregateRollup) now also counts ACTOR, ACTOR_KIND and PUBLISHER, so that `distribution` of
// them reads rollup rows instead of joining every statement to its actors or its sources' publishers.
//
// Access, as the scan has it: a statement counts for actor A when the reader may read the statement and A itself
// (retracted actors count, as they do in the scan); for a kind of actor when one of its actors of that kind is
// readable; for publisher P when one citation of a source published by P is readable together with P. So an actor's
// key is one more key of a way of seeing the contribution: ACTOR and ACTOR_KIND have one way per actor ([actor key]),
// PUBLISHER one per citation ([citation, source, publisher keys]). A hidden actor's bucket sums to nothing.
//
// Each kind gets its own refresh function (its SQL written here once, not formatted at every call). Writes that change
// what a statement contributes now include its actors: the actor_id / from / to columns, event_actor and
// implication_actor rows, an actor's marking or kind, a source's publisher.
//
// A race closed: a transaction that cites a source (or names an actor, or a publisher) holds that row FOR SHARE from
// the write until it commits. A concurrent re-mark of the source either waits for it (and then sees the citation, so it
// refreshes the statement itself), or committed before the refresh at commit reads the source. Without the lock, a
// re-mark that could not see the uncommitted citation left the statement counted under the source's old marking.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { KINDS as OLD_KINDS, literal } from './1796300000000-MaintainAggregateRollup';
import { pendingRefresh } from './1796420000000-RefreshContributionsAtCommit';

interface Kind {
  kind: string;
  table: string;
  cited: string;
  /** (sid, field, value, keys) rows of the statement's own fields, from `st`. */
  own: string;
  /** Columns of the statement that decide its contributions (besides id). */
  columns: string;
  /** (sid, actor_id) of the statements `st` (ids $1). */
  actors: string;
  /** The actors named by the rows of a write (`new_rows`), or '' when the kind names them in a link table. */
  named: string;
  /** The statements about the actors `a`. */
  about: string;
}

// The statements of a refresh ($1). `= ANY($1)` lets the planner see how many there are; a scan filtered so compares
// each row with every id, though, so the old contributions are found by a semi-join instead (hashed or by index).
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
    named: 'SELECT actor_id FROM new_rows',
    about: 'SELECT id FROM capability WHERE actor_id IN (SELECT id FROM a)',
  },
  {
    kind: 'CHALLENGE',
    table: 'challenge',
    cited: 'challenge_id',
    own: `SELECT id, 'CATEGORY', category, NULL::uuid[] FROM st`,
    columns: `${STATE}, category, actor_id`,
    actors: 'SELECT id, actor_id FROM st',
    named: 'SELECT actor_id FROM new_rows',
    about: 'SELECT id FROM challenge WHERE actor_id IN (SELECT id FROM a)',
  },
  {
    kind: 'IMPLICATION',
    table: 'implication',
    cited: 'implication_id',
    own: `SELECT id, 'LIKELIHOOD', likelihood::text, NULL::uuid[] FROM st UNION ALL SELECT id, 'CONFIDENCE', confidence::text, NULL FROM st`,
    columns: `${STATE}, likelihood, confidence`,
    actors: `SELECT implication_id, actor_id FROM implication_actor WHERE implication_id ${IN_IDS}`,
    named: '',
    about: 'SELECT implication_id FROM implication_actor WHERE actor_id IN (SELECT id FROM a)',
  },
  {
    kind: 'EVENT',
    table: 'event',
    cited: 'event_id',
    own: `SELECT id, 'EVENT_DATE', to_char(occurred_on, 'YYYY-MM-DD') || ' ' || precision::text, NULL::uuid[] FROM st`,
    columns: `${STATE}, occurred_on, precision`,
    actors: `SELECT event_id, actor_id FROM event_actor WHERE event_id ${IN_IDS}`,
    named: '',
    about: 'SELECT event_id FROM event_actor WHERE actor_id IN (SELECT id FROM a)',
  },
  {
    kind: 'RELATION',
    table: 'actor_relation',
    cited: 'relation_id',
    own: `SELECT id, 'RELATION_TYPE', type, NULL::uuid[] FROM st`,
    columns: `${STATE}, type, from_actor_id, to_actor_id`,
    actors: 'SELECT id, from_actor_id FROM st UNION SELECT id, to_actor_id FROM st',
    named: 'SELECT from_actor_id FROM new_rows UNION SELECT to_actor_id FROM new_rows',
    about: 'SELECT id FROM actor_relation WHERE from_actor_id IN (SELECT id FROM a) OR to_actor_id IN (SELECT id FROM a)',
  },
];
const LINKS = [
  { table: 'event_actor', kind: 'EVENT', column: 'event_id' },
  { table: 'implication_actor', kind: 'IMPLICATION', column: 'implication_id' },
];

const SOURCE_COLUMNS = 'marking, organisation, audience, retracted_at, reliability, published_on, publisher_id';
const CITATION_COLUMNS = 'marking, organisation, audience, retracted_at, source_id, credibility, capability_id, challenge_id, implication_id, event_id, relation_id';
const ACTOR_COLUMNS = 'marking, organisation, audience, kind';
const NEW_FIELDS = ['ACTOR', 'ACTOR_KIND', 'PUBLISHER'];
const EVENTS = ['INSERT', 'UPDATE', 'DELETE'];

/**
 * Holds the rows of `table` that a write names (`ids`, a query on the trigger's transition tables, which only the
 * trigger function itself can read) FOR SHARE until the transaction commits.
 */
const share = (table: string, ids: string) => `EXECUTE 'SELECT FROM ${table} WHERE id IN (${ids}) ORDER BY id FOR SHARE';`;

const refreshFunction = (k: Kind) => `refresh_${k.kind.toLowerCase()}_contributions`;

/**
 * What the statements $1 of kind `k` contribute, as (sid, field, value, alternatives) in `grouped`, with `st` (the
 * live statements and their key), `cit` and `act`; stored as one row per statement in `new`.
 */
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

/** The rows of `contributions` (statement_contributions rows) as rollup deltas of `n` each. */
const deltas = (contributions: string, n: number) => `SELECT u.field, c.kind, u.value, c.topic_id, c.st_key, u.set_id, ${n} AS n
  FROM ${contributions} c, unnest(c.fields, c.vals, c.sets) u (field, value, set_id)`;

/** Subtracts what the statements `ids` contributed, adds what they contribute now; locks them first (see RefreshContributionsAtCommit). */
function refreshSql(k: Kind) {
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

/** The contributions of every statement of kind `k`, counted from nothing. */
const rebuildSql = (k: Kind) => `WITH ${contributions(k).split(IN_IDS).join('IS NOT NULL')}
  INSERT INTO aggregate_rollup (field, kind, value, topic_id, st_key, set_id, n)
    SELECT field, kind, value, topic_id, st_key, set_id, sum(n) FROM (${deltas('new', 1)}) d GROUP BY 1, 2, 3, 4, 5, 6`;

const pendingRefreshSql = () => `CREATE OR REPLACE FUNCTION refresh_pending_contributions() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE ids uuid[];
    BEGIN
      DELETE FROM contribution_pending_transaction WHERE tx = NEW.tx;
      ${KINDS.map(
        (k) => `WITH noted AS (DELETE FROM contribution_pending WHERE tx = NEW.tx AND kind = '${k.kind}' RETURNING statement_id)
      SELECT array_agg(DISTINCT statement_id) INTO ids FROM noted;
      PERFORM ${refreshFunction(k)}(ids);`,
      ).join('\n      ')}
      RETURN NULL;
    END $fn$`;

export class RollupActorsAndPublishers1796475000000 implements MigrationInterface {
  name = 'RollupActorsAndPublishers1796475000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    // The keys that must all be visible for one way of seeing a contribution, sorted, once each, NULLs left out.
    await q(`CREATE FUNCTION access_key_set(keys uuid[]) RETURNS uuid[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN ARRAY(SELECT DISTINCT k FROM unnest(keys) k WHERE k IS NOT NULL ORDER BY k)`);
    for (const k of KINDS) await q(refreshSql(k));
    await q(pendingRefreshSql());

    // On a statement table; arguments: kind, columns that decide contributions, the actors its rows name.
    await q(`CREATE OR REPLACE FUNCTION statement_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[];
      BEGIN
        EXECUTE format('SELECT array_agg(DISTINCT id) FROM (%s) t', touched_rows(TG_OP, TG_ARGV[1])) INTO ids;
        IF ids IS NOT NULL AND TG_OP <> 'DELETE' AND TG_ARGV[2] <> '' THEN
          EXECUTE format('SELECT FROM actor WHERE id IN (%s) ORDER BY id FOR SHARE', TG_ARGV[2]);
        END IF;
        PERFORM defer_contributions(TG_ARGV[0], ids);
        RETURN NULL;
      END $fn$`);
    // On citation and source: the statements that cite what changed, kind by kind; cited sources and publishers held.
    const perKind = KINDS.map(
      (k) => `IF TG_TABLE_NAME = 'citation' THEN
            EXECUTE format('SELECT array_agg(DISTINCT ${k.cited}) FROM (%s) t WHERE ${k.cited} IS NOT NULL', touched) INTO ids;
          ELSE
            EXECUTE format('SELECT array_agg(DISTINCT ${k.cited}) FROM citation WHERE ${k.cited} IS NOT NULL AND source_id IN (SELECT id FROM (%s) t)', touched) INTO ids;
          END IF;
          PERFORM defer_contributions('${k.kind}', ids);`,
    );
    await q(`CREATE OR REPLACE FUNCTION cited_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[]; touched text := touched_rows(TG_OP, TG_ARGV[0]);
      BEGIN
        IF TG_OP <> 'DELETE' AND TG_TABLE_NAME = 'citation' THEN
          ${share('source', 'SELECT source_id FROM new_rows')}
          ${share('actor', 'SELECT publisher_id FROM source WHERE id IN (SELECT source_id FROM new_rows)')}
        ELSIF TG_OP <> 'DELETE' THEN
          ${share('actor', 'SELECT publisher_id FROM new_rows')}
        END IF;
        ${perKind.join('\n        ')}
        RETURN NULL;
      END $fn$`);
    // On actor: the statements about an actor whose access or kind changed, and those citing what it published.
    await q(`CREATE FUNCTION actor_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[]; touched text := touched_rows(TG_OP, TG_ARGV[0]);
      BEGIN
        ${KINDS.map(
          (k) => `EXECUTE format('WITH a AS (%s) SELECT array_agg(DISTINCT id) FROM (${k.about}
            UNION SELECT ${k.cited} FROM citation WHERE ${k.cited} IS NOT NULL AND source_id IN (SELECT id FROM source WHERE publisher_id IN (SELECT id FROM a))) t (id)', touched) INTO ids;
        PERFORM defer_contributions('${k.kind}', ids);`,
        ).join('\n        ')}
        RETURN NULL;
      END $fn$`);
    // On event_actor and implication_actor; arguments: kind, statement column.
    await q(`CREATE FUNCTION link_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[];
      BEGIN
        EXECUTE format('SELECT array_agg(DISTINCT %I) FROM (%s) t', TG_ARGV[1], CASE TG_OP WHEN 'INSERT' THEN 'SELECT * FROM new_rows'
          WHEN 'DELETE' THEN 'SELECT * FROM old_rows' ELSE 'SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows' END) INTO ids;
        IF TG_OP <> 'DELETE' THEN ${share('actor', 'SELECT actor_id FROM new_rows')} END IF;
        PERFORM defer_contributions(TG_ARGV[0], ids);
        RETURN NULL;
      END $fn$`);

    for (const k of KINDS) {
      await dropTriggers(queryRunner, k.table);
      await createTriggers(queryRunner, k.table, 'statement_contributions_changed', `'${k.kind}', '${k.columns}', ${literal(k.named)}`);
    }
    await dropTriggers(queryRunner, 'citation');
    await createTriggers(queryRunner, 'citation', 'cited_contributions_changed', `'${CITATION_COLUMNS}'`);
    await dropTriggers(queryRunner, 'source');
    await createTriggers(queryRunner, 'source', 'cited_contributions_changed', `'${SOURCE_COLUMNS}'`, ['UPDATE']);
    await createTriggers(queryRunner, 'actor', 'actor_contributions_changed', `'${ACTOR_COLUMNS}'`, ['UPDATE']);
    for (const link of LINKS) await createTriggers(queryRunner, link.table, 'link_contributions_changed', `'${link.kind}', '${link.column}'`);

    // Compaction folds only the keys that have several rows (or sum to nothing): with a row per actor, rewriting every
    // row each round would cost as much as the rollup is large. It still inserts the sums of exactly what it deleted,
    // so concurrent compactions and writers stay safe.
    await q(`CREATE OR REPLACE FUNCTION compact_aggregate_rollup() RETURNS void LANGUAGE sql AS $$
      WITH folded AS (SELECT array_agg(ctid) AS rows FROM aggregate_rollup GROUP BY field, kind, value, topic_id, st_key, set_id
          HAVING count(*) > 1 OR sum(n) = 0),
        gone AS (DELETE FROM aggregate_rollup WHERE ctid = ANY(ARRAY(SELECT unnest(rows) FROM folded)) RETURNING *)
      INSERT INTO aggregate_rollup SELECT field, kind, value, topic_id, st_key, set_id, sum(n) FROM gone GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 $$`);
    // Every statement's contributions, counted again into the new table (one row per statement, not per field).
    await q(`DROP TABLE statement_contribution`);
    await q(`TRUNCATE aggregate_rollup`);
    await q(`CREATE TABLE statement_contributions (
      statement_id uuid NOT NULL, kind text NOT NULL, topic_id uuid NOT NULL, st_key uuid NOT NULL, fields text[] NOT NULL, vals text[] NOT NULL, sets uuid[] NOT NULL)`);
    for (const k of KINDS) await q(rebuildSql(k));
    // Not unique: a refresh deletes a statement's row and inserts its new one in one statement.
    await q(`CREATE INDEX statement_contributions_statement ON statement_contributions (statement_id)`);
    await q(`SELECT compact_aggregate_rollup()`);
    await q(`CREATE VIEW statement_contribution AS SELECT c.statement_id, u.field, u.value, c.kind, c.topic_id, c.st_key, u.set_id
      FROM statement_contributions c, unnest(c.fields, c.vals, c.sets) u (field, value, set_id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    for (const table of [...KINDS.map((k) => k.table), 'citation', 'source', 'actor', ...LINKS.map((l) => l.table)]) await dropTriggers(queryRunner, table);
    const fields = `ARRAY['${NEW_FIELDS.join("', '")}']`;
    await q(`CREATE TABLE statement_contribution_rows AS SELECT * FROM statement_contribution WHERE field <> ALL(${fields})`);
    await q(`DROP VIEW statement_contribution`);
    await q(`DROP TABLE statement_contributions`);
    await q(`ALTER TABLE statement_contribution_rows RENAME TO statement_contribution`);
    await q(`ALTER TABLE statement_contribution ALTER COLUMN field SET NOT NULL, ALTER COLUMN kind SET NOT NULL, ALTER COLUMN topic_id SET NOT NULL,
      ALTER COLUMN st_key SET NOT NULL`);
    await q(`CREATE INDEX statement_contribution_statement ON statement_contribution (statement_id)`);
    await q(`DELETE FROM aggregate_rollup WHERE field = ANY(${fields})`);
    await q(`CREATE OR REPLACE FUNCTION statement_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[];
      BEGIN
        EXECUTE format('SELECT array_agg(DISTINCT id) FROM (%s) t', touched_rows(TG_OP, TG_ARGV[3])) INTO ids;
        PERFORM defer_contributions(TG_ARGV[0], ids);
        RETURN NULL;
      END $fn$`);
    await q(`CREATE OR REPLACE FUNCTION cited_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[];
      BEGIN
        ${OLD_KINDS.map(
          (k) => `IF TG_TABLE_NAME = 'citation' THEN
            EXECUTE format('SELECT array_agg(DISTINCT ${k.cited}) FROM (%s) t WHERE ${k.cited} IS NOT NULL', touched_rows(TG_OP, TG_ARGV[0])) INTO ids;
          ELSE
            EXECUTE format('SELECT array_agg(DISTINCT ${k.cited}) FROM citation WHERE ${k.cited} IS NOT NULL AND source_id IN (SELECT id FROM (%s) t)',
              touched_rows(TG_OP, TG_ARGV[0])) INTO ids;
          END IF;
          PERFORM defer_contributions('${k.kind}', ids);`,
        ).join('\n        ')}
        RETURN NULL;
      END $fn$`);
    for (const k of OLD_KINDS) {
      await createTriggers(queryRunner, k.table, 'statement_contributions_changed', `'${k.kind}', '${k.cited}', ${literal(k.own)}, '${k.columns}'`);
    }
    await createTriggers(queryRunner, 'citation', 'cited_contributions_changed', `'${CITATION_COLUMNS}'`);
    await createTriggers(queryRunner, 'source', 'cited_contributions_changed', `'marking, organisation, audience, retracted_at, reliability, published_on'`, [
      'UPDATE',
    ]);
    await q(pendingRefresh());
    await q(`CREATE OR REPLACE FUNCTION compact_aggregate_rollup() RETURNS void LANGUAGE sql AS $$
      WITH gone AS (DELETE FROM aggregate_rollup RETURNING *)
      INSERT INTO aggregate_rollup SELECT field, kind, value, topic_id, st_key, set_id, sum(n) FROM gone GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 $$`);
    await q(`DROP FUNCTION link_contributions_changed(), actor_contributions_changed(), 
      ${KINDS.map((k) => `${refreshFunction(k)}(uuid[])`).join(', ')}, access_key_set(uuid[])`);
  }
}

async function dropTriggers(queryRunner: QueryRunner, table: string) {
  for (const event of EVENTS) await queryRunner.query(`DROP TRIGGER IF EXISTS contributions_${event.toLowerCase()} ON "${table}"`);
}

async function createTriggers(queryRunner: QueryRunner, table: string, fn: string, args: string, events = EVENTS) {
  for (const event of events) {
    const referencing = { INSERT: 'NEW TABLE AS new_rows', UPDATE: 'OLD TABLE AS old_rows NEW TABLE AS new_rows', DELETE: 'OLD TABLE AS old_rows' }[event];
    await queryRunner.query(
      `CREATE TRIGGER contributions_${event.toLowerCase()} AFTER ${event} ON "${table}" REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}(${args})`,
    );
  }
}
