import type { DataSource } from 'typeorm';
import { badUserInput, notFound } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { visibleTo, type ItemTable } from '../../read/access';
import { compile, sql, type Sql } from '../../read/fragment';
import { fromGlobalId, toGlobalId, UUID } from '../../read/global-id';
import { registry } from '../../registry/registry';
import { pageWindow, type PageRequest } from '../../common/pagination';
import { ChangeOperation, type Change, type ChangeConnection, type ChangeFilter } from './change.type';

const TYPE_OF_TABLE = new Map([...registry.values()].map((t) => [t.table as string, t.typeName]));
const TABLE_OF_TYPE = new Map([...registry.values()].map((t) => [t.typeName, t.table]));

/** Columns that name another item, and its table (null: the item's own table). */
const REFERENCES: Record<string, string | null> = {
  topic_id: 'topic',
  actor_id: 'actor',
  parent_id: 'actor',
  publisher_id: 'actor',
  from_actor_id: 'actor',
  to_actor_id: 'actor',
  location_id: 'location',
  source_id: 'source',
  relays_id: 'source',
  relayed_from_id: 'source',
  capability_id: 'capability',
  challenge_id: 'challenge',
  implication_id: 'implication',
  event_id: 'event',
  relation_id: 'actor_relation',
  superseded_by_id: null,
};

interface ChangeRow {
  id: string;
  tx: string;
  item_table: string;
  item_id: string;
  operation: string;
  version: number | null;
  principal: string | null;
  comment: string | null;
  at: Date;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  state: Record<string, unknown> | null;
  topic: string | null;
  now_visible: boolean;
  was_visible: boolean;
}

export const encodeCursor = (row: { tx: string; id: string }) => Buffer.from(`change:${row.tx}:${row.id}`).toString('base64');

function decodeCursor(cursor: string, argumentName: 'after' | 'before'): { tx: string; id: string } {
  const match = /^change:(\d{1,20}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match || encodeCursor({ tx: match[1], id: match[2] }) !== cursor) throw badUserInput(argumentName, 'not a cursor of changes');
  return { tx: match[1], id: match[2] };
}

/** Every entry of the jsonb list `access` (marking, organisation, audience) admits the viewer. */
export const admits = (viewer: Viewer, access: Sql) => {
  const a = sql.identifier('a');
  return sql`NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(${access}) ${a}(marking tlp_marking, organisation text, audience text[])
    WHERE (${visibleTo(viewer, a, 'deleted_item')}) IS NOT TRUE)`;
};

export interface PageSize {
  max: number;
  default: number;
}

/**
 * Changes the viewer may see, in (transaction, id) order: a change is shown as far as the reader could read the item
 * before it and may read it after. `feed` reads only below the oldest transaction still running, so that no change
 * can later commit behind a cursor already handed out: resuming from one misses nothing and repeats nothing.
 */
