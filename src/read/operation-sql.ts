import { loadConfig } from '../config';
import { deliverySettings } from '../modules/delivery/delivery.settings';
import {
  execute,
  getOperationAST,
  Kind,
  OperationTypeNode,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { collectFields } from 'graphql/execution/collectFields';
import { getVariableValues } from 'graphql/execution/values';
import type { DataSource } from 'typeorm';
import type { Viewer } from '../common/viewer';
import type { Context } from '../server/context';
import { readModels } from '../registry/registry';
import type { ReadModel } from './model';
import { Reader, type Statement } from './reader';

/** The SQL one root field of an operation sends, under its response key. */
export interface RootFieldSql {
  responseKey: string;
  /** `Query.<field>`. */
  field: string;
  /** The statement it reads with; null for a field answered without SQL (`__typename`). */
  statement: Statement | null;
}

export interface OperationSqlOptions {
  variables?: Record<string, unknown>;
  operationName?: string;
  viewer: Viewer;
  pageSize: { max: number; default: number };
  models?: ReadonlyMap<string, ReadModel>;
  /** The statements of the compiled fast path, which write the response text (output.ts). */
  text?: boolean;
}

/** Thrown at the first statement a root field sends: it is recorded instead of run. */
class Captured extends Error {
  constructor(readonly statement: Statement) {
    super('statement captured, not run');
  }
}

/**
 * The SQL each root field of a query sends for `viewer`, compiled without a database. Every root field runs
 * through its real resolver, Reader and SQL builder (briefQuery for `brief`); the database they are given records
 * the first statement sent and stops the field there. So the SQL is exactly what the service sends for the same
 * operation, variables and viewer. A field that reaches for the database other than through `query`, or that
 * fails for its input (BAD_USER_INPUT, ...), throws.
 */
export async function compileOperation(schema: GraphQLSchema, document: DocumentNode, options: OperationSqlOptions): Promise<RootFieldSql[]> {
  const invalid = validate(schema, document);
  if (invalid.length) throw invalid[0];
  const operation = getOperationAST(document, options.operationName);
  if (!operation) throw new Error(`no operation ${options.operationName ?? ''} in the document`);
  if (operation.operation !== OperationTypeNode.QUERY) throw new Error(`only queries compile to SQL, not a ${operation.operation}`);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], options.variables ?? {});
  if (coerced.errors) throw coerced.errors[0];

  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const roots = collectFields(schema, fragments, coerced.coerced, schema.getQueryType()!, operation.selectionSet);

  const result: RootFieldSql[] = [];
  for (const [responseKey, nodes] of roots) {
    const field = `Query.${nodes[0].name.value}`;
    // Each root field alone, so every statement is known to belong to it.
    const alone: OperationDefinitionNode = { ...operation, selectionSet: { kind: Kind.SELECTION_SET, selections: nodes } };
    const single: DocumentNode = { ...document, definitions: document.definitions.map((d) => (d === operation ? alone : d)) };
    const database = recordingDatabase(field);
    const models = options.models ?? readModels;
    const contextValue: Context = {
      viewer: options.viewer,
      reader: options.text
        ? new Reader(database, options.viewer, options.pageSize, models).asText()
        : new Reader(database, options.viewer, options.pageSize, models),
      dataSource: database,
      delivery: deliverySettings(loadConfig({})),
    };
    const executed = await execute({ schema, document: single, operationName: options.operationName, variableValues: options.variables, contextValue });
    const errors = (executed.errors ?? []).filter((e) => !(e.originalError instanceof Captured));
    // The field's own error (BAD_USER_INPUT naming the argument, ...), as the service would answer it.
    if (errors.length) throw errors[0];
    const captured = executed.errors?.find((e) => e.originalError instanceof Captured)?.originalError as Captured | undefined;
    result.push({ responseKey, field, statement: captured?.statement ?? null });
  }
  return result;
}

/** A database that records the statement it is sent instead of running it; anything else it refuses. */
function recordingDatabase(field: string): DataSource {
  const query = async (text: string, params: unknown[] = []) => {
    throw new Captured({ text, params });
  };
  return new Proxy({} as DataSource, {
    get(_target, property) {
      if (property === 'query') return query;
      // Looked up by promise resolution and by inspection, not a use of the database.
      if (property === 'then' || typeof property === 'symbol') return undefined;
      throw new Error(`${field} uses the database beyond one statement (dataSource.${String(property)}): it cannot be compiled offline`);
    },
  });
}
