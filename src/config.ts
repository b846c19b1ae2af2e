import { z } from 'zod';

/**
 * CORS_ORIGINS as a list: each an origin exactly as a browser sends it in `Origin` (`https://app.example.org`,
 * `http://localhost:5173`: scheme, host, a port other than the scheme's own, no path), or `*` alone. Empty is unset.
 */
function corsOrigins(value: string | undefined, ctx: z.RefinementCtx): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const entries = value.split(',').map((e) => e.trim());
  if (entries.includes('*')) {
    if (entries.length > 1) ctx.addIssue({ code: 'custom', message: '* (any origin) stands alone, not in a list' });
    return ['*'];
  }
  for (const entry of entries) {
    let origin: string | undefined;
    try {
      const url = new URL(entry);
      if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
    } catch {
      // not a URL at all: said below
    }
    if (origin === entry) continue;
    ctx.addIssue({
      code: 'custom',
      message: origin
        ? `"${entry}" is not an origin as browsers send it (scheme://host[:port], no path): write ${origin}`
        : `"${entry}" is not an origin: write scheme://host[:port] (http or https, no path), or * alone`,
    });
  }
  return entries;
}

// The only reader of process.env. A wrong value stops the start with a message naming the variable.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Processes serving the port (node:cluster); more than one needs DATABASE_URL (see src/cluster). */
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Connections of each process's query pool; the monitor and the listener take one each, the scheduler (pg-boss) 4. */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  /** Repeated read statements as named prepared statements; `off` behind a pooler that cannot keep them (src/db/prepared.ts). */
  DB_PREPARED_STATEMENTS: z.enum(['on', 'off']).default('on'),
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /** Requests without credentials: `read` lets them read TLP:CLEAR items, `off` refuses them. */
  ANONYMOUS: z.enum(['off', 'read']).default('read'),
  SEED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** The seed's documents (import format), imported at start when SEED=true; the repository's fixtures/seed when unset. */
  SEED_DIR: z.string().min(1).optional(),
  MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(10000).default(100),
  /** Page size of a list asked for without `first`. */
  DEFAULT_PAGE_SIZE: z.coerce.number().int().min(1).max(10000).default(20),
  /** Query limits: nesting depth, aliases, directives, cost (rows times fields, see server/limits.ts), parser tokens. */
  MAX_DEPTH: z.coerce.number().int().min(1).default(12),
  MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  MAX_DIRECTIVES: z.coerce.number().int().min(0).default(50),
  MAX_COST: z.coerce.number().int().min(1).default(250_000),
  /** Nested objects a query may select, fragments expanded (each is a subquery of its SQL statement). */
  MAX_OBJECT_FIELDS: z.coerce.number().int().min(1).default(200),
  MAX_TOKENS: z.coerce.number().int().min(100).default(5_000),
  /** Largest request body, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_000_000),
  /** PostgreSQL cancels any statement running longer (ms). */
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Connecting to the database, and waiting for a pooled connection, give up after this long (ms). */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** A query with no answer this long (ms) counts as lost: a silent or frozen server. Longer than STATEMENT_TIMEOUT_MS; by default 5 s longer. */
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(200).optional(),
  /** PostgreSQL ends a session left idle inside a transaction this long (ms), releasing its locks. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  /** At start, how long to keep retrying a database that refuses or does not answer (s); 0 tries once. */
  DATABASE_WAIT_S: z.coerce.number().int().min(0).max(3600).default(60),
  /** How often a dedicated connection checks the database (ms), and how long a check may take (ms): /readyz and fast 503s. */
  DATABASE_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  DATABASE_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** Requests per identity (or client address, for anonymous requests) and window. */
  RATE_LIMIT_POINTS: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_WINDOW_S: z.coerce.number().int().min(1).default(60),
  /** Redis shared by all instances for rate limits; in memory without it. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  RATE_LIMIT_PREFIX: z.string().min(1).default('dossier-rate'),
  /** Bytes of GraphQL answers the response cache keeps in each process (0 turns the cache off); shared through REDIS_URL when set. */
  RESPONSE_CACHE_BYTES: z.coerce.number().int().min(0).default(33_554_432),
  /** How long an answer stays in Redis (s): entries of an older data version are never read, this only clears them. */
  RESPONSE_CACHE_TTL_S: z.coerce.number().int().min(1).max(86_400).default(300),
  /** Queries the compiler reads whole are answered with the text PostgreSQL writes (off: every query runs through graphql-js). */
  FAST_PATH: z.enum(['on', 'off']).default('on'),
  RESPONSE_CACHE_PREFIX: z.string().min(1).default('dossier-response'),
  /** Origins whose pages may call the API from a browser (CORS), comma-separated; `*` for any page, anonymous only. */
  CORS_ORIGINS: z.string().optional().transform(corsOrigins),
  /** Proxies in front of the service whose X-Forwarded-For to trust (0: none). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** JWTs of an external identity provider, verified against its JWKS; claims give principal, role, clearance, organisation. */
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_PRINCIPAL_CLAIM: z.string().min(1).default('sub'),
  JWT_ROLE_CLAIM: z.string().min(1).default('dossier_role'),
  JWT_CLEARANCE_CLAIM: z.string().min(1).default('dossier_clearance'),
  JWT_ORGANISATION_CLAIM: z.string().min(1).default('dossier_organisation'),
  /** An Apollo persisted query manifest: when set, only its operations are accepted (by hash or by their exact text). */
  ALLOWLIST_FILE: z.string().min(1).optional(),
  /** Schema introspection and the GraphiQL page: on by default, off by default when NODE_ENV=production. */
  INTROSPECTION: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  GRAPHIQL: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /** Live updates over WebSocket: subscriptions one identity may hold at once on an instance, open connections, largest message (bytes). */
  SUBSCRIPTIONS_PER_IDENTITY: z.coerce.number().int().min(1).max(10_000).default(20),
  WS_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  WS_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(50),
  WS_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(16_777_216).default(65_536),
  SCHEDULER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  SCHEDULER_TICK_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  /** How often the aggregate rollup's delta rows are folded (src/modules/aggregate/rollup-compaction.ts). */
  ROLLUP_COMPACT_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
  /** Webhook deliveries may reach loopback, private and link-local addresses (for a receiver on the same network). */
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** A PEM file of certificate authorities webhook receivers may also be signed by (beside the system's). */
  WEBHOOK_CA_FILE: z.string().min(1).optional(),
  /** A webhook attempt gives up after this long (ms): connecting, sending and the answer's headers. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Attempts after the first before a delivery is FAILED, and the first retry's delay (s; doubling after). */
  DELIVERY_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(5),
  DELIVERY_RETRY_DELAY_S: z.coerce.number().int().min(1).max(3600).default(30),
  /** The SMTP server e-mail deliveries go through (smtp:// or smtps://, credentials in the URL); none without it. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** The From address of delivered briefs. */
  SMTP_FROM: z.string().min(3).default('Dossier <dossier@localhost>'),
  /** The log's level: every request is logged at debug, a slow one at warn, an unexpected error at error. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** A GraphQL request taking this long or longer (ms) is logged with the SQL it sent; 0 logs every one. */
  SLOW_OPERATION_MS: z.coerce.number().int().min(0).default(1_000),
  /** A bearer token /metrics asks for; without it, /metrics answers requests from this host only (see server/metrics.ts). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Where `npm run brief` finds the service. */
  DOSSIER_URL: z.string().url().optional(),
  /** The API key `npm run brief` sends. */
  DOSSIER_API_KEY: z.string().min(1).optional(),
});

