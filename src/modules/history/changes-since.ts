import type { DataSource } from 'typeorm';
import type { Viewer } from '../../common/viewer';
import { compile, sql } from '../../read/fragment';
import { citedColumns, STATEMENT_KINDS, type StatementKind } from '../../registry/statement-kinds';
import { admits } from './change.read';
import { SEED_PRINCIPAL } from './change-author';

/** Which facet of a statement (brief-delta.ts) a changed column is. */
const FACET: Record<string, string> = {
  statement: 'text',
  title: 'text',
  description: 'text',
  type: 'text',
  marking: 'marking',
  organisation: 'marking',
  audience: 'marking',
  actor_id: 'actor',
  from_actor_id: 'actor',
  to_actor_id: 'counterpart',
  valid_from: 'validity',
  valid_to: 'validity',
  category: 'category',
  likelihood: 'likelihood',
  confidence: 'confidence',
  scope: 'scope',
  horizon: 'horizon',
  as_of: 'asOf',
  occurred_on: 'date',
  precision: 'date',
  location_id: 'location',
  topic_id: 'topic',
  retracted_at: 'retraction',
  retraction_reason: 'retraction',
  superseded_by_id: 'retraction',
};
const facetOf = (column: string) => (column === '' ? 'actors' : column.startsWith('quantity_') ? 'quantity' : (FACET[column] ?? 'unknown'));

export interface SinceHistory {
  /** Recorded after `since`, or first readable by the viewer after it. */
  added: boolean;
  /** The facets changed after `since` (empty: none), in changes the viewer could read before and after. */
  changes: string[];
}

/**
 * What the history says of each statement since `since`, as `viewer` may see it. The seed's first load is no news:
 * what it creates before anyone else writes (the install) counts as there all along, so a fresh install does not
 * report its seed as added since any past date. One SQL statement, whatever the number of statements.
 */
export async function changesSince(
  dataSource: DataSource,
  viewer: Viewer,
  statements: Array<{ kind: StatementKind; id: string }>,
  since: Date,
): Promise<Map<string, SinceHistory>> {
  if (!statements.length) return new Map();
  const [c, i] = [sql.identifier('c'), sql.identifier('i')];
  const at = sql.value(since.toISOString(), 'timestamptz');
  const seen = sql`${admits(viewer, sql`coalesce(${c}.access_before, ${c}.access)`)} AND ${admits(viewer, sql`${c}.access`)}`;
  const revealed = sql`NOT ${admits(viewer, sql`coalesce(${c}.access_before, ${c}.access)`)} AND ${admits(viewer, sql`${c}.access`)}`;
  const install = sql`${c}.principal = ${sql.value(SEED_PRINCIPAL)} AND ${c}.id < (SELECT first FROM install)`;
  const cites = sql.join(
    citedColumns.map((column) => sql`ct.${sql.identifier(column)} = ${i}.id`),
    ' OR ',
  );
  const statement = compile(sql`WITH install AS (SELECT coalesce(min(id), 9223372036854775807) AS first FROM change
        WHERE principal IS DISTINCT FROM ${sql.value(SEED_PRINCIPAL)}),
      item AS (SELECT * FROM unnest(${sql.value(
        statements.map((s) => STATEMENT_KINDS[s.kind].table),
        'text[]',
      )}, ${sql.value(
        statements.map((s) => s.id),
        'uuid[]',
      )}) AS item(item_table, id))
    SELECT ${i}.id,
      EXISTS (SELECT 1 FROM change ${c} WHERE ${c}.item_id = ${i}.id AND ${c}.item_table = ${i}.item_table AND ${c}.at >= ${at}
        AND ((${c}.operation = 'create' AND NOT (${install})) OR (${c}.operation <> 'create' AND ${revealed}))) AS added,
      ARRAY(SELECT DISTINCT coalesce(k.key, '') FROM change ${c} LEFT JOIN LATERAL jsonb_object_keys(${c}.after) k(key) ON TRUE
        WHERE ${c}.item_id = ${i}.id AND ${c}.item_table = ${i}.item_table AND ${c}.operation <> 'create' AND ${c}.at >= ${at} AND ${seen}) AS columns,
      EXISTS (SELECT 1 FROM citation ct JOIN change ${c} ON ${c}.item_id = ct.id AND ${c}.item_table = 'citation'
        WHERE (${cites}) AND ${c}.at >= ${at} AND NOT (${install}) AND ${admits(viewer, sql`${c}.access`)}) AS citations
    FROM item ${i}`);
  const rows: Array<{ id: string; added: boolean; columns: string[]; citations: boolean }> = await dataSource.query(statement.text, statement.values);
  return new Map(
    rows.map((row) => {
      const facets = new Set(row.columns.map(facetOf));
      if (row.citations) facets.add('citations');
      return [row.id, { added: row.added, changes: [...facets].sort() }];
    }),
  );
}