async function readChanges(
  dataSource: DataSource,
  viewer: Viewer,
  pageSize: PageSize,
  page: PageRequest,
  where: Sql[],
  feed: boolean,
): Promise<ChangeConnection> {
  const window = pageWindow(page, pageSize);
  const [c, t, v, x, o] = ['c', 't', 'v', 'x', 'o'].map((name) => sql.identifier(name));
  const conditions = [...where, shownTo(viewer, c, v)];
  if (feed) conditions.push(sql`${c}.tx < pg_snapshot_xmin(pg_current_snapshot())`);
  const after = window.after ? decodeCursor(window.after, 'after') : undefined;
  const before = window.before ? decodeCursor(window.before, 'before') : undefined;
  const position = (cursor: { tx: string; id: string }, op: Sql) =>
    sql`(${c}.tx, ${c}.id) ${op} (${sql.value(cursor.tx, 'xid8')}, ${sql.value(cursor.id, 'bigint')})`;
  const bounds = [...(after ? [position(after, sql`>`)] : []), ...(before ? [position(before, sql`<`)] : [])];
  // Changes on the far side of the cursor the page reads from: at or before `after`, at or after `before`.
  const beyond = window.backward ? before && position(before, sql`>=`) : after && position(after, sql`<=`);
  const farSide = beyond
    ? sql`EXISTS (SELECT 1 FROM change ${c} ${visibilityOf(viewer, c, v)} WHERE ${sql.join([...conditions, beyond], ' AND ')})`
    : sql`FALSE`;
  // A backward page reads from its cursor outward and is turned back below.
  const reading = window.backward ? sql`${c}.tx DESC, ${c}.id DESC` : sql`${c}.tx, ${c}.id`;
  const statement = compile(sql`SELECT ${o}.far_side, ${x}.* FROM (SELECT ${farSide} AS far_side) ${o} LEFT JOIN LATERAL (
    SELECT ${c}.id::text, ${c}.tx::text, ${c}.item_table, ${c}.item_id, ${c}.operation, ${c}.version, ${c}.principal,
      ${c}.comment, ${c}.at, ${c}.before, ${c}.after, ${c}.state, ${t}.slug AS topic, ${v}.now_visible, ${v}.was_visible
    FROM change ${c}
    LEFT JOIN topic ${t} ON ${t}.id = ${c}.topic_id AND ${visibleTo(viewer, t, 'topic')}
    ${visibilityOf(viewer, c, v)}
    WHERE ${sql.join([...conditions, ...bounds], ' AND ')}
    ORDER BY ${reading}
    LIMIT ${sql.value(window.size + 1, 'int')}) ${x} ON TRUE`);
  const result: Array<ChangeRow & { far_side: boolean }> = await dataSource.query(statement.text, statement.values);
  const rows = result.filter((row) => row.id !== null);
  const read = rows.slice(0, window.size);
  const shown = window.backward ? read.reverse() : read;
  const visible = await visibleReferences(dataSource, viewer, shown);
  const nodes = shown.map((row) => asChange(row, visible));
  const more = rows.length > window.size;
  const farSideExists = result[0]?.far_side ?? false;
  return {
    edges: nodes.map((node) => ({ cursor: node.cursor, node })),
    nodes,
    pageInfo: {
      hasNextPage: window.backward ? farSideExists : more,
      hasPreviousPage: window.backward ? more : farSideExists,
      startCursor: nodes[0]?.cursor ?? null,
      // Reading on, an empty page keeps the cursor it was asked with: a feed resumes from it later.
      endCursor: nodes.at(-1)?.cursor ?? (window.backward ? null : (page.after ?? null)),
    },
  };
}

/** Whether the reader may see change `c` now (`now_visible`) and could before it (`was_visible`), as row `v`. */
export const visibilityOf = (viewer: Viewer, c: Sql, v: Sql) =>
  sql`CROSS JOIN LATERAL (SELECT ${admits(viewer, sql`${c}.access`)} AS now_visible,
      ${admits(viewer, sql`coalesce(${c}.access_before, ${c}.access)`)} AS was_visible) ${v}`;

/**
 * The feed's rule on change `c` (with `visibilityOf` as `v`): shown as far as the reader could read the item then, and
 * only while it may read it today: an item re-marked beyond the reader keeps just the change that hid it (HIDDEN).
 */
export const shownTo = (viewer: Viewer, c: Sql, v: Sql) =>
  sql`(${v}.now_visible OR ${v}.was_visible) AND (${readableToday(viewer, c)} OR (${v}.was_visible AND NOT ${v}.now_visible))`;

/** The item of change `c` may be read by the viewer today; a deleted one, when the viewer could read it as it was deleted. */
function readableToday(viewer: Viewer, c: Sql): Sql {
  const x = sql.identifier('x');
  const d = sql.identifier('d');
  const tables = [...TABLE_OF_TYPE.values()].map(
    (table) =>
      sql`WHEN ${sql.value(table)} THEN EXISTS (SELECT 1 FROM ${sql.identifier(table)} ${x} WHERE ${x}.id = ${c}.item_id AND ${visibleTo(viewer, x, table)})`,
  );
  return sql`(CASE ${c}.item_table ${sql.join(tables, ' ')} ELSE FALSE END
    OR EXISTS (SELECT 1 FROM change ${d} WHERE ${d}.item_id = ${c}.item_id AND ${d}.item_table = ${c}.item_table AND ${d}.operation = 'delete' AND ${admits(viewer, sql`${d}.access`)}))`;
}

