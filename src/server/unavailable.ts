import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler, Response } from 'express';
import { ErrorCode } from '../common/errors';
import type { DatabaseMonitor } from '../db/monitor';
import { isDatabaseUnavailable } from '../db/unavailable';

/** What a client is told while the database is away: the seconds of Retry-After, and a message without detail. */
export const RETRY_AFTER_SECONDS = 2;
export const UNAVAILABLE_MESSAGE = 'The service cannot reach its database just now: retry later.';

export const unavailableError = (message = UNAVAILABLE_MESSAGE) => ({
  message,
  extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: RETRY_AFTER_SECONDS },
});

/** HTTP 503 with Retry-After and a GraphQL-shaped body. */
export function sendUnavailable(res: Response, message?: string): void {
  res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  res.status(503).json({ errors: [unavailableError(message)] });
}

/** While the monitor knows the database is away, requests are answered at once rather than left to time out. */
export const failFastWhileDown =
  (monitor: DatabaseMonitor): RequestHandler =>
  (_req, res, next) => {
    if (monitor.down) sendUnavailable(res);
    else next();
  };

/** A GraphQL response with a database-unavailable error is HTTP 503 with Retry-After (formatError gives its code). */
export const unavailableStatus: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ errors, response }) {
        if (!errors?.some(isDatabaseUnavailable)) return;
        response.http.status = 503;
        response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
      },
    };
  },
};
