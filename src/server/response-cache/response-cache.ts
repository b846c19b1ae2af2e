import type { ApolloServerPlugin } from '@apollo/server';
import { isUtf8 } from 'node:buffer';
import { OperationTypeNode } from 'graphql';
import type { RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import { cacheLookups } from '../../common/metrics';
import { currentRequest } from '../../common/request-scope';
import type { Viewer } from '../../common/viewer';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { sendUnavailable } from '../unavailable';
import { ByteLru } from './byte-lru';
import { cacheQuery, readDataVersion, pruneDataWritesEvery } from './data-version';
import { entryKey, Operations, type GraphQLBody } from './operation';
import { SharedStore } from './shared-store';

export interface ResponseCacheOptions {
  /** Bytes of answers kept in this process; 0 turns the cache off. */
  bytes: number;
  /** How long an entry stays in Redis, in seconds (entries of older data versions are never read again). */
  ttlSeconds: number;
  redisUrl?: string;
  prefix: string;
  /** What else an answer depends on: the schema and the settings that shape answers, so instances that differ never share. */
  fingerprint: string;
  maxTokens: number;
  warn: (line: string) => void;
}

export interface ResponseCache {
  /** Before Apollo, after identity and rate limit: answers a repeated query, or lets it through and keeps its answer. */
  middleware: RequestHandler;
  /** Tells the middleware whether Apollo's answer is one to keep (a query, with data and no errors). */
  plugin: ApolloServerPlugin;
  /** The largest answer kept, in bytes: a larger one is never copied into an entry. */
  largest: number;
  close(): Promise<void>;
}

const SESSION = `(SELECT oid::text FROM pg_database WHERE datname = current_database()) AS database,
  current_setting('TimeZone') AS time_zone, current_setting('DateStyle') AS date_style,
  current_setting('IntervalStyle') AS interval_style, current_setting('extra_float_digits') AS float_digits`;
const DATABASE_IDENTITY = `SELECT (SELECT system_identifier::text FROM pg_control_system()) AS system, ${SESSION}`;
/**
 * Where reading pg_control_system() is not allowed (a managed PostgreSQL, a role without pg_monitor): the server's
 * start time names the running cluster instead. A restart changes it, which costs misses, never a wrong hit.
 */
const FALLBACK_IDENTITY = `SELECT 'started ' || extract(epoch FROM pg_postmaster_start_time())::text AS system, ${SESSION}`;
/** The data version of answers that read no data (only meta-fields): they hold for every version. */
const ANY_VERSION = 'static';
/** SQLSTATE insufficient_privilege. */
const INSUFFICIENT_PRIVILEGE = '42501';

/** Headers of Apollo's answer that are not the entry's to keep: Express and the cache set them again. */
const RECOMPUTED = new Set(['content-length', 'etag', 'dossier-cache']);
/** An answer over this share of the budget is not kept: it would push out everything else. */
const LARGEST_SHARE = 4;

/**
 * The exact response cache. An answer is keyed by the data version (read first, one statement), the operation's
 * printed document, its name and variables, the Accept header (it picks the content type), the reader's identity
 * (principal, organisation, role, clearance: everything the access seam and the resolvers look at) and the service's
 * fingerprint. It is kept only when the data version read again after the answer is unchanged, so no write committed
 * while it was computed; a later write changes the version, and its entries are never read again. An operation whose
 * root fields are all meta-fields (`{ __typename }`) reads no row: its answer is keyed without a version, and no
 * statement is sent for it.
 */
export function createResponseCache(dataSource: DataSource, options: ResponseCacheOptions): ResponseCache | undefined {
  if (options.bytes <= 0) return undefined;
  const local = new ByteLru(options.bytes);
  const shared = options.redisUrl ? new SharedStore(options.redisUrl, options.ttlSeconds, options.warn) : undefined;
  const operations = new Operations(options.maxTokens);
  const prune = pruneDataWritesEvery(dataSource, 60_000);
  const largest = Math.floor(options.bytes / LARGEST_SHARE);

  // Answers being kept, by key: a repeat that arrives before its entry is stored waits for it, so a client that asks
  // twice is answered from the cache the second time, however busy the machine.
  const keeping = new Map<string, Promise<void>>();

  // This process's entries are keyed by their parts as text; Redis's by a digest of them, under the prefix and version.
  const sharedKey = (key: Key) => `${options.prefix}:${key.version}:${entryKey([options.fingerprint, key.local])}`;

  // A hit in this process is answered without waiting on a promise.
  const lookup = (key: Key): Entry | undefined | Promise<Entry | undefined> => {
    const pending = keeping.get(key.local);
    if (pending) return pending.then(() => lookup(key));
    const found = local.get(key.local);
    if (found || !shared) return found && decoded(found);
    return lookupShared(shared, key);
  };
  const lookupShared = async (store: SharedStore, key: Key) => {
    const remote = await store.get(sharedKey(key));
    // Redis may hold anything under the key: what is not an entry this cache wrote is a miss.
    const entry = remote && decoded(remote);
    if (entry) local.set(key.local, remote);
    return entry;
  };

  // Versions are transaction ids, which another database (a copy, another cluster) reaches too: its entries in a
  // shared Redis must never be read here. The session's settings that shape text (a cursor holds a timestamp as the
  // database wrote it) are part of it too. Read once; a failure is read again by the next request, but a refusal of
  // pg_control_system() is remembered (the fallback is read instead), so that requests do not each pay for it.
  let database: Promise<string> | undefined;
  const readIdentity = async (text: string) => JSON.stringify((await cacheQuery<Record<string, string>>(dataSource, { text }))[0]);
  const databaseIdentity = () => {
    database ??= readIdentity(DATABASE_IDENTITY).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== INSUFFICIENT_PRIVILEGE) throw error;
      options.warn('response cache: pg_control_system() is not allowed to this role; the database is named by its server start time instead');
      return readIdentity(FALLBACK_IDENTITY);
    });
    return database.catch((error: unknown) => {
      database = undefined;
      throw error;
    });
  };

  const keep = (key: Key, entry: Buffer) => {
    if (entry.length > largest || keeping.has(key.local)) return;
    const kept = (key.version === ANY_VERSION ? Promise.resolve(key.version) : readDataVersion(dataSource))
      .then((now) => {
        if (now !== key.version) return;
        local.set(key.local, entry);
        shared?.set(sharedKey(key), entry);
      })
      .catch(() => undefined)
      .finally(() => keeping.delete(key.local));
    keeping.set(key.local, kept);
  };

  const middleware: RequestHandler = async (req, res, next) => {
    const body = req.body as GraphQLBody | undefined;
    if (req.method !== 'POST' || !body || typeof body !== 'object' || Array.isArray(body)) return next();
    const operation = operations.of(body);
    if (!operation) return next();
    const viewer = res.locals.viewer as Viewer;
    // An answer of meta-fields alone is the same on every database and version: nothing is read for it.
    let version = ANY_VERSION;
    let databaseId = '';
    try {
      if (operation.readsData) [databaseId, version] = await Promise.all([databaseIdentity(), readDataVersion(dataSource)]);
    } catch (error) {
      // As the answer itself would be: a database that cannot be reached is a 503 to retry, not a second wait.
      if (isDatabaseUnavailable(error)) return sendUnavailable(res);
      return next();
    }
    const identity = [viewer.principal, viewer.organisation, viewer.role, viewer.clearance];
    // As JSON: no parts can pass for others. The fingerprint is the same for every key of this process.
    const parts = JSON.stringify([version, databaseId, operation.digest, body.variables ?? null, req.headers.accept ?? '', identity]);
    const key: Key = { version, local: parts };
    const scope = currentRequest();
    const found = lookup(key);
    const entry = found instanceof Promise ? await found : found;
    if (entry) {
      cacheLookups.inc({ cache: 'response', result: 'hit' });
      // Sent by hash alone, the query was found by its hash too.
      if (body.query === undefined) cacheLookups.inc({ cache: 'apq', result: 'hit' });
      if (scope) scope.operation = { name: operation.name, type: 'query' };
      serve(res, entry);
      return;
    }
    cacheLookups.inc({ cache: 'response', result: 'miss' });
    res.setHeader('Dossier-Cache', 'miss');
    const before = new Set(Object.keys(res.getHeaders()));
    const send = res.send.bind(res);
    res.send = (sent: unknown) => {
      res.send = send;
      // An answer too large to keep is not copied into an entry first (a STIX bundle is tens of megabytes).
      const fits = typeof sent === 'string' && Buffer.byteLength(sent) <= largest;
      if (scope?.answeredQuery && res.statusCode === 200 && fits) keep(key, encode(res, before, sent));
      return send(sent);
    };
    next();
  };

  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operation }) {
          const scope = currentRequest();
          if (!scope || operation?.operation !== OperationTypeNode.QUERY || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          scope.answeredQuery = !result.errors && result.data != null;
        },
      };
    },
  };

  return {
    middleware,
    plugin,
    largest,
    close: async () => {
      prune.stop();
      await shared?.close();
    },
  };
}

