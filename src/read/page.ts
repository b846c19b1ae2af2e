import { FieldNode, GraphQLObjectType, getNamedType } from 'graphql';
import { badUserInput } from '../common/errors';
import type { Compiler } from './compile';
import { decodeCursor } from './cursor';
import type { TableModel } from './model';
import { and, jsonObject } from './sql';

export interface ConnectionArgs {
  filter?: object | null;
  orderBy?: { field?: string; direction?: 'ASC' | 'DESC' } | null;
  first?: number | null;
  after?: string | null;
}

/**
 * SQL for one page of `model` rows as a connection object: edges, nodes, pageInfo and totalCount, each only
 * when selected. Rows are filtered by visibility, the parent join and the connection's filter argument.
 */
export function pageSql(
  c: Compiler,
  model: TableModel<any>,
  connectionType: GraphQLObjectType,
  nodes: readonly FieldNode[],
  args: ConnectionArgs,
  join?: (row: string) => string,
): string {
  const first = args.first ?? c.sql.defaultPageSize;
  if (!Number.isInteger(first) || first < 0 || first > c.sql.maxPageSize) {
    throw badUserInput('first', `must be between 0 and ${c.sql.maxPageSize}`);
  }
  const fieldName = args.orderBy?.field ?? model.defaultOrder.field;
  const direction = args.orderBy?.direction ?? (args.orderBy?.field ? 'ASC' : model.defaultOrder.direction);
  const order = model.orderFields[fieldName];
  if (!order) throw badUserInput('orderBy', `${model.typeName} cannot be ordered by ${fieldName}`);

  const row = c.sql.alias();
  const where = and([c.sql.visible(row, model.table), ...(join ? [join(row)] : []), ...(model.filter?.(args.filter ?? {}, row, c.sql) ?? [])]);
  const sortKey = order.sql(row);
  const orderBy = `${sortKey} ${direction}, ${row}.id ${direction}`;
  // Checked even when only the count is asked for, which does not depend on it.
  const after = args.after ? decodeCursor(args.after, fieldName, order) : undefined;

  const entries: Array<[string, string]> = [];
  const rowColumns: string[] = [];
  const nodeColumn = (nodeNodes: readonly FieldNode[]) => {
    rowColumns.push(`${c.object(model, row, nodeNodes)} AS n${rowColumns.length}`);
    return `p.n${rowColumns.length - 1}`;
  };
  const inPage = `FILTER (WHERE p.rn <= ${first})`;
  let readsRows = false;

  for (const [key, fieldNodes] of c.subfields(connectionType, nodes)) {
    const fieldType = getNamedType(connectionType.getFields()[fieldNodes[0].name.value]?.type) as GraphQLObjectType;
    switch (fieldNodes[0].name.value) {
      case 'totalCount':
        entries.push([key, `(SELECT count(*)::int FROM ${model.table} ${row} WHERE ${where})`]);
        break;
      case 'nodes':
        readsRows = true;
        entries.push([key, `coalesce(json_agg(${nodeColumn(fieldNodes)} ORDER BY p.rn) ${inPage}, '[]'::json)`]);
        break;
      case 'edges': {
        readsRows = true;
        const edge: Array<[string, string]> = [];
        for (const [edgeKey, edgeNodes] of c.subfields(fieldType, fieldNodes)) {
          const name = edgeNodes[0].name.value;
          if (name === 'cursor') edge.push([edgeKey, 'p.c']);
          else if (name === 'node') edge.push([edgeKey, nodeColumn(edgeNodes)]);
        }
        entries.push([key, `coalesce(json_agg(${jsonObject(edge)} ORDER BY p.rn) ${inPage}, '[]'::json)`]);
        break;
      }
      case 'pageInfo': {
        readsRows = true;
        const info: Array<[string, string]> = [];
        for (const [infoKey, infoNodes] of c.subfields(fieldType, fieldNodes)) {
          const name = infoNodes[0].name.value;
          if (name === 'hasNextPage') info.push([infoKey, `count(*) > ${first}`]);
          else if (name === 'hasPreviousPage') info.push([infoKey, args.after ? 'TRUE' : 'FALSE']);
          else if (name === 'startCursor') info.push([infoKey, `(array_agg(p.c ORDER BY p.rn) ${inPage})[1]`]);
          else if (name === 'endCursor') info.push([infoKey, `(array_agg(p.c ORDER BY p.rn DESC) ${inPage})[1]`]);
        }
        entries.push([key, jsonObject(info)]);
        break;
      }
    }
  }
  if (!readsRows) return `(SELECT ${jsonObject(entries)})`;

  // Its parameters only now, in the statement that reads rows: a count-only statement must not carry them.
  const keyset = after
    ? ` AND (${sortKey}, ${row}.id) ${direction === 'ASC' ? '>' : '<'} (${c.sql.param(after.value, order.cast)}, ${c.sql.param(after.id, 'uuid')})`
    : '';

  const cursor = `translate(encode(convert_to(json_build_array('${fieldName}', ${sortKey}, ${row}.id)::text, 'UTF8'), 'base64'), E'\\n', '')`;
  const columns = [...rowColumns, `${cursor} AS c`, `row_number() OVER (ORDER BY ${orderBy}) AS rn`];
  return `(SELECT ${jsonObject(entries)} FROM (SELECT ${columns.join(', ')} FROM ${model.table} ${row}
    WHERE ${where}${keyset} ORDER BY ${orderBy} LIMIT ${first + 1}) p)`;
}
