import type Redis from 'ioredis';

/**
 * The cache entries all instances share, in Redis. Keys carry the data version, so an entry is never stale, only
 * unread once the version moves on; the TTL clears those. Redis failing or slow is a miss, never a failed request.
 */
export class SharedStore {
  private readonly redis: Redis;
  private warnedAt = 0;

  constructor(
    url: string,
    private readonly ttlSeconds: number,
    private readonly warn: (line: string) => void,
  ) {
    // Required here: loading it takes a tenth of a second of every start, and most run without Redis.
    const { Redis: RedisClient } = require('ioredis') as typeof import('ioredis');
    // No offline queue and a short timeout: while Redis is away, each command fails at once instead of waiting.
    this.redis = new RedisClient(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250, lazyConnect: false });
    this.redis.on('error', (error: Error) => this.failed(error));
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return (await this.redis.getBuffer(key)) ?? undefined;
    } catch (error) {
      this.failed(error as Error);
      return undefined;
    }
  }

  set(key: string, value: Buffer): void {
    this.redis.set(key, value, 'EX', this.ttlSeconds).catch((error: Error) => this.failed(error));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  // At most one line a minute: an outage is worth a warning, not a line per request.
  private failed(error: Error) {
    const now = Date.now();
    if (now - this.warnedAt < 60_000) return;
    this.warnedAt = now;
    this.warn(`response cache: Redis unavailable, serving without the shared cache (${error.message})`);
  }
}
