import { GraphQLError } from 'graphql';

/** Error codes are the contract with clients; messages are for people. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  BAD_REQUEST = 'BAD_REQUEST',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  QUERY_LIMIT_EXCEEDED = 'QUERY_LIMIT_EXCEEDED',
  QUERY_TIMEOUT = 'QUERY_TIMEOUT',
  /** The database is away: retry after the Retry-After header's seconds (HTTP 503). */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export const badUserInput = (argumentName: string, message: string) =>
  new GraphQLError(`Invalid argument "${argumentName}": ${message}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName },
  });

export const notFound = (what: string) => new GraphQLError(`${what} not found`, { extensions: { code: ErrorCode.NOT_FOUND } });

export const conflict = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT } });

export const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });

/** An error thrown in a plugin hook, before the operation runs, needs its HTTP status: Apollo answers 500 without one. */
export const asRequestError = (error: GraphQLError) =>
  new GraphQLError(error.message, {
    nodes: error.nodes,
    originalError: error.originalError ?? undefined,
    extensions: { ...error.extensions, http: { status: 400 } },
  });
