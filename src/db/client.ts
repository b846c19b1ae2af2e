import { Client, type ClientConfig } from 'pg';

const isReadTimeout = (error: unknown) => (error as Error | undefined)?.message === 'Query read timeout';

/**
 * A node-postgres client that closes its connection when a query gets no answer within query_timeout. Otherwise the
 * pool would hand the connection on while the lost query may still run, possibly inside a transaction the next user
 * would then share and commit.
 */
export class TimeoutSafeClient extends Client {
  constructor(config?: ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    const abandonOnTimeout = (error: unknown) => {
      if (isReadTimeout(error)) void this.end().catch(() => undefined); // marks it unusable at once; the pool drops it
    };
    this.query = ((...args: unknown[]) => {
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        const done = callback as (error: unknown, result: unknown) => void;
        args[last] = (error: unknown, result: unknown) => {
          abandonOnTimeout(error);
          done(error, result);
        };
        return query(...args);
      }
      const result = query(...args);
      if (result instanceof Promise) result.catch(abandonOnTimeout);
      return result;
    }) as Client['query'];
  }
}
