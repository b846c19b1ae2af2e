import type { Server } from 'node:http';
import { deliverySettings } from '../modules/delivery/delivery.settings';
import { join } from 'node:path';
import proxyAddr from 'proxy-addr';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import express from 'express';
import helmet from 'helmet';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Viewer } from '../common/viewer';
import { DatabaseMonitor } from '../db/monitor';
import { compactRollupEvery } from '../modules/aggregate/rollup-compaction';
import { identify } from '../modules/identity/authenticate';
import { jwtVerifier } from '../modules/identity/jwt';
import { readModels } from '../registry/registry';
import { reservedAliasesRule } from './reserved-aliases';
import { Reader } from '../read/reader';
import type { Context } from './context';
import { formatError, jsonBodyErrors } from './errors';
import { graphiqlRoute } from './graphiql';
import { compressResponses } from './compression';
import { useAsOneLayer } from './chain';
import { jsonBody } from './json-body';
import { staticHeaders } from './static-headers';
import { currentWorker } from '../cluster/worker';
import { corsMiddleware } from './cors';
import { refuseDeepJson } from './json-depth';
import { legacyJsonStatus } from './legacy-json-status';
import { graphiqlOn, introspectionOn } from './mode';
import { refuseNulStrings } from './input-guards';
import { queryLimitsPlugin } from './limits';
import { allowListFieldGuard, allowListGuard, AllowListStore, loadAllowList } from './persisted-queries';
import { BRIEF_RUN_CHANNEL, CHANGE_CHANNEL, LiveHub } from '../modules/live/live-hub';
import { NotificationListener } from '../modules/live/notification-listener';
import { createRateLimiter } from './rate-limit';
import { failFastWhileDown, unavailableStatus } from './unavailable';
import { attachWebSockets } from './websocket';
import { metricsRoute, operationMetrics, sampleApp } from './metrics';
import { requestScope } from './request-scope';
import { logger } from '../common/logger';
import { createHash } from 'node:crypto';
import { printSchema } from 'graphql';
import { createResponseCache } from './response-cache/response-cache';
import { fastPath } from './fast-path/fast-path';
import { stixBundleRoute } from './stix-route';
import { largeAnswers, type LargeAnswers } from './large-answers/large-answers';

const OPERATIONS_DIR = join(__dirname, '..', '..', 'fixtures', 'operations');

/** Every object below a root field comes whole from the SQL compiler, keyed by response key. */
const readResponseKey: GraphQLFieldResolver<Record<string, unknown>, Context> = (source, _args, _ctx, info) => source[info.path.key as string];

export interface App {
  app: express.Express;
  /** Serves subscriptions over WebSocket on the server listening for `app` (same port, `/graphql`). */
  attach: (server: Server) => { close: () => Promise<void> };
  stop: () => Promise<void>;
}

export interface AppHealth {
  /** Checks the database for /readyz and fast 503s; the app starts its own when none is given. */
  monitor?: DatabaseMonitor;
  /** The scheduler's state for /readyz, when this instance runs one. */
  scheduler?: () => object;
}

