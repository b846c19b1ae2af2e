import { timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { DataSource } from 'typeorm';
import { ErrorCode } from '../common/errors';
import { cacheLookups, metrics, samplePool, sampleSubscriptions } from '../common/metrics';
import { currentRequest } from '../common/request-scope';
import type { Context } from './context';
import { clusterMetrics, currentWorker, shareMetrics } from '../cluster/worker';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const sameSecret = (given: string, expected: string) => {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * GET /metrics in Prometheus's text format. With METRICS_TOKEN set, a scrape must send it as a bearer token; without,
 * only a client on this host may scrape, and only directly: a request a proxy forwarded (X-Forwarded-For, Forwarded)
 * comes from the proxy's loopback address but from anywhere beyond it. Anyone else gets 403.
 */
export function metricsRoute(token: string | undefined): RequestHandler {
  // Among the workers of WORKERS=n, any one answers for all: the primary sums what each counted.
  const worker = currentWorker();
  if (worker) shareMetrics(metrics);
  return async (req, res) => {
    const allowed = token
      ? sameSecret(req.get('authorization') ?? '', `Bearer ${token}`)
      : LOOPBACK.has(req.socket.remoteAddress ?? '') && !req.get('x-forwarded-for') && !req.get('forwarded');
    res.setHeader('Cache-Control', 'no-store');
    if (!allowed) {
      const message = token ? 'Send METRICS_TOKEN as a bearer token to read the metrics.' : 'The metrics are served to this host only (or set METRICS_TOKEN).';
      res.status(403).json({ errors: [{ message, extensions: { code: ErrorCode.FORBIDDEN } }] });
      return;
    }
    res.setHeader('Content-Type', metrics.contentType);
    res.send(worker ? await clusterMetrics() : await metrics.metrics());
  };
}

/** Tells the request's scope which operation it runs (the duration metric's label, the slow-operation log). */
const namesOperation: GraphQLRequestListener<Context> = {
  async didResolveOperation({ operationName, operation }) {
    const scope = currentRequest();
    if (scope) scope.operation = { name: operationName, type: operation?.operation ?? 'none' };
  },
};

/** The same, and counts a lookup in the persisted query cache (a request that sent a hash without the query). */
const countsPersistedQuery: GraphQLRequestListener<Context> = {
  ...namesOperation,
  async willSendResponse({ request, metrics: seen }) {
    if (request.query === undefined) cacheLookups.inc({ cache: 'apq', result: seen.persistedQueryHit ? 'hit' : 'miss' });
  },
};

export const operationMetrics: ApolloServerPlugin<Context> = {
  async requestDidStart({ request }) {
    return request.extensions?.persistedQuery ? countsPersistedQuery : namesOperation;
  },
};

/** Reports the app's database pool and its live subscriptions in the metrics, until the returned function is called. */
export function sampleApp(dataSource: DataSource, hub: { size: number }): () => void {
  const pool = () => (dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
  const stops = [samplePool('service', pool), sampleSubscriptions(() => [{ labels: {}, value: hub.size }])];
  return () => stops.forEach((stop) => stop());
}
