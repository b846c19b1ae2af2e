import type { DeliverySettings } from '../modules/delivery/delivery.settings';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import type { DataSource } from 'typeorm';
import { WebSocketServer } from 'ws';
import { ErrorCode } from '../common/errors';
import { logger } from '../common/logger';
import { webSocketConnections } from '../common/metrics';
import type { Viewer } from '../common/viewer';
import { isDatabaseUnavailable } from '../db/unavailable';
import { hashKey, KEY_PREFIX } from '../modules/identity/api-key.service';
import { authenticate, type AuthOptions } from '../modules/identity/authenticate';
import type { LiveHub } from '../modules/live/live-hub';
import { CloseCode, type LiveSession } from '../modules/live/live-session';
import type { PageSize } from '../modules/history/change.read';
import { Reader } from '../read/reader';
import { readModels } from '../registry/registry';
import type { Context } from './context';
import { webSocketOrigin } from './cors';
import { formatError } from './errors';
import { queryLimitsCheck, type QueryLimits } from './limits';
import { queryHash } from './persisted-queries';
import { reservedAliasesRule } from './reserved-aliases';

/** Tokens are refused this long after they were issued, whatever their expiry says (as `jwt.ts` verifies them). */
const MAX_TOKEN_AGE_MS = 12 * 3600_000;

export interface WebSocketOptions {
  schema: GraphQLSchema;
  dataSource: DataSource;
  hub: LiveHub;
  /** How briefs leave the service (every resolver's context carries it). */
  delivery: DeliverySettings;
  auth: AuthOptions;
  corsOrigins: string[] | undefined;
  limits: QueryLimits;
  pageSize: PageSize;
  maxTokens: number;
  maxConnections: number;
  /** Connections one client address may hold: one client cannot take every slot. */
  maxConnectionsPerAddress: number;
  maxMessageBytes: number;
  /** The client's address as rate limits see it (TRUST_PROXY honoured). */
  clientAddress: (request: IncomingMessage) => string;
  /** The HTTP rate limits: each subscribe counts as a request of its identity; refused credentials per address. */
  rateLimit: { consume: (identity: string) => Promise<number | null>; refusedFrom: (address: string) => Promise<number | null> };
  production: boolean;
  hideSchemaDetails: boolean;
  allowList?: ReadonlyMap<string, string>;
  fieldResolver: GraphQLFieldResolver<Record<string, unknown>, Context>;
}

type ConnectionExtra = { session?: LiveSession };

type Connection = WsContext<Record<string, unknown> | undefined, Extra & Partial<ConnectionExtra>>;

const coded = (message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extensions } });

/** Answers an upgrade it refuses with a plain HTTP status, before any WebSocket exists. */
function refuseUpgrade(socket: Duplex, status: number, reason: string) {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
}

