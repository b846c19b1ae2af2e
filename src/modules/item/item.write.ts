import { v4 as uuid } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput, conflict, notFound, notFoundAt } from '../../common/errors';
import type { Marking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { visibleCondition, type ItemTable } from '../../read/access';
import { fromGlobalId } from '../../read/global-id';
import { itemAccessFor, type ItemAccess } from '../assertion/item-access';
import { writeTransaction } from '../idempotency/idempotency';
import { changedAccess, changesAccess, type AccessChange } from '../release/access-change';
import { requireTerms, type TermCheck } from '../vocabulary/vocabulary.service';

// What writing any stored item shares: references only to items the writer may see and that stand, a lock on the
// item with its version checked, and one transaction.

/** An item named by global id, for a change. */
export interface ItemTarget {
  table: ItemTable;
  typeName: string;
  globalId: string;
}

/** A locked item: who may read it, its version, and whether it is retracted. */
export interface LockedItem extends ItemAccess {
  id: string;
  version: number;
  retracted: boolean;
}

/**
 * Locks an item the viewer may see; NOT_FOUND otherwise, as for any lookup. With `version`, a row that has moved on
 * since is CONFLICT: the writer changed something it did not read.
 */
export async function lockItem(em: EntityManager, viewer: Viewer, target: ItemTarget, version?: number | null, path = 'id'): Promise<LockedItem> {
  const { id } = fromGlobalId(target.globalId, path, [target.typeName]);
  const [row]: LockedItem[] = await em.query(
    `SELECT v.id, v.marking, v.organisation, v.audience, v.version, v.retracted_at IS NOT NULL AS retracted
     FROM ${target.table} v WHERE v.id = $1 AND ${visibleCondition(viewer, 'v', target.table)} FOR UPDATE OF v`,
    [id],
  );
  if (!row) throw path === 'id' ? notFound(`${target.typeName} ${target.globalId}`) : notFoundAt(path, `${target.typeName} ${target.globalId}`);
  if (version !== null && version !== undefined && version !== row.version) {
    throw conflict(`${target.typeName} ${target.globalId} is at version ${row.version}, not ${version}: read it again`, { currentVersion: row.version });
  }
  return row;
}

/** A reference in the input to an item that must exist, be visible to the writer and stand. */
export interface Reference {
  table: ItemTable;
  id: string;
  /** Where it is in the input, for errors. */
  path: string;
}

/** A reference given by global id, checked to be of `typeName`. */
export const referenceTo = (table: ItemTable, typeName: string, globalId: string, path: string): Reference => ({
  table,
  id: fromGlobalId(globalId, path, [typeName]).id,
  path,
});

/**
 * Refers to items the viewer may see and that stand: one that is missing or hidden is NOT_FOUND naming its path (the
 * two are told apart by nobody), a retracted one is BAD_USER_INPUT (unless `retractedToo`).
 */
export async function requireLive(em: EntityManager, viewer: Viewer, references: Reference[], retractedToo = false): Promise<void> {
  const found = new Map<string, boolean>();
  for (const table of new Set(references.map((r) => r.table))) {
    const ids = references.filter((r) => r.table === table).map((r) => r.id);
    const rows: Array<{ id: string; retracted: boolean }> = await em.query(
      `SELECT v.id, v.retracted_at IS NOT NULL AS retracted FROM ${table} v WHERE v.id = ANY($1::uuid[]) AND ${visibleCondition(viewer, 'v', table)}`,
      [ids],
    );
    for (const row of rows) found.set(`${table}:${row.id}`, row.retracted);
  }
  for (const r of references) {
    const retracted = found.get(`${r.table}:${r.id}`);
    if (retracted === undefined) throw notFoundAt(r.path, `${r.table.replace('_', ' ')} ${r.id}`);
    if (retracted && !retractedToo) throw badUserInput(r.path, `the ${r.table.replace('_', ' ')} is retracted`);
  }
}

/** The id of the topic with `slug`, which the viewer may see and which stands. */
export async function liveTopic(em: EntityManager, viewer: Viewer, slug: string, path: string): Promise<string> {
  const [topic]: Array<{ id: string; retracted: boolean }> = await em.query(
    `SELECT t.id, t.retracted_at IS NOT NULL AS retracted FROM topic t WHERE t.slug = $1 AND ${visibleCondition(viewer, 't', 'topic')}`,
    [slug],
  );
  if (!topic) throw notFoundAt(path, `Topic "${slug}"`);
  if (topic.retracted) throw badUserInput(path, `topic "${slug}" is retracted`);
  return topic.id;
}

/** Who may read rows of `table`, by id. */
export async function accessOf(em: EntityManager, table: ItemTable, ids: string[]): Promise<Map<string, ItemAccess>> {
  const rows: Array<ItemAccess & { id: string }> = await em.query(`SELECT id, marking, organisation, audience FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map(({ id, ...access }) => [id, access]));
}

export const accessColumns = (a: ItemAccess) => ({ marking: a.marking, organisation: a.organisation, audience: a.audience });

/** INSERT of one row from its columns. */
export async function insertRow(em: EntityManager, table: string, row: Record<string, unknown>): Promise<void> {
  const names = Object.keys(row);
  await em.query(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
}

/** A new item: its checked columns, who may read it, and what it refers to. */
export interface NewItem {
  table: ItemTable;
  columns: Record<string, unknown>;
  marking?: Marking | null;
  audience?: string[] | null;
  references?: Reference[];
  /** Values of vocabulary fields, each a usable term (vocabulary/). */
  terms?: TermCheck[];
  /** Checks of the same transaction before the row is written (a name that must be free). */
  before?: (em: EntityManager) => Promise<void>;
  /** Writes of the same transaction once the row is there (its links). */
  after?: (em: EntityManager, id: string) => Promise<void>;
}

/** Stores a new item, all or nothing; never above the writer's clearance. Returns its uuid. */
export function createItem(dataSource: DataSource, viewer: Viewer, item: NewItem): Promise<string> {
  const access = itemAccessFor(viewer, item.marking, item.audience, 'input');
  return writeTransaction(dataSource, async (em) => {
    await requireLive(em, viewer, item.references ?? []);
    await requireTerms(em, item.terms ?? []);
    await item.before?.(em);
    const id = uuid();
    await insertRow(em, item.table, { id, ...item.columns, ...accessColumns(access) });
    await item.after?.(em, id);
    return id;
  });
}

/** A change of an item. */
export interface ItemChange {
  /** Checked values of its own columns. */
  columns: Record<string, unknown>;
  /** A new marking or audience: one that lets more people read it is a release (release/). */
  access?: AccessChange;
  /** The version the writer read, when it wants a stale change refused. */
  version?: number | null;
  /** New values of vocabulary fields, each a usable term (vocabulary/). */
  terms?: TermCheck[];
  /** Columns that need the transaction: references to check, rules over the stored row. */
  resolve?: (em: EntityManager, id: string) => Promise<Record<string, unknown> | void>;
  /** Writes held outside the row (its links); true when they changed something, which is a change of the item. */
  links?: (em: EntityManager, id: string) => Promise<boolean>;
  /** Who may read what the item was derived from, which bounds a release. */
  derivedFrom?: (em: EntityManager, id: string) => Promise<ItemAccess[]>;
}

/**
 * Changes an item the viewer may see, in one transaction. A new marking or audience is checked as on creation; one
 * that lets more people read it is a release, recorded with its reason in the same transaction.
 */
export async function updateItem(dataSource: DataSource, viewer: Viewer, target: ItemTarget, change: ItemChange): Promise<void> {
  await writeTransaction(dataSource, async (em) => {
    const { id, version, retracted: _, ...current } = await lockItem(em, viewer, target, change.version);
    await requireTerms(em, change.terms ?? []);
    const row: Record<string, unknown> = { ...change.columns, ...(await change.resolve?.(em, id)) };
    if (change.access && changesAccess(change.access)) {
      const derivedFrom = async () => (await change.derivedFrom?.(em, id)) ?? [];
      Object.assign(row, accessColumns(await changedAccess(em, viewer, { table: target.table, id, current, derivedFrom }, change.access)));
    }
    // The version trigger counts a higher version as one change, whatever the row's columns do.
    if (await change.links?.(em, id)) row.version = version + 1;
    const names = Object.keys(row);
    if (!names.length) return;
    await em.query(`UPDATE ${target.table} SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`, [
      id,
      ...Object.values(row),
    ]);
  });
}

/** Text a writer gives: trimmed, and null when blank. */
export const optionalText = (text: string | null | undefined) => text?.trim() || null;

/** Text that must say something, trimmed; BAD_USER_INPUT naming `path` when blank. */
export function requiredText(text: string, path: string, what: string): string {
  if (!text.trim()) throw badUserInput(path, `${what} cannot be empty`);
  return text.trim();
}
