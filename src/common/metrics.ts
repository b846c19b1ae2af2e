import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics (prom-client), served at /metrics. Labels take a few fixed values or bounded
 * names (operation names, see `operationLabel`): never a principal, an organisation, an id or any item's content.
 */
export const metrics = new Registry();
collectDefaultMetrics({ register: metrics, prefix: 'dossier_' });

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const requestDuration = new Histogram({
  name: 'dossier_http_request_duration_seconds',
  help: 'GraphQL requests over HTTP, from arrival to the last byte sent, by operation name, operation type and HTTP status class.',
  labelNames: ['operation', 'type', 'status'] as const,
  buckets: SECONDS,
  registers: [metrics],
});

export const sqlDuration = new Histogram({
  name: 'dossier_sql_statement_duration_seconds',
  help: 'SQL statements sent to PostgreSQL by the service (its pool and the queue), from sending to the answer.',
  labelNames: ['outcome'] as const,
  buckets: SECONDS,
  registers: [metrics],
});

export const slowOperations = new Counter({
  name: 'dossier_slow_operations_total',
  help: 'GraphQL requests that took longer than SLOW_OPERATION_MS (each is logged with its SQL).',
  registers: [metrics],
});

export const rateLimitRefusals = new Counter({
  name: 'dossier_rate_limit_refusals_total',
  help: 'Requests refused by a rate limit: an identity over its budget (requests), or an address sending refused credentials.',
  labelNames: ['limit', 'transport'] as const,
  registers: [metrics],
});

export const cacheLookups = new Counter({
  name: 'dossier_cache_lookups_total',
  help: 'Lookups in the service caches (apq: automatic persisted queries), by result.',
  labelNames: ['cache', 'result'] as const,
  registers: [metrics],
});

export const compiledAnswers = new Counter({
  name: 'dossier_compiled_answers_total',
  help: 'Queries answered with the text PostgreSQL wrote (the compiled fast path), or run the normal way, by why.',
  labelNames: ['path'] as const,
  registers: [metrics],
});

export const briefRuns = new Counter({
  name: 'dossier_brief_runs_total',
  help: 'Scheduled brief runs attempted by this instance, by outcome.',
  labelNames: ['outcome'] as const,
  registers: [metrics],
});

export const schedulerTicks = new Counter({
  name: 'dossier_scheduler_ticks_total',
  help: 'Scheduler ticks (looking for due brief definitions), by outcome.',
  labelNames: ['outcome'] as const,
  registers: [metrics],
});

export const deliveryAttempts = new Counter({
  name: 'dossier_delivery_attempts_total',
  help: 'Brief deliveries handled, by kind (webhook, email) and the state they were left in.',
  labelNames: ['kind', 'state'] as const,
  registers: [metrics],
});

export const webSocketConnections = new Gauge({
  name: 'dossier_websocket_connections',
  help: 'WebSocket connections open on this instance.',
  registers: [metrics],
});

/** What a gauge reads when scraped: every source registered, summed per label set. */
type Source<L extends string> = () => Array<{ labels: Record<L, string>; value: number }>;

function sampledGauge<L extends string>(name: string, help: string, labelNames: readonly L[]) {
  const sources = new Set<Source<L>>();
  new Gauge({
    name,
    help,
    labelNames,
    registers: [metrics],
    collect() {
      this.reset();
      for (const source of sources) for (const { labels, value } of source()) this.inc(labels as never, value);
    },
  });
  /** Adds a source until the returned function is called. */
  return (source: Source<L>) => {
    sources.add(source);
    return () => void sources.delete(source);
  };
}

/** The subscriptions open on this instance (each app's live hub registers itself). */
export const sampleSubscriptions = sampledGauge('dossier_websocket_subscriptions', 'Live subscriptions open on this instance.', []);

interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const samplePools = sampledGauge(
  'dossier_db_pool_connections',
  'Connections of the node-postgres pools (service: queries; queue: pg-boss): total and idle, and clients waiting for one.',
  ['pool', 'state'],
);

/** Reports a node-postgres pool's usage under `pool` until the returned function is called. */
export const samplePool = (pool: string, counts: () => PoolCounts | undefined) =>
  samplePools(() => {
    const c = counts();
    if (!c) return [];
    return [
      { labels: { pool, state: 'total' }, value: c.totalCount },
      { labels: { pool, state: 'idle' }, value: c.idleCount },
      { labels: { pool, state: 'waiting' }, value: c.waitingCount },
    ];
  });

/** Distinct operation names given a label of their own; later ones count as `other`, so no client can grow the series without bound. */
const MAX_OPERATION_NAMES = 200;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const operationNames = new Set<string>();

/** Names every operation of `names` gets as a label whatever the cap (an allow-list's, the example operations). */
export function knownOperations(names: Iterable<string>): void {
  for (const name of names) if (GRAPHQL_NAME.test(name)) operationNames.add(name);
}

/** The label of an operation: its name while names are under the cap, `anonymous` without one, else `other`. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (operationNames.has(name)) return name;
  if (operationNames.size >= MAX_OPERATION_NAMES || !GRAPHQL_NAME.test(name)) return 'other';
  operationNames.add(name);
  return name;
}
