import type { GraphQLResolveInfo } from 'graphql';
import type { DataSource } from 'typeorm';
import { notFound } from '../common/errors';
import { currentRequest, type RootOutcome } from '../common/request-scope';
import { reusable } from '../db/prepared';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { Viewer } from '../common/viewer';
import { Compiler } from './compile';
import { compile, sql, type Sql } from './fragment';
import { fromGlobalId } from './global-id';
import type { ReadModel } from './model';
import { JSON_OUTPUT, TEXT_OUTPUT, type Output } from './output';
import type { ConnectionArgs } from './page';
import { SqlBuilder } from './sql';

/**
 * The read path of one request: each root field becomes one SQL statement that returns its whole response
 * subtree as JSON, filtered for the viewer. Resolvers below the root only read what it returned.
 */
export class Reader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly viewer: Viewer,
    readonly pageSize: { max: number; default: number },
    private readonly models: ReadonlyMap<string, ReadModel>,
    private readonly out: Output = JSON_OUTPUT,
  ) {}

  /** The same reader writing each root field's answer as response text (the fast path): it returns CompiledText. */
  asText(): Reader {
    return new Reader(this.dataSource, this.viewer, this.pageSize, this.models, TEXT_OUTPUT);
  }

  /** One object of `typeName` matching `where`; NOT_FOUND when there is none the viewer may see. */
  async one(info: GraphQLResolveInfo, typeName: string, what: string, where: (row: Sql, q: SqlBuilder) => Sql) {
    const result = await this.run(info, (c) => c.single(c.model(typeName), info.fieldNodes, (row) => where(row, c.q)));
    if (result === null) throw notFound(what);
    return result;
  }

  /** An object by global id, of any type (`node`) or of the given types. */
  byId(info: GraphQLResolveInfo, globalId: string, argumentName: string, types?: string[]) {
    const { typeName, id } = fromGlobalId(globalId, argumentName, types);
    if (!this.models.has(typeName)) throw notFound(`${typeName} ${globalId}`);
    return this.one(info, typeName, `${typeName} ${globalId}`, (row) => sql`${row}.id = ${sql.value(id, 'uuid')}`);
  }

  /** A Relay connection over all rows of `typeName` the viewer may see. */
  connection(info: GraphQLResolveInfo, typeName: string, args: ConnectionArgs) {
    const field = info.parentType.getFields()[info.fieldName];
    return this.run(info, (c) => c.connection(c.model(typeName), field, info.fieldNodes, args));
  }

  /** A root field compiled by `build` (search composes its own statement around compiled objects). */
  read(info: GraphQLResolveInfo, build: (c: Compiler) => Sql): Promise<unknown> {
    return this.run(info, build);
  }

  private async run(info: GraphQLResolveInfo, build: (c: Compiler) => Sql): Promise<unknown> {
    // At a root field, the fast path's statement may have settled it already (not found, timed out, database away): the
    // normal path then takes that outcome rather than wait for the same statement twice.
    const root = info.path?.prev === undefined ? String(info.path?.key) : undefined;
    const scope = root === undefined ? undefined : currentRequest();
    const outcomes = scope?.rootOutcomes;
    const known = !this.out.text && root !== undefined ? outcomes?.get(root) : undefined;
    if (known) {
      outcomes!.delete(root!);
      if ('error' in known) throw known.error;
      return known.result;
    }
    const keep = (outcome: RootOutcome) => {
      if (this.out.text && scope && root !== undefined) (scope.rootOutcomes ??= new Map()).set(root, outcome);
    };
    const statement = compileRootField(info, this.viewer, this.pageSize, this.models, build, this.out);
    let rows: Array<{ result: unknown }>;
    try {
      rows = await this.dataSource.query(reusable(statement.text), statement.params);
    } catch (error) {
      // Other failures may be the text mode's own: the normal path sends its statement.
      if (timedOut(error) || isDatabaseUnavailable(error)) keep({ error });
      throw error;
    }
    const result = rows[0].result;
    if (result === null) keep({ result: null });
    return this.out.text && result !== null ? new CompiledText(result as string) : result;
  }
}

/** PostgreSQL cancelled the statement at statement_timeout. */
const timedOut = (error: unknown) => (error as { driverError?: { code?: string } }).driverError?.code === '57014';

/** A root field's answer as the response text graphql-js would send for it (see output.ts). */
export class CompiledText {
  constructor(readonly text: string) {}
}

/** One SQL statement as sent to PostgreSQL. */
export interface Statement {
  text: string;
  params: unknown[];
}

/**
 * The statement that reads one root field for `viewer`: `build` compiles the field's selection into one JSON
 * expression. Pure (no database), so the SQL of an operation can be compiled and reviewed offline (operation-sql.ts).
 */
export function compileRootField(
  info: Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'variableValues'>,
  viewer: Viewer,
  pageSize: { max: number; default: number },
  models: ReadonlyMap<string, ReadModel>,
  build: (c: Compiler) => Sql,
  out: Output = JSON_OUTPUT,
): Statement {
  const q = new SqlBuilder(viewer, pageSize.max, pageSize.default);
  const compiler = new Compiler(info.schema, info.fragments, info.variableValues, q, models, out);
  const { text, values } = compile(sql`SELECT ${build(compiler)} AS result`);
  return { text, params: values };
}

/** Fields below the root: the compiled JSON already holds the value under the field's response key. */
export const compiled = (root: Record<string, unknown>, info: GraphQLResolveInfo) => root[info.path.key as string];