// Tokens are only trusted for one issuer and audience.
const checked = schema
  // `*` lets every page on the web read: only what anyone may read anyway, never with a key (see server/cors.ts).
  .refine((c) => !c.CORS_ORIGINS?.includes('*') || c.ANONYMOUS === 'read', {
    message: '* (any origin) is only allowed with ANONYMOUS=read: list the origins of your pages instead',
    path: ['CORS_ORIGINS'],
  })
  .refine((c) => !c.JWT_JWKS_URL || (c.JWT_ISSUER && c.JWT_AUDIENCE), {
    message: 'JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE',
    path: ['JWT_JWKS_URL'],
  })
  // The embedded PostgreSQL belongs to one process: workers that each started it would fight over its folder.
  .refine((c) => c.WORKERS === 1 || c.DATABASE_URL, {
    message: 'more than one worker needs DATABASE_URL (the embedded PostgreSQL serves a single process)',
    path: ['WORKERS'],
  })
  // The server's statement timeout must answer first: the client's is for a server that does not answer at all.
  .refine((c) => c.DATABASE_QUERY_TIMEOUT_MS === undefined || c.DATABASE_QUERY_TIMEOUT_MS > c.STATEMENT_TIMEOUT_MS, {
    message: 'must be longer than STATEMENT_TIMEOUT_MS',
    path: ['DATABASE_QUERY_TIMEOUT_MS'],
  })
  .transform((c) => ({ ...c, DATABASE_QUERY_TIMEOUT_MS: c.DATABASE_QUERY_TIMEOUT_MS ?? c.STATEMENT_TIMEOUT_MS + 5_000 }));

export type Config = z.output<typeof checked>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = checked.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
