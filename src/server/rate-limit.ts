import type { Request, RequestHandler, Response } from 'express';
import type Redis from 'ioredis';
import { RateLimiterCluster, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { currentWorker } from '../cluster/worker';
import { ErrorCode } from '../common/errors';
import { rateLimitRefusals } from '../common/metrics';
import type { Viewer } from '../common/viewer';

export interface RateLimitOptions {
  /** Requests per window and identity. */
  points: number;
  windowSeconds: number;
  /** Shared counters for several instances; in memory (per instance) without it. */
  redisUrl?: string;
  /** Namespace of the counters in Redis. */
  keyPrefix?: string;
}

export interface RateLimiter {
  middleware: RequestHandler;
  /** Counts a refused credential against the client address; answers 429 (and returns true) past the budget. */
  refusedCredentials: (req: Request, res: Response) => Promise<boolean>;
  /** Counts one request of `identity` outside HTTP (a WebSocket subscribe): null when within budget, else seconds to wait. */
  consume: (identity: string) => Promise<number | null>;
  /** Counts a credential refused outside HTTP against `address`: null when within budget, else seconds to wait. */
  refusedFrom: (address: string) => Promise<number | null>;
  close: () => Promise<void>;
}

/** How long a worker waits for its primary's count before the request fails. */
const CLUSTER_TIMEOUT_MS = 2_000;

/** Refused credentials a client address may send per window, before it is told to wait. */
const REFUSED_CREDENTIALS_PER_WINDOW = 20;

/**
 * Requests per identity (per client address for anonymous requests), counted with rate-limiter-flexible: in memory
 * (of the primary, for the workers of WORKERS=n), or in Redis when REDIS_URL is set so all instances share the counts. Should Redis fail, each instance falls back to
 * counting in memory rather than letting everything through.
 */
/** `counter`, with `insurance` counting whenever it fails other than by refusing (its store away or too slow). */
function withInsurance(counter: RateLimiterAbstract, insurance: RateLimiterAbstract): RateLimiterAbstract {
  const consume = counter.consume.bind(counter);
  counter.consume = async (key, points) => {
    try {
      return await consume(key, points);
    } catch (failure) {
      if (failure instanceof RateLimiterRes) throw failure;
      return insurance.consume(key, points);
    }
  };
  return counter;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const base = { points: options.points, duration: options.windowSeconds, keyPrefix: options.keyPrefix ?? 'dossier-rate' };
  const failures = { ...base, points: REFUSED_CREDENTIALS_PER_WINDOW, keyPrefix: `${base.keyPrefix}-refused` };
  let redis: Redis | undefined;
  let limiter: RateLimiterAbstract = new RateLimiterMemory(base);
  let refused: RateLimiterAbstract = new RateLimiterMemory(failures);
  if (options.redisUrl) {
    // A Redis that stops answering must not hold requests: after this, the in-memory insurance counts instead.
    // Required here: loading it takes a tenth of a second of every start, and most run without Redis.
    const { Redis: RedisClient } = require('ioredis') as typeof import('ioredis');
    redis = new RedisClient(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false, commandTimeout: 500 });
    redis.on('error', () => undefined); // reported by the insurance limiter taking over
    limiter = new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: new RateLimiterMemory(base) });
    refused = new RateLimiterRedis({ ...failures, storeClient: redis, insuranceLimiter: new RateLimiterMemory(failures) });
  } else if (currentWorker()) {
    // The workers of WORKERS=n count together, in memory of their primary: n workers do not make n budgets. A primary
    // that does not answer in time must not turn requests into errors: this worker then counts alone, as Redis's
    // insurance does.
    limiter = withInsurance(new RateLimiterCluster({ ...base, timeoutMs: CLUSTER_TIMEOUT_MS }), limiter);
    refused = withInsurance(new RateLimiterCluster({ ...failures, timeoutMs: CLUSTER_TIMEOUT_MS }), refused);
  }
  const tooMany = (res: Response, rejection: RateLimiterRes, message: string) => {
    const seconds = Math.ceil(rejection.msBeforeNext / 1000);
    res.setHeader('Retry-After', String(seconds));
    res
      .status(429)
      .json({ errors: [{ message: `${message} Retry in ${seconds} s.`, extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: seconds } }] });
  };
  const middleware: RequestHandler = async (req, res, next) => {
    const viewer = res.locals.viewer as Viewer;
    const key = viewer.principal ? `principal:${viewer.principal}` : `address:${req.ip}`;
    try {
      const result = await limiter.consume(key);
      res.setHeader('RateLimit-Remaining', String(result.remainingPoints));
      next();
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return next(rejection);
      rateLimitRefusals.inc({ limit: 'requests', transport: 'http' });
      tooMany(res, rejection, `Too many requests: ${options.points} per ${options.windowSeconds} s for each identity.`);
    }
  };
  const refusedCredentials = async (req: Request, res: Response) => {
    try {
      await refused.consume(`address:${req.ip}`);
      return false;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      rateLimitRefusals.inc({ limit: 'refused_credentials', transport: 'http' });
      tooMany(res, rejection, 'Too many refused credentials from this address.');
      return true;
    }
  };
  const waitFor = async (counter: RateLimiterAbstract, key: string, limit: string) => {
    try {
      await counter.consume(key);
      return null;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      rateLimitRefusals.inc({ limit, transport: 'websocket' });
      return Math.ceil(rejection.msBeforeNext / 1000);
    }
  };
  return {
    middleware,
    refusedCredentials,
    consume: (identity) => waitFor(limiter, identity, 'requests'),
    refusedFrom: (address) => waitFor(refused, `address:${address}`, 'refused_credentials'),
    close: async () => void redis?.disconnect(),
  };
}
