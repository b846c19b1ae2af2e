import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { logger } from '../common/logger';
import { operationLabel, requestDuration, slowOperations } from '../common/metrics';
import { newRequestScope, runInRequestScope, type RequestScope } from '../common/request-scope';

/** An incoming X-Request-Id is kept when it is a plain token (a proxy's or a client's id); anything else gets a fresh UUID. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Gives every request an id (echoed in X-Request-Id) and a scope that follows its work (see common/request-scope).
 * Once a GraphQL request is answered, it counts in the duration metric and, when it took `slowMs` or longer, is
 * logged with the SQL it sent (texts only). Every request is logged at debug level.
 */
export function requestScope(slowMs: number): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    const scope = newRequestScope(id);
    if (req.path === '/graphql') {
      const started = process.hrtime.bigint();
      res.once('finish', () => finished(scope, res.statusCode, Number(process.hrtime.bigint() - started) / 1e6, slowMs));
    }
    runInRequestScope(scope, next);
  };
}

function finished(scope: RequestScope, status: number, ms: number, slowMs: number) {
  const type = scope.operation?.type ?? 'none';
  requestDuration.observe({ operation: operationLabel(scope.operation?.name), type, status: `${Math.floor(status / 100)}xx` }, ms / 1000);
  const fields = { operation: scope.operation?.name ?? null, type, status, ms: Math.round(ms * 10) / 10, sqlMs: Math.round(scope.sqlMs * 10) / 10 };
  if (ms >= slowMs) {
    slowOperations.inc();
    scope.log.warn({ ...fields, statements: scope.statements }, 'slow operation');
  } else if (logger.isLevelEnabled('debug')) {
    scope.log.debug({ ...fields, statements: scope.statements.length }, 'request served');
  }
}
