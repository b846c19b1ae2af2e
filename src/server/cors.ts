import cors, { type CorsOptions } from 'cors';
import type { RequestHandler } from 'express';

/**
 * Request headers a page may send: JSON bodies, keys, idempotent writes, its own request id, Apollo's CSRF-prevention
 * headers (which make a GET a preflighted request) and Apollo Client's client-awareness headers.
 */
const ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'idempotency-key',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
];

/**
 * Response headers a page may read beyond the safelisted ones: when to retry, what is left of the budget, the request
 * id to quote in a report (it names the request's log lines), and whether the answer came from the response cache.
 */
const EXPOSED_HEADERS = ['Retry-After', 'RateLimit-Remaining', 'X-Request-Id', 'Dossier-Cache'];

/** How long a browser may keep a preflight's answer (s): Chromium's own cap. */
const PREFLIGHT_MAX_AGE_S = 7200;

/**
 * CORS for the pages of CORS_ORIGINS (undefined when it is unset: no CORS at all). A listed origin gets its own origin
 * back (with Vary: Origin) on every response, errors and 429s included, and its preflights are answered 204 here,
 * before anything counts or parses them; any other origin gets no Access-Control-* header, so Apollo's CSRF prevention
 * still refuses its simple requests. Dossier has no cookies: Access-Control-Allow-Credentials is never sent, and a key
 * travels in Authorization, which a listed page may send. With `*` (anonymous reads only), Authorization is not
 * allowed: any page on the web could otherwise use a key that a visitor's page holds, so `*` serves TLP:CLEAR only.
 */
export function corsMiddleware(origins: string[] | undefined): RequestHandler | undefined {
  if (!origins?.length) return undefined;
  const anyOrigin = origins.includes('*');
  const listed = new Set(origins);
  const allowed: CorsOptions = {
    origin: anyOrigin ? '*' : true, // true: the request's own origin, once checked below
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: anyOrigin ? ALLOWED_HEADERS.filter((h) => h !== 'authorization') : ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_S,
    optionsSuccessStatus: 204,
  };
  const handler = cors((req, callback) => {
    const origin = req.headers.origin;
    callback(null, anyOrigin || (origin !== undefined && listed.has(origin)) ? allowed : { origin: false });
  });
  if (anyOrigin) return handler;
  // Every answer depends on Origin, also those without CORS headers: a shared cache must not hand one to another page.
  return (req, res, next) => {
    res.vary('Origin');
    handler(req, res, next);
  };
}

/**
 * Whether a browser page of `origin` may open a WebSocket to this service (whose `Host` is `host`). CORS does not
 * cover WebSockets: any page may open one, so without this check a page of any site could use the service as its
 * visitor (cross-site WebSocket hijacking). Allowed: clients that send no Origin (not browsers), pages of the service
 * itself (GraphiQL at `/`), and the origins of CORS_ORIGINS. With `*`, any page, but without credentials (as over HTTP).
 */
export function webSocketOrigin(origin: string | undefined, host: string | undefined, origins: string[] | undefined): 'trusted' | 'anonymous only' | 'refused' {
  if (origin === undefined) return 'trusted';
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).host;
  } catch {
    return 'refused';
  }
  if (host !== undefined && originHost === host.toLowerCase()) return 'trusted';
  if (origins?.includes(origin)) return 'trusted';
  return origins?.includes('*') ? 'anonymous only' : 'refused';
}
