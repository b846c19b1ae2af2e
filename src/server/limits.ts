import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  getNullableType,
  getOperationAST,
  GraphQLError,
  isListType,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { asRequestError, ErrorCode } from '../common/errors';
import { objectFieldCount } from './object-fields';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxCost: number;
  /** Fields of object type after fragments are expanded: the subqueries of the compiled statement. */
  maxObjectFields: number;
  /** Page size assumed for a list argument left out, and its `first` limit. */
  pageSize: number;
}

/** Items assumed per list field that takes no page size (the citations of a statement, its actors ...). */
const LIST_SIZE = 10;

/**
 * Cost of a query: one per field, times the rows a field can return. A paged field costs its `first` (or the
 * default page size) times its children; a plain list LIST_SIZE times; the lists inside a connection are already
 * counted by the connection.
 */
const rowsEstimator =
  (pageSize: number): ComplexityEstimator =>
  ({ field, args, childComplexity, type }) => {
    if (field.args.some((a) => a.name === 'first')) return 1 + childComplexity * (typeof args.first === 'number' ? args.first : pageSize);
    if (isListType(getNullableType(field.type)) && !type.name.endsWith('Connection')) return 1 + childComplexity * LIST_SIZE;
    return 1 + childComplexity;
  };

const queryCost = (schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined, pageSize: number) =>
  getComplexity({ schema, query: document, variables, operationName, estimators: [rowsEstimator(pageSize)] });

const limitExceeded = (limit: string, max: number, message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED, limit, max, http: { status: 400 } } });

/**
 * Refuses a query over any limit before it runs, with code QUERY_LIMIT_EXCEEDED and `extensions.limit` naming the
 * limit (depth, aliases, directives, cost). The shape limits are Escape's graphql-armor rules; the cost comes from
 * graphql-query-complexity. The token limit is the parser's (`parseOptions.maxTokens`).
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  const check = queryLimitsCheck(limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, request }) {
          check(schema, document, request.variables ?? {}, request.operationName ?? undefined);
        },
      };
    },
  };
}

/** The same checks for operations that do not come through Apollo (subscriptions over WebSocket): throws the refusal. */
export function queryLimitsCheck(limits: QueryLimits) {
  const rules: Array<[string, number, ValidationRule]> = [
    ['depth', limits.maxDepth, maxDepthRule({ n: limits.maxDepth, flattenFragments: true, exposeLimits: true })],
    ['aliases', limits.maxAliases, maxAliasesRule({ n: limits.maxAliases, exposeLimits: true })],
    ['directives', limits.maxDirectives, maxDirectivesRule({ n: limits.maxDirectives, exposeLimits: true })],
  ];
  // The shape of a document is checked once: Apollo hands the same parsed document to every request that sends the
  // same text, so a repeated operation costs a map lookup rather than three walks of its tree.
  const knownCosts = new WeakMap<DocumentNode, Map<string, number>>();
  const objectFieldCounts = new WeakMap<OperationDefinitionNode, number>();
  const shapeChecked = new WeakMap<DocumentNode, Parameters<typeof limitExceeded> | null>();
  const shapeRefusal = (schema: GraphQLSchema, document: DocumentNode): Parameters<typeof limitExceeded> | null => {
    for (const [limit, max, rule] of rules) {
      // The armor rules throw on the first breach.
      const error = catchError(() => validate(schema, document, [rule]));
      if (error) return [limit, max, error.message.replace(/^Syntax Error: /, '')];
    }
    return null;
  };
  return (schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined): void => {
    let refusal = shapeChecked.get(document);
    if (refusal === undefined) shapeChecked.set(document, (refusal = shapeRefusal(schema, document)));
    if (refusal) throw limitExceeded(...refusal);
    const operation = getOperationAST(document, operationName);
    if (operation) {
      const objects = objectFieldCounts.get(operation) ?? objectFieldCounts.set(operation, objectFieldCount(schema, document, operation)).get(operation)!;
      if (objects > limits.maxObjectFields) {
        throw limitExceeded(
          'objectFields',
          limits.maxObjectFields,
          `The query selects ${objects} object fields once its fragments are expanded, over the limit of ${limits.maxObjectFields}: select fewer nested objects.`,
        );
      }
    }
    // Checked first with a cap on errors: a list of a hundred thousand bad values must not cost one error each.
    const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], variables, { maxErrors: 20 });
    if (coerced.errors) {
      throw asRequestError(new GraphQLError(coerced.errors[0].message, { extensions: { code: ErrorCode.BAD_USER_INPUT } }));
    }
    // Without variables, the cost is the document's own: computed once per document and operation.
    const constant = !operation?.variableDefinitions?.length;
    const costs = constant ? (knownCosts.get(document) ?? knownCosts.set(document, new Map()).get(document)!) : undefined;
    let cost: number | undefined = costs?.get(operationName ?? '');
    try {
      cost ??= queryCost(schema, document, variables, operationName, limits.pageSize);
      costs?.set(operationName ?? '', cost);
    } catch (error) {
      // Variables that do not fit their types: refused here, since a cost that cannot be known is not allowed.
      if (error instanceof GraphQLError) throw asRequestError(new GraphQLError(error.message, { extensions: { code: ErrorCode.BAD_USER_INPUT } }));
      throw error;
    }
    if (cost > limits.maxCost) {
      throw limitExceeded('cost', limits.maxCost, `Query cost ${cost} is over the limit of ${limits.maxCost}: ask for fewer rows or fields.`);
    }
  };
}

function catchError(check: () => readonly GraphQLError[]): GraphQLError | undefined {
  try {
    return check()[0];
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
}