export async function createApp(config: Config, schema: GraphQLSchema, dataSource: DataSource, health: AppHealth = {}): Promise<App> {
  const ownMonitor = health.monitor ? undefined : await monitorFor(config, dataSource).start();
  const monitor = health.monitor ?? ownMonitor!;
  const production = config.NODE_ENV === 'production';
  const pageSize = { max: config.MAX_PAGE_SIZE, default: Math.min(config.DEFAULT_PAGE_SIZE, config.MAX_PAGE_SIZE) };
  const delivery = deliverySettings(config);
  // Automatic persisted queries are on; with an allow-list, the list is the only store and nothing else runs.
  const allowList = config.ALLOWLIST_FILE ? loadAllowList(config.ALLOWLIST_FILE) : undefined;
  const introspection = introspectionOn(config);
  const introspectionRefused =
    config.INTROSPECTION === false
      ? 'Introspection is off (INTROSPECTION=false); set INTROSPECTION=true to allow it.'
      : 'Introspection is off in production; set INTROSPECTION=true to allow it.';
  const limits = {
    maxDepth: config.MAX_DEPTH,
    maxAliases: config.MAX_ALIASES,
    maxDirectives: config.MAX_DIRECTIVES,
    maxCost: config.MAX_COST,
    maxObjectFields: config.MAX_OBJECT_FIELDS,
    pageSize: pageSize.default,
  };
  const responseCache = createResponseCache(dataSource, {
    bytes: config.RESPONSE_CACHE_BYTES,
    ttlSeconds: config.RESPONSE_CACHE_TTL_S,
    redisUrl: config.REDIS_URL,
    prefix: config.RESPONSE_CACHE_PREFIX,
    // Instances with another schema or other limits never share answers.
    fingerprint: createHash('sha256')
      .update(JSON.stringify([printSchema(schema), limits, pageSize, introspection, production, config.MAX_TOKENS]))
      .digest('base64url'),
    maxTokens: config.MAX_TOKENS,
    warn: (line) => logger.warn(line),
  });
  const compiled = fastPath(config.FAST_PATH === 'on');
  const apollo = new ApolloServer<Context>({
    persistedQueries: allowList ? { cache: new AllowListStore(allowList) } : {},
    schema,
    fieldResolver: readResponseKey,
    validationRules: [reservedAliasesRule],
    formatError: formatError(production, !introspection, introspection ? undefined : introspectionRefused),
    includeStacktraceInErrorResponses: !production,
    introspection,
    // Without introspection, "Did you mean ...?" suggestions would hand out the schema's names one by one.
    hideSchemaDetailsFromClientErrors: !introspection,
    parseOptions: { maxTokens: config.MAX_TOKENS },
    // main.ts stops everything in order on SIGINT and SIGTERM; Apollo's own handlers would re-raise the signal first.
    stopOnTerminationSignals: false,
    // CSRF prevention stays on (the default): a GET or simple POST needs a JSON content type or a preflight header.
    // Apollo's default cache-control plugin wraps every field of every answer to compute cache hints nobody reads
    // (answers are never cached by HTTP caches); tracing and reporting to Apollo's cloud are off, explicitly.
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      legacyJsonStatus,
      unavailableStatus,
      refuseNulStrings,
      queryLimitsPlugin(limits),
      operationMetrics,
      ...(responseCache ? [responseCache.plugin] : []),
      compiled.plugin,
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // No ETag hashed over every answer: GraphQL answers are not revalidated (a GET would run the operation anyway). The
  // GraphiQL page sets its own ETag, and Express still answers its revalidations with 304.
  app.set('etag', false);
  app.use(requestScope(config.SLOW_OPERATION_MS));
  // Behind proxies, the client address (for anonymous rate limits) is the one this many hops in front.
  if (config.TRUST_PROXY) app.set('trust proxy', config.TRUST_PROXY);
  app.use(compressResponses);
  // CORS headers on every answer, errors and 429s included; preflights answered here, before anything else sees them.
  const cors = corsMiddleware(config.CORS_ORIGINS);
  if (cors) app.use(cors);
  // Security headers everywhere; the GraphiQL page needs its inline script, the API answers with JSON only. Pages of
  // other origins may load the API's answers only when CORS_ORIGINS lets them.
  app.use(staticHeaders(helmet({ contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: cors ? 'cross-origin' : 'same-origin' } })));
  if (graphiqlOn(config)) app.get('/', graphiqlRoute(OPERATIONS_DIR));
  app.get('/metrics', metricsRoute(config.METRICS_TOKEN));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Answered from the monitor's latest check, made on its own connection: instant, and true under load. With
  // WORKERS=n, it names the worker that answered.
  const worker = currentWorker();
  app.get('/readyz', (_req, res) => {
    const database = monitor.health;
    const ready = database.status === 'up';
    res.setHeader('Cache-Control', 'no-store');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'database unreachable',
      database,
      scheduler: health.scheduler?.() ?? { status: 'off' },
      ...(worker ? { worker } : {}),
    });
  });
  const jwt = config.JWT_JWKS_URL
    ? jwtVerifier({
        jwksUrl: config.JWT_JWKS_URL,
        issuer: config.JWT_ISSUER!,
        audience: config.JWT_AUDIENCE!,
        claims: {
          principal: config.JWT_PRINCIPAL_CLAIM,
          role: config.JWT_ROLE_CLAIM,
          clearance: config.JWT_CLEARANCE_CLAIM,
          organisation: config.JWT_ORGANISATION_CLAIM,
        },
      })
    : undefined;
  const rateLimiter = createRateLimiter({
    points: config.RATE_LIMIT_POINTS,
    windowSeconds: config.RATE_LIMIT_WINDOW_S,
    redisUrl: config.REDIS_URL,
    keyPrefix: config.RATE_LIMIT_PREFIX,
  });
  // Who asks, and whether they may ask now: the same for GraphQL and for the streamed STIX export.
  const identified = [
    staticHeaders(helmet.contentSecurityPolicy({ directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } })),
    noStore,
    failFastWhileDown(monitor),
    identify(dataSource, { anonymous: config.ANONYMOUS, jwt }, rateLimiter.refusedCredentials),
    rateLimiter.middleware,
  ];
  // stixBundle's bundle as a stream: a large export is never one string, nor a GraphQL answer holding it.
  app.get('/stix/bundle', ...identified, ...(allowList ? [allowListFieldGuard(allowList, 'stixBundle')] : []), stixBundleRoute(schema, dataSource, production));
  useAsOneLayer(
    app,
    '/graphql',
    ...identified,
    jsonBody(config.MAX_BODY_BYTES),
    refuseDeepJson,
    ...(allowList ? [allowListGuard(allowList)] : []),
    ...(responseCache ? [responseCache.middleware] : []),
    // After the cache's: the text it keeps is the spliced one.
    compiled.middleware,
    // After both: an answer the cache may keep is joined for it, a larger one is written out in pieces.
    largeAnswers(responseCache?.largest ?? 0),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const viewer = res.locals.viewer as Viewer;
        return {
          viewer,
          reader: new Reader(dataSource, viewer, pageSize, readModels),
          dataSource,
          idempotencyKey: req.get('idempotency-key'),
          delivery,
          largeAnswers: res.locals.largeAnswers as LargeAnswers,
        };
      },
    }),
  );
  app.use(jsonBodyErrors);
  // Live updates: this instance's subscribers, fed from what the database notifies (whichever instance wrote).
  const hub = new LiveHub(dataSource, { pageSize, perIdentity: config.SUBSCRIPTIONS_PER_IDENTITY, log: (line) => logger.error(line) });
  const listener = new NotificationListener(databaseUrlOf(dataSource), {
    channels: [CHANGE_CHANNEL, BRIEF_RUN_CHANNEL],
    onNotification: (channel, payload) => hub.onNotification(channel, payload),
    onListening: (downSince) => hub.onListening(downSince),
    timeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    log: (line) => logger.warn(line),
  });
  listener.start();
  const unsample = sampleApp(dataSource, hub);
  const sockets: Array<{ close: () => Promise<void> }> = [];
  const compaction = compactRollupEvery(dataSource, config.ROLLUP_COMPACT_INTERVAL_MS);
  return {
    app,
    attach: (server) => {
      const attached = attachWebSockets(server, {
        schema,
        dataSource,
        hub,
        delivery,
        auth: { anonymous: config.ANONYMOUS, jwt },
        corsOrigins: config.CORS_ORIGINS,
        limits,
        pageSize,
        maxTokens: config.MAX_TOKENS,
        maxConnections: config.WS_MAX_CONNECTIONS,
        maxConnectionsPerAddress: config.WS_MAX_CONNECTIONS_PER_ADDRESS,
        clientAddress: (request) => proxyAddr(request, app.get('trust proxy fn') as (addr: string, i: number) => boolean),
        rateLimit: rateLimiter,
        maxMessageBytes: config.WS_MAX_MESSAGE_BYTES,
        production,
        hideSchemaDetails: !introspection,
        allowList,
        fieldResolver: readResponseKey,
      });
      sockets.push(attached);
      return attached;
    },
    stop: async () => {
      // Sockets first (each told the service is going away), then what feeds them.
      await Promise.all(sockets.map((s) => s.close()));
      await hub.stop();
      await listener.stop();
      await apollo.stop();
      await compaction.stop();
      await rateLimiter.close();
      await responseCache?.close();
      await ownMonitor?.stop();
      unsample();
    },
  };
}

/** Answers are per reader and may be classified: no cache may keep one (Apollo's cache-control plugin said so too). */
const noStore: express.RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

const databaseUrlOf = (dataSource: DataSource) => (dataSource.options as { url: string }).url;

const monitorFor = (config: Config, dataSource: DataSource) =>
  new DatabaseMonitor(databaseUrlOf(dataSource), {
    intervalMs: config.DATABASE_CHECK_INTERVAL_MS,
    timeoutMs: config.DATABASE_CHECK_TIMEOUT_MS,
  });
