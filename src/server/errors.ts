import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ErrorRequestHandler } from 'express';
import { ErrorCode } from '../common/errors';
import { requestLog } from '../common/request-scope';
import { isDatabaseUnavailable } from '../db/unavailable';
import { constraintError } from './constraint-errors';
import { sendUnavailable, unavailableError } from './unavailable';

/** PostgreSQL's code for a statement cancelled by statement_timeout. */
const QUERY_CANCELED = '57014';

/** graphql-js ends some messages with the names it knows that are close to the one asked for. */
const SUGGESTION = / ?Did you mean .+\?$/;

/** Apollo's refusal of introspection, which speaks of its own constructor option rather than the service's setting. */
const INTROSPECTION_REFUSED = /^GraphQL introspection is not allowed/;

/**
 * The one place errors leave the service. Coded errors pass as they are; anything unexpected is logged and,
 * in production, reduced to a generic message so no SQL or stack trace reaches a client. With `hideSchemaDetails`
 * no message suggests a name: Apollo's option of that name covers validation only, not variable values.
 * `introspectionRefused` replaces Apollo's message when introspection is off, naming the setting that turns it on.
 */
export function formatError(production: boolean, hideSchemaDetails: boolean, introspectionRefused?: string) {
  return (unhidden: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (introspectionRefused && INTROSPECTION_REFUSED.test(unhidden.message)) return { ...unhidden, message: introspectionRefused };
    const formatted = hideSchemaDetails ? { ...unhidden, message: unhidden.message.replace(SUGGESTION, '') } : unhidden;
    const code = formatted.extensions?.code;
    if (code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
    // Apollo refuses some requests (a persisted query hash that does not match, an unknown version) with a 4xx but no
    // code: they are the client's, said as such.
    const status = (error as { extensions?: { http?: { status?: number } } } | undefined)?.extensions?.http?.status;
    if (status && status >= 400 && status < 500) return { ...formatted, extensions: { code: ErrorCode.BAD_REQUEST } };
    // Not logged one by one: the database monitor reports the outage once.
    if (isDatabaseUnavailable(error)) return { ...unavailableError(), locations: formatted.locations, path: formatted.path };
    // A write that breaks a rule the database holds: the client's input, named.
    const violation = constraintError(unwrapResolverError(error));
    if (violation) return { message: violation.message, locations: formatted.locations, path: formatted.path, extensions: violation.extensions };
    if ((unwrapResolverError(error) as { driverError?: { code?: string } }).driverError?.code === QUERY_CANCELED) {
      const message = 'The query ran longer than the database allows (STATEMENT_TIMEOUT_MS): ask for less.';
      return { message, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.QUERY_TIMEOUT } };
    }
    requestLog().error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected error');
    if (!production) return formatted;
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code } };
  };
}

/** A body that is not valid JSON gets a GraphQL-shaped JSON error, not Express's HTML page; a database away, a 503. */
export const jsonBodyErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  if (isDatabaseUnavailable(error)) return sendUnavailable(res);
  // What Express's body parser puts on the errors it raises.
  const { status: given, type, message: text } = (error ?? {}) as { status?: unknown; type?: unknown; message?: unknown };
  const status = typeof given === 'number' ? given : 500;
  const message =
    type === 'entity.parse.failed'
      ? 'The request body is not valid JSON'
      : type === 'entity.too.large'
        ? 'The request body is too large'
        : status < 500
          ? String(text)
          : 'Internal server error';
  if (status >= 500) requestLog().error({ err: error }, 'unexpected error');
  res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_SERVER_ERROR } }] });
};