/** The credentials of `connectionParams`: `{ authorization: 'Bearer <key or JWT>' }` (any case of the name). */
function authorizationOf(params: Record<string, unknown> | undefined): string | undefined {
  if (!params || typeof params !== 'object') return undefined;
  const entry = Object.entries(params).find(([name]) => name.toLowerCase() === 'authorization');
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

/** When a JWT stops being good: its expiry, or its age limit, whichever comes first. */
function tokenExpiry(token: string): number | undefined {
  const { exp, iat } = decodeJwt(token);
  const ends = [exp && exp * 1000, iat && iat * 1000 + MAX_TOKEN_AGE_MS].filter((t): t is number => typeof t === 'number');
  return ends.length ? Math.min(...ends) : undefined;
}

/**
 * Subscriptions over WebSocket (the graphql-ws protocol, as GraphiQL and Apollo Client speak it) on the HTTP server's
 * `/graphql`. Credentials come once, in the connection's `connectionParams`, checked by the same code as HTTP
 * requests; a refused one closes the socket with 4401. Only subscriptions run here (queries and mutations go over
 * HTTP, with their rate limits and idempotency keys), under the same validation and limits as over HTTP.
 */
export function attachWebSockets(server: Server, options: WebSocketOptions): { close: () => Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  const checkLimits = queryLimitsCheck(options.limits);
  const format = formatError(options.production, options.hideSchemaDetails);
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/graphql') return refuseUpgrade(socket, 404, 'Not Found');
    const origin = webSocketOrigin(req.headers.origin, req.headers.host, options.corsOrigins);
    if (origin === 'refused') return refuseUpgrade(socket, 403, 'Forbidden');
    if (wss.clients.size >= options.maxConnections) return refuseUpgrade(socket, 503, 'Service Unavailable');
    const address = options.clientAddress(req);
    const held = perAddress.get(address) ?? 0;
    if (held >= options.maxConnectionsPerAddress) return refuseUpgrade(socket, 429, 'Too Many Requests');
    perAddress.set(address, held + 1);
    wss.handleUpgrade(req, socket, head, (ws) => {
      webSocketConnections.inc();
      ws.once('close', () => {
        webSocketConnections.dec();
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left > 0) perAddress.set(address, left);
        else perAddress.delete(address);
      });
      (req as IncomingMessage & { anonymousOnly?: boolean }).anonymousOnly = origin === 'anonymous only';
      wss.emit('connection', ws, req);
    });
  };
  const perAddress = new Map<string, number>();
  server.on('upgrade', onUpgrade);
  const timers = new Set<NodeJS.Timeout>();

  const disposable = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      isProd: options.production,
      onConnect: async (ctx: Connection) => {
        const { socket, request } = ctx.extra;
        const authorization = authorizationOf(ctx.connectionParams);
        if (authorization && (request as IncomingMessage & { anonymousOnly?: boolean }).anonymousOnly) {
          socket.close(CloseCode.Forbidden, 'credentials are not accepted from this origin');
          return false;
        }
        let viewer: Viewer;
        try {
          viewer = await authenticate(options.dataSource, authorization, options.auth);
        } catch (error) {
          if (error instanceof GraphQLError) {
            // Refused credentials count against the address, as over HTTP: guessing keys here is no cheaper.
            const wait = await options.rateLimit.refusedFrom(options.clientAddress(request));
            if (wait !== null) socket.close(CloseCode.TooManyRequests, `too many refused credentials from this address: retry in ${wait} s`);
            else socket.close(CloseCode.Unauthorized, error.message);
          } else {
            if (!isDatabaseUnavailable(error)) logger.error({ err: error }, 'credential check failed');
            socket.close(CloseCode.TryAgainLater, 'credentials cannot be checked just now: connect again later');
          }
          return false;
        }
        const token = authorization?.split(' ')[1] ?? '';
        const session: LiveSession = {
          viewer,
          identity: viewer.principal ? `principal:${viewer.principal}` : `address:${options.clientAddress(request)}`,
          keyHash: token.startsWith(KEY_PREFIX) ? hashKey(token) : undefined,
          expiresAt: viewer.principal?.startsWith('jwt:') ? tokenExpiry(token) : undefined,
          end: (code, reason) => socket.close(code, reason),
        };
        if (session.expiresAt !== undefined) {
          // A token's connection ends when the token does.
          const timer = setTimeout(() => session.end(CloseCode.Unauthorized, 'token expired'), Math.max(0, session.expiresAt - Date.now()));
          timers.add(timer);
          socket.once('close', () => {
            clearTimeout(timer);
            timers.delete(timer);
          });
        }
        ctx.extra.session = session;
        return true;
      },
      onSubscribe: async (ctx: Connection, _id, payload) => {
        const session = ctx.extra.session!;
        // A subscribe is a request: it counts against its identity's budget as one over HTTP does.
        const wait = await options.rateLimit.consume(session.identity);
        if (wait !== null) {
          return [coded(`Too many requests: retry in ${wait} s.`, ErrorCode.RATE_LIMITED, { retryAfterSeconds: wait })];
        }
        const query = options.allowList ? allowed(options.allowList, payload) : payload.query;
        if (query === undefined) return [coded('This deployment accepts registered operations only.', ErrorCode.OPERATION_NOT_ALLOWED)];
        let document: DocumentNode;
        try {
          document = parse(query, { maxTokens: options.maxTokens });
        } catch (error) {
          return [coded((error as Error).message, ErrorCode.GRAPHQL_PARSE_FAILED)];
        }
        const errors = validate(options.schema, document, [...specifiedRules, reservedAliasesRule]);
        if (errors.length) return errors.map((e) => coded(e.message, ErrorCode.GRAPHQL_VALIDATION_FAILED));
        const operation = getOperationAST(document, payload.operationName ?? undefined);
        if (!operation) return [coded('Name the operation to run (operationName).', ErrorCode.OPERATION_RESOLUTION_FAILURE)];
        if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
          return [coded('Over WebSocket only subscriptions run: send queries and mutations over HTTP to /graphql.', ErrorCode.BAD_REQUEST)];
        }
        const variables = payload.variables ?? {};
        try {
          checkLimits(options.schema, document, variables, payload.operationName ?? undefined);
        } catch (error) {
          if (error instanceof GraphQLError) return [coded(error.message, error.extensions.code as ErrorCode, { ...error.extensions, http: undefined })];
          throw error;
        }
        const contextValue: Context = {
          viewer: session.viewer,
          reader: new Reader(options.dataSource, session.viewer, options.pageSize, readModels),
          dataSource: options.dataSource,
          live: { hub: options.hub, session },
          delivery: options.delivery,
        };
        return {
          schema: options.schema,
          document,
          variableValues: variables,
          operationName: payload.operationName,
          contextValue,
          fieldResolver: options.fieldResolver as GraphQLFieldResolver<unknown, unknown>,
        };
      },
      // Every error leaves through the same formatting as over HTTP: codes kept, nothing internal shown.
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map((e) => format(e.toJSON(), e)) } : undefined),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => format(e.toJSON(), e)),
    },
    wss,
  );
  let closing: Promise<void> | undefined;
  return {
    close: () =>
      (closing ??= (async () => {
        server.off('upgrade', onUpgrade);
        for (const timer of timers) clearTimeout(timer);
        await disposable.dispose();
      })()),
  };
}

/** With an allow-list, the registered text of the operation sent (by its text, or by its hash in `extensions`). */
function allowed(list: ReadonlyMap<string, string>, payload: { query?: string; extensions?: Record<string, unknown> | null }): string | undefined {
  const hash = (payload.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  if (typeof hash === 'string') return list.get(hash);
  return typeof payload.query === 'string' ? list.get(queryHash(payload.query)) : undefined;
}
