import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput, conflict } from '../../common/errors';
import type { Context } from '../../server/context';

// A client that lost the answer to a write retries it with the same `Idempotency-Key` header: the retry is answered
// from a record of the first attempt, kept in the first attempt's own transaction, and writes nothing.

/** How long a key is remembered; after that the same key is a new request. */
export const KEY_LIFETIME = '24 hours';
const KEY_FORMAT = /^[\x20-\x7E]{1,255}$/;
/** How long a retry waits for an attempt that holds its key before it is told to retry later (503). */
const CLAIM_WAIT_MS = 5_000;

/** What a write hands back to its resolver, stored as JSON for a retry. */
export type Outcome = string | number | boolean | null | void | Outcome[] | { [name: string]: Outcome };

/** A mutation field running under a key: who, which key, which field of the operation, and what it asks. */
interface KeyScope {
  principal: string;
  key: string;
  field: string;
  requestHash: string;
  used: boolean;
}

const running = new AsyncLocalStorage<KeyScope>();

/** Same field, same arguments, same hash: keys are compared sorted, so their order does not matter. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// An alias may be long: the field is kept by its hash, which fits any index.
const fieldKey = (responseKey: string) => createHash('sha256').update(responseKey).digest('hex');

const requestHash = (fieldName: string, args: unknown) =>
  createHash('sha256')
    .update(`${fieldName}\n${canonicalJson(args)}`)
    .digest('hex');

/**
 * Runs every mutation field in the scope of the request's `Idempotency-Key`, where `writeTransaction` finds it. A
 * field marked `@Extensions({ replayable: false })` refuses a key: its answer cannot be given again.
 */
export function scopeMutationsToIdempotencyKeys(schema: GraphQLSchema): void {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, ctx: Context, info) => {
      const key = ctx.idempotencyKey;
      if (key === undefined) return resolve(source, args, ctx, info);
      if (!KEY_FORMAT.test(key)) throw badUserInput('Idempotency-Key', '1 to 255 printable ASCII characters');
      if (field.extensions.replayable === false) {
        throw badUserInput('Idempotency-Key', `${info.fieldName} cannot be answered twice, so it takes no Idempotency-Key`);
      }
      // Anonymous requests write nothing: the field refuses them on its own.
      if (!ctx.viewer.principal) return resolve(source, args, ctx, info);
      const scope = {
        principal: ctx.viewer.principal,
        key,
        field: fieldKey(String(info.path.key)),
        requestHash: requestHash(info.fieldName, args),
        used: false,
      };
      return running.run(scope, () => resolve(source, args, ctx, info));
    };
  }
}

/**
 * `dataSource.transaction(write)`, answerable once per key. Under a key, the transaction first claims it: a retry
 * whose first attempt committed (or is committing: the claim waits on it) writes nothing and gets that attempt's
 * outcome back; the same key with other arguments is CONFLICT. A failed attempt rolls its claim back with the rest,
 * so its retry really writes.
 */
export async function writeTransaction<T extends Outcome>(dataSource: DataSource, write: (em: EntityManager) => Promise<T>): Promise<T> {
  const scope = running.getStore();
  if (!scope) return dataSource.transaction(write);
  // A second write would find the first one's claim and skip itself.
  if (scope.used) throw new Error('a mutation field under an Idempotency-Key makes one write transaction');
  scope.used = true;
  await dataSource.query(`DELETE FROM idempotency_key WHERE created_at < now() - $1::interval`, [KEY_LIFETIME]);
  return dataSource.transaction(async (em) => {
    const id = [scope.principal, scope.key, scope.field];
    const where = 'principal = $1 AND key = $2 AND field = $3';
    // A claim held by another attempt is waited for, but not for ever: that attempt may be a session the network lost.
    await em.query(`SET LOCAL lock_timeout = ${CLAIM_WAIT_MS}`);
    const claimed = await em.query<unknown[]>(
      `INSERT INTO idempotency_key (principal, key, field, request_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1`,
      [...id, scope.requestHash],
    );
    await em.query(`SET LOCAL lock_timeout TO DEFAULT`);
    if (!claimed.length) {
      const [first] = await em.query<Array<{ request_hash: string; outcome: unknown }>>(`SELECT request_hash, outcome FROM idempotency_key WHERE ${where}`, id);
      if (first?.request_hash !== scope.requestHash) throw conflict('Idempotency-Key reused with a different request');
      return first.outcome as T;
    }
    const outcome = await write(em);
    await em.query(`UPDATE idempotency_key SET outcome = $4 WHERE ${where}`, [...id, JSON.stringify(outcome ?? null)]);
    return outcome;
  });
}
