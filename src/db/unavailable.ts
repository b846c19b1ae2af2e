/**
 * Whether an error means the database could not be reached or stopped answering, rather than refusing a statement.
 * Such errors are the service's to retry and the client's to retry later (HTTP 503); they say nothing about the
 * request. Errors arrive wrapped (TypeORM's QueryFailedError, GraphQL's originalError, or its thrownValue when the
 * value is not an Error of its realm, `cause`), so the chain is followed a few steps.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current = error as ErrorLike | undefined;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (looksUnavailable(current)) return true;
    current = current.driverError ?? current.originalError ?? current.thrownValue ?? current.cause;
  }
  return false;
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: ErrorLike;
  originalError?: ErrorLike;
  thrownValue?: ErrorLike;
  cause?: ErrorLike;
}

/** Socket errors: nothing listens, the connection broke, or the host is unknown or unreachable (a container restarting). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs of a server that is not there for us: class 08 (connection exception), 57P01 admin shutdown, 57P02 crash
 * shutdown, 57P03 cannot connect now (starting up or recovering), 53300 too many connections; and 55P03, a lock not
 * had in time, which only an Idempotency-Key claim waits for with a timeout (its holder may be a session the
 * network lost, until the server ends it).
 */
const unavailableState = (code: string) => /^08[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', '53300', '55P03'].includes(code);

/** What node-postgres and its pool say when a connection breaks or an answer does not come in time. */
const DRIVER_MESSAGES = [
  /^Connection terminated/, // unexpectedly, or due to connection timeout
  /^timeout exceeded when trying to connect$/, // the pool had no connection to give in time
  /^timeout expired$/, // a client's own connectionTimeoutMillis
  /^Query read timeout$/, // query_timeout
  /is not queryable$/, // a client whose connection failed or was closed
];

function looksUnavailable(error: ErrorLike): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  if (SOCKET_CODES.has(code) || unavailableState(code)) return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return DRIVER_MESSAGES.some((pattern) => pattern.test(message));
}

/** Why the database is away, in words that name no host or credentials (for logs and /readyz). */
export function unavailableReason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === '57P03') return 'the server is starting up or shutting down';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (/timeout/i.test(message ?? '') || code === 'ETIMEDOUT') return 'no answer in time';
  if (/terminated|ECONNRESET|EPIPE|57P0[12]/.test(`${message} ${code}`)) return 'connection lost';
  return 'unreachable';
}
