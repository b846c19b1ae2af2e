import {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isListType,
  isObjectType,
} from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields';
import { getArgumentValues } from 'graphql/execution/values';
import { live } from './filters';
import { sql, type Sql } from './fragment';
import { globalIdSql } from './global-id';
import { ConnectionArgs, pageSql } from './page';
import type { ReadModel } from './model';
import { JSON_OUTPUT, NotCompiled, type Output } from './output';
import type { SqlBuilder } from './sql';
import type { CitedColumn } from '../registry/statement-kinds';

/** The SQL types whose json the text mode prints as graphql-js prints each scalar (see output.ts). */
const COLUMN_TYPES: Record<string, readonly string[]> = {
  String: ['text', 'varchar', 'character varying', 'char', 'character', 'citext', 'uuid', 'enum'],
  ID: ['text', 'uuid'],
  Int: ['integer', 'int', 'int4', 'smallint', 'int2'],
  Boolean: ['boolean', 'bool'],
  Float: ['double precision', 'float8', 'real', 'float4', 'numeric', 'decimal'],
  DateTime: ['timestamptz', 'timestamp with time zone'],
  LocalDate: ['date'],
};

/** A column read as a scalar it is not stored as (a number as a String ...) would print otherwise in text. */
function checkColumnType(model: ReadModel, field: GraphQLField<unknown, unknown>, type: string | undefined) {
  const named = getNamedType(field.type);
  const list = isListType(getNullableType(field.type));
  const stored = type?.endsWith('[]') === list ? type?.replace(/\[\]$/, '') : undefined;
  const allowed = isEnumType(named) ? ['enum', 'text'] : COLUMN_TYPES[named.name];
  if (!stored || !allowed?.includes(stored)) throw new NotCompiled(`${model.typeName}.${field.name} is stored as ${type ?? 'an unknown type'}`);
}

/**
 * Compiles a GraphQL selection into one SQL expression that yields the whole response subtree as JSON,
 * keyed by response key (aliases included). Every table is read through SqlBuilder.visible, the access seam.
 * `out` writes it: as json for graphql-js (the normal path), or as the response text itself (the fast path).
 */
export class Compiler {
  constructor(
    readonly schema: GraphQLSchema,
    readonly fragments: Record<string, FragmentDefinitionNode>,
    readonly variables: Record<string, unknown>,
    readonly q: SqlBuilder,
    readonly models: ReadonlyMap<string, ReadModel>,
    readonly out: Output = JSON_OUTPUT,
  ) {}

  model(typeName: string): ReadModel {
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

  args(field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): Record<string, unknown> {
    return getArgumentValues(field, nodes[0], this.variables);
  }

  /**
   * The entries of the selection `nodes` on `type`, each field's value given by `read` and written by `out`; in
   * text, `__typename` where it was selected (graphql-js adds it itself to json).
   */
  entries(
    type: GraphQLObjectType,
    nodes: readonly FieldNode[],
    read: (field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]) => Sql | undefined,
    write: (value: Sql, type: GraphQLOutputType) => Sql = (value, t) => this.out.value(value, t),
  ) {
    const entries: Array<[string, Sql]> = [];
    for (const [key, fieldNodes] of this.subfields(type, nodes)) {
      const name = fieldNodes[0].name.value;
      if (name === '__typename') {
        const typename = this.out.typename(type.name);
        if (typename) entries.push([key, typename]);
        continue;
      }
      const field = type.getFields()[name];
      const value = read(field, fieldNodes);
      if (value) entries.push([key, write(value, field.type)]);
      else if (this.out.text) throw new NotCompiled(`${type.name}.${name} is not read by the compiler`);
    }
    return entries;
  }

  /**
   * JSON object of the selected fields of row `alias` of `model`. `joined` names the rows of its `one` fields that the
   * query has joined already (a citation's source): those are read from the joined row, not looked up again.
   */
  object(model: ReadModel, alias: Sql, nodes: readonly FieldNode[], joined: Record<string, Sql> = {}): Sql {
    const type = this.objectType(model.typeName);
    const entries = this.entries(type, nodes, (field, fieldNodes) => this.field(model, alias, field, fieldNodes, joined[field.name]));
    // graphql-js resolves interfaces by the name the json carries.
    return this.out.object(this.out.text ? entries : [['__typename', sql.key(model.typeName)], ...entries]);
  }

  /** One object, found by `where` over alias `row`; null when missing or not visible. */
  single(model: ReadModel, nodes: readonly FieldNode[], where: (row: Sql) => Sql): Sql {
    const row = this.q.alias();
    return sql`(SELECT ${this.object(model, row, nodes)} FROM ${sql.identifier(model.table)} ${row} WHERE ${where(row)} AND ${this.q.visible(row, model.table)})`;
  }

