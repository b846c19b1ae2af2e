import type { Marking } from '../../common/marking';
import type { EntityManager } from 'typeorm';
import { LINKS, type ImportTable, type LinkedTable, type PlannedItem } from './import.plan';

// Bulk writes of one table's planned items: one statement for all of a kind, whatever their number, so that a large
// document imports at the database's pace rather than at one round trip per row.

/** Who wrote a stored item, and the version it was at when its document last wrote it. */
export interface StoredItem {
  id: string;
  version: number;
  retracted: boolean;
  /** Whether the importer may see it: one it may not is never written, nor told of. */
  visible: boolean;
  marking: Marking;
  organisation: string | null;
  audience: string[];
  document: string | null;
  importedVersion: number | null;
  links: string[] | null;
}

/**
 * The stored items of `table` among `ids`, with their provenance, locked until the import ends: a change made through
 * the API meanwhile waits, or is seen, and is never overwritten. `visible` is a condition on alias `t`.
 */
export async function storedItems(em: EntityManager, table: ImportTable, ids: string[], visible = 'true'): Promise<Map<string, StoredItem>> {
  const rows: StoredItem[] = await em.query(
    `SELECT t.id, t.version, t.retracted_at IS NOT NULL AS retracted, ${visible} AS visible, t.marking::text AS marking, t.organisation, t.audience,
       i.document, i.version AS "importedVersion", i.links
     FROM ${table} t LEFT JOIN imported_item i ON i.item_id = t.id WHERE t.id = ANY($1::uuid[]) ORDER BY t.id FOR UPDATE OF t`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** Items a document wrote before that it no longer has, as they are now (a row deleted since is `version` null). */
export async function itemsGone(em: EntityManager, document: string, table: ImportTable, kept: string[], visible = 'true') {
  return em.query<Array<{ id: string; version: number | null; importedVersion: number; retracted: boolean; visible: boolean }>>(
    `SELECT i.item_id AS id, t.version, i.version AS "importedVersion", t.retracted_at IS NOT NULL AS retracted, coalesce(${visible}, false) AS visible
     FROM imported_item i LEFT JOIN ${table} t ON t.id = i.item_id
     WHERE i.document = $1 AND i.item_table = $2 AND NOT (i.item_id = ANY($3::uuid[]))
     ORDER BY i.item_id FOR UPDATE OF i`,
    [document, table, kept],
  );
}

/** Items of `ids` a document wrote, as they are now (a row deleted since is `version` null). */
export async function itemsOfDocument(em: EntityManager, document: string, table: ImportTable, ids: string[], visible = 'true') {
  return em.query<Array<{ id: string; version: number | null; importedVersion: number; retracted: boolean; visible: boolean }>>(
    `SELECT i.item_id AS id, t.version, i.version AS "importedVersion", t.retracted_at IS NOT NULL AS retracted, coalesce(${visible}, false) AS visible
     FROM imported_item i LEFT JOIN ${table} t ON t.id = i.item_id
     WHERE i.document = $1 AND i.item_table = $2 AND i.item_id = ANY($3::uuid[])
     ORDER BY i.item_id FOR UPDATE OF i`,
    [document, table, ids],
  );
}

/** Rows a statement returns, by id: TypeORM answers an UPDATE with `[rows, count]`, an INSERT with the rows. */
async function versionsReturned(em: EntityManager, query: string, parameters: unknown[]): Promise<Map<string, number>> {
  const result: unknown[] = await em.query(query, parameters);
  const rows = (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] : result) as Array<{
    id: string;
    version: number;
  }>;
  return new Map(rows.map((r) => [r.id, r.version]));
}

const columnsOf = (items: PlannedItem[]) => Object.keys(items[0].row);

/** Inserts new items; returns the version of each. */
export async function insertItems(em: EntityManager, table: ImportTable, items: PlannedItem[]): Promise<Map<string, number>> {
  if (!items.length) return new Map();
  const columns = columnsOf(items).join(', ');
  return versionsReturned(
    em,
    `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(null::${table}, $1::jsonb) RETURNING id, version`,
    [JSON.stringify(items.map((i) => i.row))],
  );
}

/** Writes the items whose stored columns differ from the document's; returns the new version of each one written. */
export async function updateItems(em: EntityManager, table: ImportTable, items: PlannedItem[]): Promise<Map<string, number>> {
  if (!items.length) return new Map();
  // Times a translated document gives (created_at, updated_at) are written with a change, never a change by themselves.
  const stamped = columnsOf(items).includes('updated_at');
  const columns = columnsOf(items).filter((c) => !['id', 'created_at', 'updated_at'].includes(c));
  const list = (alias: string) => columns.map((c) => `${alias}.${c}`).join(', ');
  return versionsReturned(
    em,
    `UPDATE ${table} t SET (${columns.join(', ')}) = (${list('d')}), updated_at = ${stamped ? 'd.updated_at' : 'now()'}
     FROM jsonb_populate_recordset(null::${table}, $1::jsonb) d
     WHERE t.id = d.id AND (${list('t')}) IS DISTINCT FROM (${list('d')})
     RETURNING t.id, t.version`,
    [JSON.stringify(items.map((i) => i.row))],
  );
}

/**
 * Brings the actor links of written items to what the document says, touching only links the document made before
 * (`previous`): a link someone else added stays. Returns the items whose links changed.
 */
export async function writeLinks(
  em: EntityManager,
  table: LinkedTable,
  items: Array<{ id: string; links: string[]; previous: string[] | null }>,
): Promise<string[]> {
  if (!items.length) return [];
  const { table: links, owner } = LINKS[table];
  const current = new Map<string, Set<string>>(items.map((i) => [i.id, new Set()]));
  const stored: Array<{ owner: string; actor: string }> = await em.query(
    `SELECT ${owner} AS owner, actor_id AS actor FROM ${links} WHERE ${owner} = ANY($1::uuid[])`,
    [items.map((i) => i.id)],
  );
  for (const s of stored) current.get(s.owner)!.add(s.actor);
  const added: Array<[string, string]> = [];
  const removed: Array<[string, string]> = [];
  for (const item of items) {
    const now = current.get(item.id)!;
    const wanted = new Set(item.links);
    // An item written before anything recorded its links (an older seed) had all of its links from its document.
    const previous = new Set(item.previous ?? now);
    for (const actor of wanted) if (!now.has(actor)) added.push([item.id, actor]);
    for (const actor of now) if (previous.has(actor) && !wanted.has(actor)) removed.push([item.id, actor]);
  }
  const pairs = (list: Array<[string, string]>) => [list.map(([o]) => o), list.map(([, a]) => a)];
  if (removed.length) {
    await em.query(`DELETE FROM ${links} l USING unnest($1::uuid[], $2::uuid[]) AS x(o, a) WHERE l.${owner} = x.o AND l.actor_id = x.a`, pairs(removed));
  }
  if (added.length) await em.query(`INSERT INTO ${links} (${owner}, actor_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`, pairs(added));
  return [...new Set([...added, ...removed].map(([o]) => o))];
}

/** A change of links is a change of the item: one version more. Returns the new versions. */
export async function bumpVersions(em: EntityManager, table: ImportTable, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  return versionsReturned(em, `UPDATE ${table} SET version = version + 1, updated_at = now() WHERE id = ANY($1::uuid[]) RETURNING id, version`, [ids]);
}

/** Withdraws items a document no longer has; returns their new versions. */
export async function retractItems(em: EntityManager, table: ImportTable, ids: string[], reason: string): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  return versionsReturned(
    em,
    `UPDATE ${table} SET retracted_at = now(), retraction_reason = $2, updated_at = now() WHERE id = ANY($1::uuid[]) AND retracted_at IS NULL RETURNING id, version`,
    [ids, reason],
  );
}

/** What the document wrote, at which version, with which links. */
export async function recordImported(
  em: EntityManager,
  document: string,
  items: Array<{ id: string; table: ImportTable; version: number; links: string[] | null }>,
): Promise<void> {
  if (!items.length) return;
  await em.query(
    `INSERT INTO imported_item (item_id, item_table, document, version, links)
     SELECT x.id, x.table, $1, x.version, x.links FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, "table" text, version int, links jsonb)
     ON CONFLICT (item_id) DO UPDATE SET document = excluded.document, version = excluded.version, links = excluded.links, imported_at = now()`,
    [document, JSON.stringify(items)],
  );
}

/** Forgets items deleted since their document wrote them. */
export async function forgetImported(em: EntityManager, ids: string[]): Promise<void> {
  if (ids.length) await em.query(`DELETE FROM imported_item WHERE item_id = ANY($1::uuid[])`, [ids]);
}
