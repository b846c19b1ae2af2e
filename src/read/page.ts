import { FieldNode, GraphQLObjectType, getNamedType } from 'graphql';
import { badUserInput } from '../common/errors';
import type { Compiler } from './compile';
import { decodeCursor } from './cursor';
import { live } from './filters';
import { and, sql, type Sql } from './fragment';
import type { ReadModel } from './model';
import { jsonObject } from './sql';

export interface ConnectionArgs {
  filter?: object | null;
  orderBy?: { field?: string; direction?: 'ASC' | 'DESC' } | null;
  first?: number | null;
  after?: string | null;
  /** Retracted rows too: without it, a connection lists only those that stand. */
  includeRetracted?: boolean | null;
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
  const first = args.first ?? q.defaultPageSize;
  if (!Number.isInteger(first) || first < 0 || first > q.maxPageSize) {
    throw badUserInput('first', `must be between 0 and ${q.maxPageSize}`);
  }
  const fieldName = args.orderBy?.field ?? model.defaultOrder.field;
  const direction = args.orderBy?.direction ?? (args.orderBy?.field ? 'ASC' : model.defaultOrder.direction);
  const order = model.orderFields[fieldName];
  if (!order) throw badUserInput('orderBy', `${model.typeName} cannot be ordered by ${fieldName}`);

  const row = q.alias();
  const table = sql.identifier(model.table);
  const where = and([
    q.visible(row, model.table),
    ...(args.includeRetracted ? [] : [live(row)]),
    ...(join ? [join(row)] : []),
    ...(model.filter?.conditions(args.filter ?? {}, row, q) ?? []),
  ]);
  const sortKey = order.sql(row);
  const dir = direction === 'ASC' ? sql`ASC` : sql`DESC`;
  const orderBy = sql`${sortKey} ${dir}, ${row}.id ${dir}`;
  const limit = sql.int(first);
  // Checked even when only the count is asked for, which does not depend on it.
  const after = args.after ? decodeCursor(args.after, fieldName, order) : undefined;

  const entries: Array<[string, Sql]> = [];
  const rowColumns: Sql[] = [];
  const nodeColumn = (nodeNodes: readonly FieldNode[]) => {
    const name = sql.identifier(`n${rowColumns.length}`);
    rowColumns.push(sql`${c.object(model, row, nodeNodes)} AS ${name}`);
    return sql`p.${name}`;
  };
  const inPage = sql`FILTER (WHERE p.rn <= ${limit})`;
  let readsRows = false;

  for (const [key, fieldNodes] of c.subfields(connectionType, nodes)) {
    const fieldType = getNamedType(connectionType.getFields()[fieldNodes[0].name.value]?.type) as GraphQLObjectType;
    switch (fieldNodes[0].name.value) {
      case 'totalCount':
        entries.push([key, sql`(SELECT count(*)::int FROM ${table} ${row} WHERE ${where})`]);
        break;
      case 'nodes':
        readsRows = true;
        entries.push([key, sql`coalesce(json_agg(${nodeColumn(fieldNodes)} ORDER BY p.rn) ${inPage}, '[]'::json)`]);
        break;
      case 'edges': {
        readsRows = true;
        const edge: Array<[string, Sql]> = [];
        for (const [edgeKey, edgeNodes] of c.subfields(fieldType, fieldNodes)) {
          const name = edgeNodes[0].name.value;
          if (name === 'cursor') edge.push([edgeKey, sql`p.c`]);
          else if (name === 'node') edge.push([edgeKey, nodeColumn(edgeNodes)]);
        }
        entries.push([key, sql`coalesce(json_agg(${jsonObject(edge)} ORDER BY p.rn) ${inPage}, '[]'::json)`]);
        break;
      }
      case 'pageInfo': {
        readsRows = true;
        const info: Array<[string, Sql]> = [];
        for (const [infoKey, infoNodes] of c.subfields(fieldType, fieldNodes)) {
          const name = infoNodes[0].name.value;
          if (name === 'hasNextPage') info.push([infoKey, sql`count(*) > ${limit}`]);
          else if (name === 'hasPreviousPage') info.push([infoKey, args.after ? sql`TRUE` : sql`FALSE`]);
          else if (name === 'startCursor') info.push([infoKey, sql`(array_agg(p.c ORDER BY p.rn) ${inPage})[1]`]);
          else if (name === 'endCursor') info.push([infoKey, sql`(array_agg(p.c ORDER BY p.rn DESC) ${inPage})[1]`]);
        }
        entries.push([key, jsonObject(info)]);
        break;
      }
    }
  }
  if (!readsRows) return sql`(SELECT ${jsonObject(entries)})`;

  // Its parameters only now, in the statement that reads rows: a count-only statement must not carry them.
  const keyset = after
    ? sql` AND (${sortKey}, ${row}.id) ${direction === 'ASC' ? sql`>` : sql`<`} (${sql.value(after.value, order.cast)}, ${sql.value(after.id, 'uuid')})`
    : sql``;

  const cursor = sql`translate(encode(convert_to(json_build_array(${sql.key(fieldName)}, ${sortKey}, ${row}.id)::text, 'UTF8'), 'base64'), E'\\n', '')`;
  const columns = [...rowColumns, sql`${cursor} AS c`, sql`row_number() OVER (ORDER BY ${orderBy}) AS rn`];
  return sql`(SELECT ${jsonObject(entries)} FROM (SELECT ${sql.join(columns, ', ')} FROM ${table} ${row}
    WHERE ${where}${keyset} ORDER BY ${orderBy} LIMIT ${sql.int(first + 1)}) p)`;
}
