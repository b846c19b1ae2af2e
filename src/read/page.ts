import { FieldNode, GraphQLObjectType, getNamedType } from 'graphql';
import { badUserInput } from '../common/errors';
import { COUNT_CAP, pageWindow, type PageRequest } from '../common/pagination';
import type { Compiler } from './compile';
import { decodeCursor } from './cursor';
import { live } from './filters';
import { and, sql, type Sql } from './fragment';
import type { OrderField, ReadModel } from './model';

export interface ConnectionArgs extends PageRequest {
  filter?: object | null;
  orderBy?: { field?: string; direction?: 'ASC' | 'DESC' } | null;
  /** Retracted rows too: without it, a connection lists only those that stand. */
  includeRetracted?: boolean | null;
}

/** The order a connection lists its rows in: by one order field, ties broken by id in the same direction. */
export interface Ordering {
  field: string;
  order: OrderField;
  direction: 'ASC' | 'DESC';
}

/** The ordering asked for, or the default one; BAD_USER_INPUT for a field the type cannot be ordered by. */
export function orderingOf(spec: Pick<ReadModel, 'typeName' | 'orderFields' | 'defaultOrder'>, orderBy: ConnectionArgs['orderBy']): Ordering {
  const field = orderBy?.field ?? spec.defaultOrder.field;
  const direction = orderBy?.direction ?? (orderBy?.field ? 'ASC' : spec.defaultOrder.direction);
  const order = spec.orderFields[field];
  if (!order) throw badUserInput('orderBy', `${spec.typeName} cannot be ordered by ${field}`);
  return { field, order, direction };
}

/** The rows a connection pages through: a FROM item and its conditions, each row's sort key and id, and its JSON. */
export interface PageSource {
  /** A table or subquery with its alias. */
  from: Sql;
  /** That alias: the page's rows are read under it again, so `key`, `id` and `node` hold outside the page's LIMIT. */
  alias: Sql;
  /**
   * The FROM item narrowed by `part` in each of its parts, for a union whose branches must each read their own index
   * (see statements): the page's rows and the cursor probes read it; counts read `from`.
   */
  narrowed?: (part: PartReading) => Sql;
  where: Sql;
  /** The ordering's key of the row (non-null, so cursors compare it). */
  key: Sql;
  id: Sql;
  /** The row as the JSON object of the selection `nodes`. */
  node(nodes: readonly FieldNode[]): Sql;
}

/**
 * SQL for one page of `model` rows as a connection object: edges, nodes, pageInfo and totalCount, each only
 * when selected. Rows are filtered by visibility, the parent join and the connection's filter argument.
 */
export function pageSql(
  c: Compiler,
  model: ReadModel,
  connectionType: GraphQLObjectType,
  nodes: readonly FieldNode[],
  args: ConnectionArgs,
  join?: (row: Sql) => Sql,
): Sql {
  const q = c.q;
  const ordering = orderingOf(model, args.orderBy);
  const row = q.alias();
  const where = and([
    q.visible(row, model.table),
    ...(args.includeRetracted ? [] : [live(row)]),
    ...(join ? [join(row)] : []),
    ...(model.filter?.conditions(args.filter ?? {}, row, q) ?? []),
  ]);
  const source: PageSource = {
    from: sql`${sql.identifier(model.table)} ${row}`,
    alias: row,
    where,
    key: ordering.order.sql(row),
    id: sql`${row}.id`,
    node: (nodeNodes) => c.object(model, row, nodeNodes),
  };
  return keysetPageSql(c, connectionType, nodes, args, ordering, source);
}

/** SQL comparison operators of a row's (key, id) against a cursor's. */
const OP = { '>': sql`>`, '<': sql`<`, '>=': sql`>=`, '<=': sql`<=` } as const;

type Cursor = { value: unknown; id: string };

/** For any row's (key, id): the conditions, order and limit that read a part of a page from an index on (key, id). */
export type PartReading = (key: Sql, id: Sql) => { bounds: Sql[]; orderBy: Sql; limit: Sql };

/**
 * How one page of a connection is read for `args`: its window and cursors, and for any row's (key, id) the keyset
 * bounds (row comparisons an index on (key, id) answers), the reading order (from the cursor outward: a backward
 * page in the reverse of the connection's order) and the limit, first + 1 rows.
 */
