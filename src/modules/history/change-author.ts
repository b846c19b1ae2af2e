import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import { EventSubscriber, type EntitySubscriberInterface, type TransactionStartEvent } from 'typeorm';
import type { Context } from '../../server/context';

// Who makes a change and why, for the history the database records (migration RecordChangeHistory). The triggers
// read them from two settings local to the writing transaction, set when it starts.

/** The principal of changes the seed (fixture) loader makes. */
export const SEED_PRINCIPAL = 'dossier:seed';

interface ChangeAuthor {
  principal: string | null;
  comment: string | null;
}

const authors = new AsyncLocalStorage<ChangeAuthor>();

/** Runs `fn` so that every transaction it starts records its changes as made by `principal`, for `comment`. */
export const withChangeAuthor = <T>(principal: string | null, comment: string | null, fn: () => T): T => authors.run({ principal, comment }, fn);

/** Every mutation field runs as its viewer, with its `comment` argument (the same for all its writes). */
export function authorMutations(schema: GraphQLSchema): void {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args: Record<string, unknown>, ctx: Context, info) => {
      const comment = typeof args.comment === 'string' ? args.comment.trim() || null : null;
      return withChangeAuthor(ctx.viewer.principal, comment, () => resolve(source, args, ctx, info));
    };
  }
}

/** Sets the transaction's author as it starts: one statement, and only for transactions that have one. */
@EventSubscriber()
export class ChangeAuthorSubscriber implements EntitySubscriberInterface {
  async afterTransactionStart(event: TransactionStartEvent): Promise<void> {
    const author = authors.getStore();
    if (!author || (!author.principal && !author.comment)) return;
    await event.queryRunner.query(`SELECT set_config('dossier.principal', $1, true), set_config('dossier.comment', $2, true)`, [
      author.principal ?? '',
      author.comment ?? '',
    ]);
  }
}