/** The feed of every change the viewer may see, optionally of one topic and some types, and up to `until` (a cursor). */
export async function changeFeed(
  dataSource: DataSource,
  viewer: Viewer,
  pageSize: PageSize,
  page: PageRequest,
  filter: ChangeFilter | null | undefined,
  until?: string,
) {
  const c = sql.identifier('c');
  const where: Sql[] = [];
  if (until) {
    const end = decodeCursor(until, 'after');
    where.push(sql`(${c}.tx, ${c}.id) <= (${sql.value(end.tx, 'xid8')}, ${sql.value(end.id, 'bigint')})`);
  }
  if (filter?.types) {
    const tables = filter.types.map((type) => {
      const table = TABLE_OF_TYPE.get(type);
      if (!table) throw badUserInput('filter.types', `"${type}" is not a type of item: one of ${[...TABLE_OF_TYPE.keys()].join(', ')}`);
      return table;
    });
    where.push(sql`${c}.item_table = ANY(${sql.value(tables, 'text[]')})`);
  }
  if (filter?.topic != null) {
    // A topic given by id or slug; one the viewer may not see matches nothing, as a missing one does.
    const id = topicUuid(filter.topic);
    const t = sql.identifier('ft');
    const match = id ? sql`${t}.id = ${sql.value(id, 'uuid')}` : sql`${t}.slug = ${sql.value(filter.topic)}`;
    const topic = sql`(SELECT ${t}.id FROM topic ${t} WHERE ${match} AND ${visibleTo(viewer, t, 'topic')})`;
    // A statement moved out of the topic: its move is in the feed of the topic it left too.
    where.push(sql`(${c}.topic_id IN ${topic} OR (${c}.before ->> 'topic_id')::uuid IN ${topic})`);
  }
  return readChanges(dataSource, viewer, pageSize, page, where, true);
}

/** The position before every change. */
export const FEED_START = encodeCursor({ tx: '0', id: '0' });

/**
 * The cursor of the newest change the feed serves now (FEED_START when none), and whether committed changes wait
 * behind a transaction still running (they join the feed when it ends, whether or not it records changes itself).
 */
export async function feedEnd(dataSource: DataSource): Promise<{ cursor: string; heldBack: boolean }> {
  const [row]: Array<{ tx: string | null; id: string | null; held_back: boolean }> = await dataSource.query(
    `SELECT e.tx::text, e.id::text, EXISTS (SELECT 1 FROM change h WHERE h.tx >= x.xmin) AS held_back
     FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) x
     LEFT JOIN LATERAL (SELECT c.tx, c.id FROM change c WHERE c.tx < x.xmin ORDER BY c.tx DESC, c.id DESC LIMIT 1) e ON TRUE`,
  );
  return { cursor: row.tx === null ? FEED_START : encodeCursor({ tx: row.tx, id: row.id! }), heldBack: row.held_back };
}

/** Whether cursor `a` is after cursor `b` in the feed. */
export function isAfter(a: string, b: string): boolean {
  const [x, y] = [decodeCursor(a, 'after'), decodeCursor(b, 'after')];
  const [tx, ty] = [BigInt(x.tx), BigInt(y.tx)];
  return tx !== ty ? tx > ty : BigInt(x.id) > BigInt(y.id);
}

const topicUuid = (topic: string) => {
  if (UUID.test(topic)) return topic;
  try {
    return fromGlobalId(topic, 'filter.topic', ['Topic']).id;
  } catch {
    return null;
  }
};

/**
 * The history of one item, oldest first; NOT_FOUND when the viewer may not see the item (or, deleted, could not see
 * it when it was), exactly as when there is no such item.
 */