export function pageReading(c: Compiler, args: ConnectionArgs, ordering: Ordering) {
  const { field, order, direction } = ordering;
  const window = pageWindow(args, { max: c.q.maxPageSize, default: c.q.defaultPageSize });
  // Checked even when only the count is asked for, which does not depend on them.
  const after = window.after ? decodeCursor(window.after, field, order, 'after') : undefined;
  const before = window.before ? decodeCursor(window.before, field, order, 'before') : undefined;
  const asc = direction === 'ASC';
  const position = (key: Sql, id: Sql, cursor: Cursor, op: keyof typeof OP) =>
    sql`(${key}, ${id}) ${OP[op]} (${sql.value(cursor.value, order.cast)}, ${sql.value(cursor.id, 'uuid')})`;
  const dir = asc !== window.backward ? sql`ASC` : sql`DESC`;
  const rows: PartReading = (key, id) => ({
    bounds: [...(after ? [position(key, id, after, asc ? '>' : '<')] : []), ...(before ? [position(key, id, before, asc ? '<' : '>')] : [])],
    orderBy: sql`${key} ${dir}, ${id} ${dir}`,
    limit: sql.int(window.size + 1),
  });
  return { window, after, before, asc, position, rows };
}

/**
 * One page of any `source` as a connection object, forward (`first`, `after`) or backward (`last`, `before`), with
 * keyset cursors. A backward page reads in the reverse order and is turned back, so it lists the items just before
 * the cursor in the connection's order; a forward page reads exactly as before backward pages existed. Whether items
 * lie beyond the far side of a cursor is asked of the same visible, filtered rows (one row looked up, no count), so a cursor
 * taken from a more-cleared reader's page tells a less-cleared one nothing it could not see.
 */