/** An entry: the headers Apollo set (one JSON line), then the body's bytes as sent. */
function encode(res: Response, before: Set<string>, body: string): Buffer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (before.has(name) || RECOMPUTED.has(name) || value === undefined) continue;
    headers[name] = String(value);
  }
  return Buffer.concat([Buffer.from(`${JSON.stringify(headers)}\n`), Buffer.from(body)]);
}

interface Key {
  version: string;
  /** The parts of the key, as JSON: the key in this process. */
  local: string;
}

interface Entry {
  headers: Array<[string, string]>;
  /** The body as text when it is small and UTF-8 (sent with the headers in one write), else its bytes. */
  body: string | Buffer;
  length: number;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Bodies up to this size are kept as text too: written with the headers at once; larger ones are not copied. */
const MAX_TEXT_BODY = 65_536;

/** Entries as read, by their bytes: a repeated hit does not read its headers again. */
const decodedEntries = new WeakMap<Buffer, Entry | null>();

function decoded(entry: Buffer): Entry | undefined {
  let found = decodedEntries.get(entry);
  if (found === undefined) decodedEntries.set(entry, (found = decode(entry) ?? null));
  return found ?? undefined;
}

/** The entry `encode` wrote, or undefined for any other bytes. */
function decode(entry: Buffer): Entry | undefined {
  const newline = entry.indexOf(10);
  if (newline < 0) return undefined;
  try {
    const headers: unknown = JSON.parse(entry.subarray(0, newline).toString());
    if (!headers || typeof headers !== 'object' || Array.isArray(headers)) return undefined;
    const pairs = Object.entries(headers);
    if (!pairs.every(([name, value]) => HEADER_NAME.test(name) && typeof value === 'string' && HEADER_VALUE.test(value))) return undefined;
    if (typeof (headers as Record<string, string>)['content-type'] !== 'string') return undefined;
    const body = entry.subarray(newline + 1);
    const text = body.length <= MAX_TEXT_BODY && isUtf8(body);
    return { headers: pairs as Array<[string, string]>, body: text ? body.toString() : body, length: body.length };
  } catch {
    return undefined;
  }
}

/** The stored answer, as Express's send would write it for a POST (no ETag: the app sets none). */
function serve(res: Response, entry: Entry) {
  for (const [name, value] of entry.headers) res.setHeader(name, value);
  res.setHeader('Dossier-Cache', 'hit');
  res.setHeader('Content-Length', entry.length);
  res.statusCode = 200;
  res.end(entry.body);
}