export async function itemHistory(dataSource: DataSource, viewer: Viewer, pageSize: PageSize, globalId: string, page: PageRequest) {
  const { typeName, id } = fromGlobalId(globalId, 'id');
  const table = TABLE_OF_TYPE.get(typeName);
  if (!table) throw notFound(typeName);
  const [x, d] = [sql.identifier('x'), sql.identifier('d')];
  const [uuid, tableName] = [sql.value(id, 'uuid'), sql.value(table)];
  const check = compile(sql`SELECT EXISTS (SELECT 1 FROM ${sql.identifier(table)} ${x} WHERE ${x}.id = ${uuid} AND ${visibleTo(viewer, x, table)})
    OR (NOT EXISTS (SELECT 1 FROM ${sql.identifier(table)} ${x} WHERE ${x}.id = ${uuid})
      AND EXISTS (SELECT 1 FROM change ${d} WHERE ${d}.item_id = ${uuid} AND ${d}.item_table = ${tableName} AND ${d}.operation = 'delete'
        AND ${admits(viewer, sql`${d}.access`)})) AS readable`);
  const [{ readable }]: Array<{ readable: boolean }> = await dataSource.query(check.text, check.values);
  if (!readable) throw notFound(typeName);
  const c = sql.identifier('c');
  return readChanges(dataSource, viewer, pageSize, page, [sql`${c}.item_id = ${uuid}`, sql`${c}.item_table = ${tableName}`], false);
}

/** How the viewer sees one recorded change. */
function asChange(row: ChangeRow, visible: Set<string>): Change {
  const base = {
    cursor: encodeCursor(row),
    itemId: toGlobalId(TYPE_OF_TABLE.get(row.item_table)!, row.item_id),
    itemType: TYPE_OF_TABLE.get(row.item_table)!,
    topic: row.topic,
    version: row.version,
    principal: row.principal,
    comment: row.comment,
    at: row.at,
  };
  const fields = (values: Record<string, unknown> | null) => values && shownFields(row.item_table, values, visible);
  const op = row.operation as ChangeOperation;
  if (op === ChangeOperation.DELETE) return { ...base, operation: op, before: null, after: null };
  if (op === ChangeOperation.CREATE) return { ...base, operation: op, before: null, after: fields(row.after) };
  // Its comment was written for those who may read it now: not for the readers it leaves.
  if (!row.now_visible) return { ...base, operation: ChangeOperation.HIDDEN, comment: null, before: null, after: null };
  if (!row.was_visible) return { ...base, operation: ChangeOperation.REVEALED, before: null, after: fields(row.state) };
  return { ...base, operation: op, before: fields(row.before), after: fields(row.after) };
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** Fields by their GraphQL names; a reference is the global id of what it names, or null when the viewer may not see that. */
function shownFields(table: string, values: Record<string, unknown>, visible: Set<string>): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(values)) {
    if (column === 'id') continue;
    const target = column in REFERENCES ? (REFERENCES[column] ?? table) : undefined;
    if (target === undefined) shown[camel(column)] = value;
    else shown[camel(column)] = typeof value === 'string' && visible.has(`${target}:${value}`) ? toGlobalId(TYPE_OF_TABLE.get(target)!, value) : null;
  }
  return shown;
}

/** Of the items the rows' fields name, those the viewer may see today (`table:uuid`), in one statement. */
async function visibleReferences(dataSource: DataSource, viewer: Viewer, rows: ChangeRow[]): Promise<Set<string>> {
  const wanted = new Map<string, Set<string>>();
  for (const row of rows) {
    for (const values of [row.before, row.after, row.state]) {
      for (const [column, value] of Object.entries(values ?? {})) {
        if (!(column in REFERENCES) || typeof value !== 'string') continue;
        const target = REFERENCES[column] ?? row.item_table;
        if (!wanted.has(target)) wanted.set(target, new Set());
        wanted.get(target)!.add(value);
      }
    }
  }
  if (!wanted.size) return new Set();
  const x = sql.identifier('x');
  const parts = [...wanted].map(
    ([table, ids]) =>
      sql`SELECT ${sql.value(table)} || ':' || ${x}.id AS key FROM ${sql.identifier(table)} ${x}
        WHERE ${x}.id = ANY(${sql.value([...ids], 'uuid[]')}) AND ${visibleTo(viewer, x, table as ItemTable)}`,
  );
  const statement = compile(sql.join(parts, '\nUNION ALL\n'));
  const found: Array<{ key: string }> = await dataSource.query(statement.text, statement.values);
  return new Set(found.map((f) => f.key));
}
