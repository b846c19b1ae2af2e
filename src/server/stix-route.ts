import type { RequestHandler, Response } from 'express';
import { coerceInputValue, getNamedType, GraphQLError, isInputObjectType, isListType, isNonNullType, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { badUserInput, ErrorCode } from '../common/errors';
import type { Viewer } from '../common/viewer';
import type { ScopeInput } from '../modules/brief/brief.inputs';
import { exportStixBundleParts } from '../modules/stix/stix-export';
import { StreamClosed, writeStixBundle } from '../modules/stix/stix-stream';
import { requestLog } from '../common/request-scope';
import { formatError } from './errors';
import { RETRY_AFTER_SECONDS } from './unavailable';

/** The media type STIX 2.1 registers for its JSON (section 1.8 of the specification). */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** HTTP status of a refused export, by error code; any other code is the service's (500). */
const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.QUERY_TIMEOUT]: 504,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/**
 * The fields of ScopeInput (as the schema has them) from query parameters: `topics=a,b` or `topic=a&topic=b` for a
 * list, `minCredibility=3` for one value. The value is then coerced as GraphQL coerces the `scope` argument of
 * `stixBundle`, so the same types and enum values are accepted, and refused with BAD_USER_INPUT naming the field.
 */
export function scopeOfQuery(schema: GraphQLSchema, query: Record<string, unknown>): ScopeInput {
  const type = schema.getType('ScopeInput');
  if (!isInputObjectType(type)) throw new Error('the schema has no input ScopeInput');
  const fields = type.getFields();
  const byName = new Map<string, string>();
  for (const [name, field] of Object.entries(fields)) {
    byName.set(name, name);
    const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
    if (list && name.endsWith('s')) byName.set(name.slice(0, -1), name);
  }
  const raw: Record<string, unknown> = {};
  for (const [parameter, given] of Object.entries(query)) {
    const name = byName.get(parameter);
    if (!name) throw badUserInput('scope', `no parameter "${parameter}": use ${[...byName.keys()].join(', ')}`);
    const values = (Array.isArray(given) ? given : [given]).map(String);
    const field = fields[name];
    if (isListType(isNonNullType(field.type) ? field.type.ofType : field.type)) {
      raw[name] = [...((raw[name] as string[] | undefined) ?? []), ...values.flatMap((v) => v.split(','))];
    } else if (name in raw || values.length > 1) throw badUserInput(`scope.${name}`, 'give it once');
    else raw[name] = getNamedType(field.type).name === 'Int' && /^-?\d+$/.test(values[0].trim()) ? Number(values[0]) : values[0];
  }
  let problem: GraphQLError | undefined;
  const scope = coerceInputValue(raw, type, (path, _value, error) => {
    problem ??= badUserInput(['scope', ...path].join('.'), error.message);
  });
  if (problem) throw problem;
  return scope as ScopeInput;
}

/**
 * GET /stix/bundle?topics=...: `stixBundle(scope:)`'s bundle, the same bytes, streamed. The identity middleware in
 * front of it has put the reader in `res.locals.viewer`; the export module applies the access rules as for GraphQL.
 */
export function stixBundleRoute(schema: GraphQLSchema, dataSource: DataSource, production: boolean): RequestHandler {
  const format = formatError(production, true);
  return async (req, res) => {
    try {
      const scope = scopeOfQuery(schema, req.query);
      const parts = await exportStixBundleParts(dataSource, res.locals.viewer as Viewer, scope);
      res.status(200);
      res.setHeader('Content-Type', STIX_MEDIA_TYPE);
      res.setHeader('Dossier-Stix-Bundle', parts.id);
      res.setHeader('Dossier-Stix-Objects', String(parts.objectCount));
      await writeStixBundle(parts, res);
      res.end();
    } catch (error) {
      if (error instanceof StreamClosed) return;
      // Once the bundle has begun, a failure can only cut it short: the client sees an incomplete response.
      if (res.headersSent) {
        requestLog().error({ err: error }, 'STIX bundle cut short');
        return void res.destroy();
      }
      refuse(res, error, format);
    }
  };
}

function refuse(res: Response, error: unknown, format: ReturnType<typeof formatError>): void {
  const unhidden =
    error instanceof GraphQLError
      ? { message: error.message, extensions: error.extensions }
      : { message: (error as Error)?.message ?? String(error), extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  const formatted = format(unhidden, error);
  const given = formatted.extensions?.code;
  const code = typeof given === 'string' ? given : ErrorCode.INTERNAL_SERVER_ERROR;
  const status = STATUS[code] ?? 500;
  if (status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  res.status(status).json({ errors: [{ message: formatted.message, extensions: formatted.extensions }] });
}
