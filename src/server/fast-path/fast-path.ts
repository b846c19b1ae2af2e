import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import type { RequestHandler } from 'express';
import { Kind, OperationTypeNode, type FragmentDefinitionNode, type GraphQLResolveInfo } from 'graphql';
import { collectFields } from 'graphql/execution/collectFields';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import type { DataSource } from 'typeorm';
import { compiledAnswers } from '../../common/metrics';
import { currentRequest, requestLog } from '../../common/request-scope';
import { NotCompiled, UNSURE } from '../../read/output';
import { CompiledText } from '../../read/reader';
import { registry } from '../../registry/registry';
import type { Context } from '../context';

/**
 * Root fields whose resolvers only read through `ctx.reader`, one statement each: the registry's `type(id:)` and
 * list fields, `node` (a stored run is read otherwise: it finds no database here and runs the normal way), `topic`
 * and `statements`.
 */
const COMPILED_ROOTS = new Set([
  'node',
  'topic',
  'statements',
  ...[...registry.values()].flatMap((t) => [t.root?.byId?.name, t.root?.list?.name].filter((n) => n !== undefined)),
]);

/** Operations known not to compile, by query hash and operation name; forgotten wholesale when full. */
const MAX_REMEMBERED = 1000;

const PLACEHOLDER = /"\\u0000compiled:(\d+)"/g;
const placeholder = (i: number) => `\u0000compiled:${i}`;

/** The database a root resolver gets on the fast path: any use of it beyond the reader runs the normal way. */
const noDatabase = new Proxy({} as DataSource, {
  get() {
    throw new NotDatabase();
  },
});
class NotDatabase extends Error {}

/**
 * The compiled fast path. When every root field of a query is one the compiler reads whole, each root field's
 * statement is compiled in text mode (output.ts), the same statement shape, access seam and statement count as the
 * normal path, but PostgreSQL writes the response text itself. Apollo gets placeholders (after parsing, validation,
 * limits and persisted queries, as any answer) and the middleware splices the texts in where the body is sent, so the
 * response cache keeps the final text. Anything else, any error, any value the text could not be sure of: the normal
 * path answers, so errors always come from graphql-js.
 */
export function fastPath(enabled: boolean): { plugin: ApolloServerPlugin<Context>; middleware: RequestHandler } {
  const refused = new Set<string>();
  const refuse = (key: string) => {
    if (refused.size >= MAX_REMEMBERED) refused.clear();
    refused.add(key);
  };

  const plugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      if (!enabled) return {};
      return {
        async responseForOperation(rc) {
          if (rc.operation?.operation !== OperationTypeNode.QUERY) return null;
          // A digest: an operation's name is one token however long, and a thousand of them are remembered.
          const key = createHash('sha256')
            .update(`${rc.queryHash ?? ''}\u0000${rc.operationName ?? ''}`)
            .digest('base64url');
          if (refused.has(key)) return normally('known');
          let answered: Array<[string, string]> | null;
          try {
            answered = await answer(rc);
          } catch (error) {
            if (error instanceof NotCompiled) refuse(key);
            return normally(error instanceof NotCompiled ? 'not compiled' : 'error', error);
          }
          if (!answered) {
            refuse(key);
            return normally('root fields');
          }
          const texts = answered.map(([, text]) => text);
          if (texts.some((t) => t.includes(UNSURE))) return normally('unsure');
          const scope = currentRequest();
          if (!scope) return normally('no scope');
          scope.compiledTexts = texts;
          compiledAnswers.inc({ path: 'compiled' });
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: Object.fromEntries(answered.map(([k], i) => [k, placeholder(i)])) } },
          };
        },
      };
    },
  };

  const middleware: RequestHandler = (_req, res, next) => {
    const scope = currentRequest();
    if (!enabled || !scope) return next();
    const send = res.send.bind(res);
    res.send = (body: unknown) => {
      res.send = send;
      const texts = scope.compiledTexts;
      if (!texts || typeof body !== 'string') return send(body);
      res.setHeader('Dossier-Path', 'compiled');
      return send(body.replace(PLACEHOLDER, (_m, i: string) => texts[Number(i)]));
    };
    next();
  };

  return { plugin, middleware };
}

function normally(why: string, detail?: unknown) {
  if (detail !== undefined) requestLog().debug({ why, err: detail }, 'fast path not taken');
  compiledAnswers.inc({ path: why });
  return null;
}

type RequestContext = GraphQLRequestContext<Context>;

function operationParts(rc: RequestContext) {
  const operation = rc.operation!;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of rc.document!.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const coerced = getVariableValues(rc.schema, operation.variableDefinitions ?? [], rc.request.variables ?? {});
  if (coerced.errors) throw coerced.errors[0];
  const queryType = rc.schema.getQueryType()!;
  const roots = collectFields(rc.schema, fragments, coerced.coerced, queryType, operation.selectionSet);
  return { operation, fragments, variables: coerced.coerced, queryType, roots };
}

/** Each root field's response key and answer text, in selection order; null when a root field is not one the compiler reads. */
async function answer(rc: RequestContext): Promise<Array<[string, string]> | null> {
  const { operation, fragments, variables, queryType, roots } = operationParts(rc);
  const names = [...roots.values()].map((nodes) => nodes[0].name.value);
  if (names.some((name) => name !== '__typename' && !COMPILED_ROOTS.has(name))) return null;
  const contextValue: Context = { ...rc.contextValue, reader: rc.contextValue.reader.asText(), dataSource: noDatabase };
  const answers = [...roots].map(async ([key, nodes]) => {
    const name = nodes[0].name.value;
    if (name === '__typename') return `"${queryType.name}"`;
    const field = queryType.getFields()[name];
    const info: GraphQLResolveInfo = {
      fieldName: name,
      fieldNodes: nodes,
      returnType: field.type,
      parentType: queryType,
      path: { prev: undefined, key, typename: queryType.name },
      schema: rc.schema,
      fragments,
      rootValue: undefined,
      operation,
      variableValues: variables,
    };
    const result: unknown = await field.resolve!(undefined, getArgumentValues(field, nodes[0], variables), contextValue, info);
    if (!(result instanceof CompiledText)) throw new NotDatabase();
    return result.text;
  });
  // Every root field's statement is sent (as graphql-js would send them all) before any failure is answered.
  const settled = await Promise.allSettled(answers);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  const keys = [...roots.keys()];
  return settled.map((s, i) => [keys[i], (s as PromiseFulfilledResult<string>).value]);
}
