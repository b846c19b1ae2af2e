import {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLObjectType,
  GraphQLSchema,
  getNamedType,
  isObjectType,
} from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields';
import { getArgumentValues } from 'graphql/execution/values';
import { globalIdSql } from './global-id';
import { ConnectionArgs, pageSql } from './page';
import type { FieldSpec, TableModel } from './model';
import { jsonObject, SqlBuilder } from './sql';

/**
 * Compiles a GraphQL selection into one SQL expression that yields the whole response subtree as JSON,
 * keyed by response key (aliases included). Every table is read through SqlBuilder.visible, the access seam.
 */
export class Compiler {
  constructor(
    readonly schema: GraphQLSchema,
    readonly fragments: Record<string, FragmentDefinitionNode>,
    readonly variables: Record<string, unknown>,
    readonly sql: SqlBuilder,
    readonly models: ReadonlyMap<string, TableModel<any>>,
  ) {}

  model(typeName: string): TableModel<any> {
    const model = this.models.get(typeName);
    if (!model) throw new Error(`no read model for ${typeName}`);
    return model;
  }

  objectType(typeName: string): GraphQLObjectType {
    const type = this.schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
    return type;
  }

  subfields(type: GraphQLObjectType, nodes: readonly FieldNode[]) {
    return collectSubfields(this.schema, this.fragments, this.variables, type, nodes);
  }

  args(field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): Record<string, any> {
    return getArgumentValues(field, nodes[0], this.variables);
  }

  /** JSON object of the selected fields of row `alias` of `model`. */
  object(model: TableModel<any>, alias: string, nodes: readonly FieldNode[]): string {
    const type = this.objectType(model.typeName);
    const entries: Array<[string, string]> = [['__typename', `'${model.typeName}'`]];
    for (const [key, fieldNodes] of this.subfields(type, nodes)) {
      const name = fieldNodes[0].name.value;
      if (name === '__typename') continue;
      entries.push([key, this.field(model, alias, type.getFields()[name], fieldNodes)]);
    }
    return jsonObject(entries);
  }

  /** One object, found by `where` over alias `row`; null when missing or not visible. */
  single(model: TableModel<any>, nodes: readonly FieldNode[], where: (row: string) => string): string {
    const row = this.sql.alias();
    return `(SELECT ${this.object(model, row, nodes)} FROM ${model.table} ${row} WHERE ${where(row)} AND ${this.sql.visible(row, model.table)})`;
  }

  private field(model: TableModel<any>, alias: string, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): string {
    if (field.name === 'id') return globalIdSql(model.typeName, alias);
    const spec: FieldSpec = model.fields[field.name] ?? { kind: 'column', column: snakeCase(field.name) };
    switch (spec.kind) {
      case 'column':
        return `${alias}.${spec.column}`;
      case 'computed':
        return spec.sql(alias, this.sql);
      case 'embedded':
        return this.embedded(spec.columns, alias, field, nodes);
      case 'one':
        return this.single(this.model(spec.target), nodes, (row) => spec.join(alias, row, this.sql));
      case 'list':
        return this.list(this.model(spec.target), nodes, (row) => spec.join(alias, row, this.sql), spec.order);
      case 'connection':
        return this.connection(this.model(spec.target), field, nodes, this.args(field, nodes), (row) => spec.join(alias, row, this.sql));
      case 'either':
        return `CASE ${spec.options
          .map((o) => `WHEN ${o.when(alias)} THEN ${this.single(this.model(o.target), nodes, (row) => o.join(alias, row, this.sql))}`)
          .join(' ')} END`;
    }
  }

  private embedded(columns: Record<string, string>, alias: string, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]) {
    const type = getNamedType(field.type) as GraphQLObjectType;
    const entries: Array<[string, string]> = [];
    for (const [key, fieldNodes] of this.subfields(type, nodes)) {
      const name = fieldNodes[0].name.value;
      if (name !== '__typename') entries.push([key, `${alias}.${columns[name]}`]);
    }
    const allNull = Object.values(columns).map((c) => `${alias}.${c} IS NULL`).join(' AND ');
    return `CASE WHEN ${allNull} THEN NULL ELSE ${jsonObject(entries)} END`;
  }

  private list(model: TableModel<any>, nodes: readonly FieldNode[], join: (row: string) => string, order: (row: string) => string) {
    const row = this.sql.alias();
    return `(SELECT coalesce(json_agg(${this.object(model, row, nodes)} ORDER BY ${order(row)}), '[]'::json)
      FROM ${model.table} ${row} WHERE ${join(row)} AND ${this.sql.visible(row, model.table)})`;
  }

  /** A Relay connection over `model`, optionally tied to a parent row by `join`. */
  connection(
    model: TableModel<any>,
    field: GraphQLField<unknown, unknown>,
    nodes: readonly FieldNode[],
    args: ConnectionArgs,
    join?: (row: string) => string,
  ): string {
    return pageSql(this, model, getNamedType(field.type) as GraphQLObjectType, nodes, args, join);
  }
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
