import type { ApolloServerPlugin } from '@apollo/server';
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
  close(): Promise<void>;
}

const DATABASE_IDENTITY = `SELECT (SELECT system_identifier::text FROM pg_control_system()) AS system,
  (SELECT oid::text FROM pg_database WHERE datname = current_database()) AS database,
  current_setting('TimeZone') AS time_zone, current_setting('DateStyle') AS date_style,
  current_setting('IntervalStyle') AS interval_style, current_setting('extra_float_digits') AS float_digits`;

/** Headers of Apollo's answer that are not the entry's to keep: Express and the cache set them again. */
const RECOMPUTED = new Set(['content-length', 'etag', 'dossier-cache']);
/** An answer over this share of the budget is not kept: it would push out everything else. */
const LARGEST_SHARE = 4;

/**
 * The exact response cache. An answer is keyed by the data version (read first, one statement), the operation's
 * printed document, its name and variables, the Accept header (it picks the content type), the reader's identity
 * (principal, organisation, role, clearance: everything the access seam and the resolvers look at) and the service's
 * fingerprint. It is kept only when the data version read again after the answer is unchanged, so no write committed
 * while it was computed; a later write changes the version, and its entries are never read again.
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

  const lookup = async (key: string) => {
    await keeping.get(key);
    const found = local.get(key);
    if (found || !shared) return found && decode(found);
    const remote = await shared.get(key);
    // Redis may hold anything under the key: what is not an entry this cache wrote is a miss.
    const entry = remote && decode(remote);
    if (entry) local.set(key, remote);
    return entry;
  };

  // Versions are transaction ids, which another database (a copy, another cluster) reaches too: its entries in a
  // shared Redis must never be read here. The session's settings that shape text (a cursor holds a timestamp as the
  // database wrote it) are part of it too. Read once; a failure is read again by the next request.
  let database: Promise<string> | undefined;
  const databaseIdentity = () => {
    database ??= cacheQuery<Record<string, string>>(dataSource, { text: DATABASE_IDENTITY }).then((rows) => JSON.stringify(rows[0]));
    return database.catch((error: unknown) => {
      database = undefined;
      throw error;
    });
  };

  const keep = (key: string, version: string, entry: Buffer) => {
    if (entry.length > largest || keeping.has(key)) return;
    const kept = readDataVersion(dataSource)
      .then((now) => {
        if (now !== version) return;
        local.set(key, entry);
        shared?.set(key, entry);
      })
      .catch(() => undefined)
      .finally(() => keeping.delete(key));
    keeping.set(key, kept);
  };

  const middleware: RequestHandler = async (req, res, next) => {
    const body = req.body as GraphQLBody | undefined;
    if (req.method !== 'POST' || !body || typeof body !== 'object' || Array.isArray(body)) return next();
    const operation = operations.of(body);
    if (!operation) return next();
    const viewer = res.locals.viewer as Viewer;
    let version: string;
    let databaseId: string;
    try {
      [databaseId, version] = await Promise.all([databaseIdentity(), readDataVersion(dataSource)]);
    } catch (error) {
      // As the answer itself would be: a database that cannot be reached is a 503 to retry, not a second wait.
      if (isDatabaseUnavailable(error)) return sendUnavailable(res);
      return next();
    }
    const identity = [viewer.principal, viewer.organisation, viewer.role, viewer.clearance];
    const parts = [options.fingerprint, databaseId, operation.document, operation.name, body.variables ?? null, req.get('accept') ?? '', identity];
    const key = `${options.prefix}:${version}:${entryKey(parts)}`;
    const scope = currentRequest();
    const entry = await lookup(key);
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
      if (scope?.answeredQuery && res.statusCode === 200 && fits) keep(key, version, encode(res, before, sent));
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

interface Entry {
  headers: Record<string, string>;
  body: Buffer;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** The entry `encode` wrote, or undefined for any other bytes. */
function decode(entry: Buffer): Entry | undefined {
  const newline = entry.indexOf(10);
  if (newline < 0) return undefined;
  try {
    const headers: unknown = JSON.parse(entry.subarray(0, newline).toString());
    if (!headers || typeof headers !== 'object' || Array.isArray(headers)) return undefined;
    if (!Object.entries(headers).every(([name, value]) => HEADER_NAME.test(name) && typeof value === 'string' && HEADER_VALUE.test(value))) return undefined;
    if (typeof (headers as Record<string, string>)['content-type'] !== 'string') return undefined;
    return { headers: headers as Record<string, string>, body: entry.subarray(newline + 1) };
  } catch {
    return undefined;
  }
}

function serve(res: Response, entry: Entry) {
  for (const [name, value] of Object.entries(entry.headers)) res.setHeader(name, value);
  res.setHeader('Dossier-Cache', 'hit');
  res.status(200).send(entry.body);
}