export function keysetPageSql(
  c: Compiler,
  connectionType: GraphQLObjectType,
  nodes: readonly FieldNode[],
  args: ConnectionArgs,
  ordering: Ordering,
  source: PageSource,
): Sql {
  const { field } = ordering;
  const reading = pageReading(c, args, ordering);
  const { window, after, before, asc } = reading;
  const { from, where, key, id } = source;

  const rowColumns: Sql[] = [];
  const nodeColumn = (nodeNodes: readonly FieldNode[]) => {
    const name = sql.identifier(`n${rowColumns.length}`);
    rowColumns.push(sql`${source.node(nodeNodes)} AS ${name}`);
    return sql`p.${name}`;
  };
  const limit = sql.int(window.size);
  const inPage = sql`p.rn <= ${limit}`;
  // p.rn counts in reading order: from the cursor outward, so backward pages are listed by descending rn.
  const listed = window.backward ? sql`p.rn DESC` : sql`p.rn`;
  const reversed = window.backward ? sql`p.rn` : sql`p.rn DESC`;
  // Whether a row lies at or beyond a cursor: the nearest one looked up in the ordering's own order from the cursor
  // (an index probe), not an EXISTS the planner may answer by scanning the table for any row. Its parameters only in
  // the statement that reads rows: a count-only statement must not carry them.
  const exists = (op: '>=' | '<=', cursor: Cursor) => {
    const probe = op === '>=' ? sql`ASC` : sql`DESC`;
    const part: PartReading = (k, i) => ({ bounds: [reading.position(k, i, cursor, op)], orderBy: sql`${k} ${probe}, ${i} ${probe}`, limit: sql.int(1) });
    const { bounds, orderBy, limit } = part(key, id);
    const probed = source.narrowed ? source.narrowed(part) : from;
    return sql`coalesce((SELECT TRUE FROM ${probed} WHERE ${and([where, ...bounds])} ORDER BY ${orderBy} LIMIT ${limit}), FALSE)`;
  };
  let aggregates = false;
  const aggregate = (x: Sql) => {
    aggregates = true;
    return x;
  };
  const readsBeyond = sql`count(*) > ${limit}`;
  let readsRows = false;

  const { out } = c;
  const entries = c.entries(connectionType, nodes, (connectionField, fieldNodes) => {
    const fieldType = getNamedType(connectionField.type) as GraphQLObjectType;
    switch (connectionField.name) {
      case 'totalCount':
        return sql`(SELECT count(*)::int FROM ${from} WHERE ${where})`;
      case 'totalCountCapped': {
        // Counts at most COUNT_CAP + 1 rows: exact below the cap, "more than COUNT_CAP" at it.
        const n = sql`(SELECT count(*)::int FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT ${sql.int(COUNT_CAP + 1)}) capped)`;
        const counted = c.entries(fieldType, fieldNodes, (f) => {
          if (f.name === 'count') return sql`least(capped.n, ${sql.int(COUNT_CAP)})`;
          if (f.name === 'exact') return sql`capped.n <= ${sql.int(COUNT_CAP)}`;
          return undefined;
        });
        return sql`(SELECT ${out.object(counted)} FROM (SELECT ${n} AS n) capped)`;
      }
      case 'nodes':
        readsRows = true;
        return aggregate(out.list(nodeColumn(fieldNodes), listed, inPage));
      case 'edges': {
        readsRows = true;
        const edge = c.entries(fieldType, fieldNodes, (f, edgeNodes) => {
          if (f.name === 'cursor') return sql`p.c`;
          if (f.name === 'node') return nodeColumn(edgeNodes);
          return undefined;
        });
        return aggregate(out.list(out.object(edge), listed, inPage));
      }
      case 'pageInfo': {
        readsRows = true;
        // Items before the page (forward) are those at or before `after`; items after it (backward) at or after `before`.
        // Made when selected: an aggregate counts only where it is read (the page is grouped to one row otherwise).
        const earlier = () => (window.backward ? aggregate(readsBeyond) : after ? exists(asc ? '<=' : '>=', after) : sql`FALSE`);
        const later = () => (!window.backward ? aggregate(readsBeyond) : before ? exists(asc ? '>=' : '<=', before) : sql`FALSE`);
        const info = c.entries(fieldType, fieldNodes, (f) => {
          if (f.name === 'hasNextPage') return later();
          if (f.name === 'hasPreviousPage') return earlier();
          if (f.name === 'startCursor') return aggregate(sql`(array_agg(p.c ORDER BY ${listed}) FILTER (WHERE ${inPage}))[1]`);
          if (f.name === 'endCursor') return aggregate(sql`(array_agg(p.c ORDER BY ${reversed}) FILTER (WHERE ${inPage}))[1]`);
          return undefined;
        });
        return out.object(info);
      }
      default:
        return undefined;
    }
  });
  if (!readsRows) return sql`(SELECT ${out.object(entries)})`;

  const { bounds, orderBy, limit: rowLimit } = reading.rows(key, id);
  const keyset = bounds.length ? sql` AND ${and(bounds)}` : sql``;
  // The sort key is computed once, as column page_key of the rows read: the cursor and the numbering read it there,
  // and number the rows in the order they come in (a second sort, by the key computed again, otherwise).
  const pageKey = sql`${source.alias}.page_key`;
  const cursor = sql`translate(encode(convert_to(json_build_array(${sql.key(field)}, ${pageKey}, ${id})::text, 'UTF8'), 'base64'), E'\\n', '')`;
  const columns = [...rowColumns, sql`${cursor} AS c`, sql`row_number() OVER (ORDER BY ${reading.rows(pageKey, id).orderBy}) AS rn`];
  // ORDER BY and LIMIT right over the filtered rows, nothing between them: PostgreSQL stops after first + 1 rows of an
  // index on the ordering (or keeps a top-N heap), and only those rows are numbered and turned into JSON.
  const rows = sql`SELECT ${source.alias}.*, ${key} AS page_key FROM ${source.narrowed ? source.narrowed(reading.rows) : from} WHERE ${where}${keyset} ORDER BY ${orderBy} LIMIT ${rowLimit}`;
  // One row however many the page has: a selection without an aggregate (a page's hasPreviousPage alone) is grouped.
  const oneRow = aggregates ? sql`` : sql` GROUP BY ()`;
  return sql`(SELECT ${out.object(entries)} FROM (SELECT ${sql.join(columns, ', ')} FROM (${rows}) ${source.alias}) p${oneRow})`;
}
