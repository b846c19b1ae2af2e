import { Client, type ClientConfig } from 'pg';
import { sqlDuration } from '../common/metrics';
import { currentRequest, recordStatement } from '../common/request-scope';
import { statementName } from './prepared';

const isReadTimeout = (error: unknown) => (error as Error | undefined)?.message === 'Query read timeout';

/** The SQL text of a query's arguments (a string or a query config), or undefined for a submittable (a cursor). */
const sqlOf = (first: unknown): string | undefined =>
  typeof first === 'string'
    ? first
    : typeof (first as { text?: unknown })?.text === 'string' && typeof (first as { submit?: unknown }).submit !== 'function'
      ? (first as { text: string }).text
      : undefined;

/** Times a statement for the metrics and for the request it was sent for (the slow-operation log). */
function timed(sql: string): (error: unknown) => void {
  const started = process.hrtime.bigint();
  // Taken now: a callback may run in the connection's context rather than the request's.
  const scope = currentRequest();
  return (error) => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    sqlDuration.observe({ outcome: error ? 'error' : 'ok' }, ms / 1000);
    recordStatement(scope, sql, ms);
  };
}

/**
 * A node-postgres client that closes its connection when a query gets no answer within query_timeout. Otherwise the
 * pool would hand the connection on while the lost query may still run, possibly inside a transaction the next user
 * would then share and commit. It also times every statement (see `timed`), and sends the read path's repeated
 * statements as named prepared statements (prepared.ts).
 */
export class TimeoutSafeClient extends Client {
  /** The statements prepared on this connection, by name; undefined when the pool prepares none. */
  private readonly prepared?: Set<string>;

  constructor(config?: ClientConfig & { preparedStatements?: boolean }) {
    super(config);
    if (config?.preparedStatements !== false) this.prepared = new Set();
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    const abandonOnTimeout = (error: unknown) => {
      if (isReadTimeout(error)) void this.end().catch(() => undefined); // marks it unusable at once; the pool drops it
    };
    this.query = ((...args: unknown[]) => {
      const sql = sqlOf(args[0]);
      const name = this.prepared && typeof args[0] === 'string' && Array.isArray(args[1]) ? statementName(args[0], this.prepared) : undefined;
      if (name) args.splice(0, 2, { name, text: args[0], values: args[1] });
      const done = sql === undefined ? undefined : timed(sql);
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        const answer = callback as (error: unknown, result: unknown) => void;
        args[last] = (error: unknown, result: unknown) => {
          done?.(error);
          abandonOnTimeout(error);
          answer(error, result);
        };
        return query(...args);
      }
      const result = query(...args);
      if (result instanceof Promise) {
        result.then(
          () => done?.(undefined),
          (error: unknown) => {
            done?.(error);
            abandonOnTimeout(error);
          },
        );
      }
      return result;
    }) as Client['query'];
  }
}