  private field(model: ReadModel, alias: Sql, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[], joined?: Sql): Sql {
    const spec = model.fields[field.name];
    if (!spec) throw new Error(`${model.typeName}.${field.name} has no read spec in the registry`);
    // A field with a resolver of its own answers in JavaScript; connection fields only read what was compiled.
    if (this.out.text && field.resolve && spec.kind !== 'connection') throw new NotCompiled(`${model.typeName}.${field.name} has its own resolver`);
    switch (spec.kind) {
      case 'id':
        return globalIdSql(model.typeName, alias);
      case 'column':
        if (this.out.text) checkColumnType(model, field, spec.type);
        return sql`${alias}.${sql.identifier(spec.column)}`;
      case 'computed':
        return spec.sql(alias, this.q);
      case 'embedded':
        return this.embedded(spec.columns, spec.present ?? Object.values(spec.columns), alias, field, nodes);
      case 'objects':
        return this.objects(spec.column, alias, field, nodes);
      case 'one':
        if (joined) return this.object(this.model(spec.target), joined, nodes);
        return this.single(this.model(spec.target), nodes, (row) => spec.join(alias, row, this.q));
      case 'list':
        return this.list(this.model(spec.target), nodes, (row) => spec.join(alias, row, this.q), spec.order);
      case 'citations':
        return this.citations(alias, spec.cited, spec.order, nodes);
      case 'connection':
        return this.connection(this.model(spec.target), field, nodes, this.args(field, nodes), (row) => spec.join(alias, row, this.q));
      case 'either': {
        const cases = spec.options.map((o) => sql`WHEN ${o.when(alias)} THEN ${this.single(this.model(o.target), nodes, (row) => o.join(alias, row, this.q))}`);
        return sql`CASE ${sql.join(cases, ' ')} END`;
      }
    }
  }

  private embedded(columns: Record<string, string>, present: string[], alias: Sql, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): Sql {
    const type = getNamedType(field.type) as GraphQLObjectType;
    const entries = this.entries(type, nodes, (f) => sql`${alias}.${sql.identifier(columns[f.name])}`);
    const allNull = sql.join(
      present.map((c) => sql`${alias}.${sql.identifier(c)} IS NULL`),
      ' AND ',
    );
    return sql`CASE WHEN ${allNull} THEN NULL ELSE ${this.out.object(entries)} END`;
  }

  private objects(column: string, alias: Sql, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): Sql {
    const type = getNamedType(field.type) as GraphQLObjectType;
    const element = this.q.alias();
    // Read as jsonb: in text, only strings are printed (as the json path would), the field's own value checked.
    const out = this.out;
    const entries = this.entries(
      type,
      nodes,
      (f) => sql`${element}.value -> ${sql.key(f.name)}`,
      (value, t) => out.jsonbString(value, t),
    );
    return sql`(SELECT ${out.list(out.object(entries), sql`${element}.n`)}
      FROM jsonb_array_elements(${alias}.${sql.identifier(column)}) WITH ORDINALITY ${element}(value, n))`;
  }

  /** Lists leave retracted items out: they stay readable by id. */
  private list(model: ReadModel, nodes: readonly FieldNode[], join: (row: Sql) => Sql, order: (row: Sql) => Sql): Sql {
    const row = this.q.alias();
    return sql`(SELECT ${this.out.list(this.object(model, row, nodes), order(row))}
      FROM ${sql.identifier(model.table)} ${row} WHERE ${join(row)} AND ${live(row)} AND ${this.q.visible(row, model.table)})`;
  }

  /**
   * The citations of statement row `statement`, each joined to its source once: the citation rule (its own marking,
   * its source's, its statement's) is checked on the joined rows, and the source field read from the joined row. A
   * citation cites exactly one statement (citation_cites_one_statement), so the statement is the parent row itself.
   */
  private citations(statement: Sql, cited: CitedColumn, order: (citation: Sql) => Sql, nodes: readonly FieldNode[]): Sql {
    const [citation, source] = [this.q.alias(), this.q.alias()];
    const object = this.object(this.model('Citation'), citation, nodes, { source });
    return sql`(SELECT ${this.out.list(object, order(citation))}
      FROM citation ${citation} JOIN source ${source} ON ${source}.id = ${citation}.source_id
      WHERE ${live(citation)} AND ${this.q.visibleCitation(citation, { statement, cited, source })})`;
  }

  /** A Relay connection over `model`, optionally tied to a parent row by `join`. */
  connection(model: ReadModel, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[], args: ConnectionArgs, join?: (row: Sql) => Sql): Sql {
    return pageSql(this, model, getNamedType(field.type) as GraphQLObjectType, nodes, args, join);
  }
}
