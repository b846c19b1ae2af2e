import { GraphQLError } from 'graphql';

/**
 * Error codes are the contract with clients; messages are for people. Every code the service answers with is here,
 * those Apollo Server gives included (tests/error-codes.test.ts checks it, and the README lists them).
 */
export enum ErrorCode {
  /** An argument (named in `argumentName`) or a variable that does not fit. */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** A request that is not a GraphQL request the service can run: malformed or too deeply nested JSON, a bad method. */
  BAD_REQUEST = 'BAD_REQUEST',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  /** A query over a limit (depth, aliases, directives, cost), refused before it runs; `limit` names it. */
  QUERY_LIMIT_EXCEEDED = 'QUERY_LIMIT_EXCEEDED',
  /** A statement ran longer than STATEMENT_TIMEOUT_MS. */
  QUERY_TIMEOUT = 'QUERY_TIMEOUT',
  /** Too many requests this window (HTTP 429): retry after the Retry-After header's seconds. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** With ALLOWLIST_FILE, an operation that is not on the list (HTTP 403). */
  OPERATION_NOT_ALLOWED = 'OPERATION_NOT_ALLOWED',
  /** The database is away: retry after the Retry-After header's seconds (HTTP 503). */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  // Apollo Server's own, for a query it cannot parse, validate or pick an operation from, or a hash it does not know.
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE',
  /** An automatic persisted query sent by hash alone before its text: send it again with the text. */
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
}

export const badUserInput = (argumentName: string, message: string) =>
  new GraphQLError(`Invalid argument "${argumentName}": ${message}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName },
  });

export const notFound = (what: string) => new GraphQLError(`${what} not found`, { extensions: { code: ErrorCode.NOT_FOUND } });

/** A reference in the input (named in `argumentName`) to something that does not exist or that the writer may not see. */
export const notFoundAt = (argumentName: string, what: string) =>
  new GraphQLError(`${what} not found`, { extensions: { code: ErrorCode.NOT_FOUND, argumentName } });

export const conflict = (message: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT, ...extensions } });

export const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });

/** An error thrown in a plugin hook, before the operation runs, needs its HTTP status: Apollo answers 500 without one. */
export const asRequestError = (error: GraphQLError) =>
  new GraphQLError(error.message, {
    nodes: error.nodes,
    originalError: error.originalError ?? undefined,
    extensions: { ...error.extensions, http: { status: 400 } },
  });
