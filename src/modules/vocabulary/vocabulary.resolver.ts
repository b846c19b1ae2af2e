import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Info, Mutation, Query, Resolver } from 'type-graphql';
import { byResponseKey } from '../../read/response-shape';
import type { Context } from '../../server/context';
import { writeTransaction } from '../idempotency/idempotency';
import { commentArg } from '../../registry/item-mutations';
import { Role } from '../identity/role';
import { addTerm, deprecateTerm, relabelTerm } from './vocabulary.admin';
import { readVocabularies } from './vocabulary.service';
import { Vocabulary } from './vocabulary.types';

// Vocabularies are not marked items: everyone who may read at all may read them.

const vocabularyArg = () => Arg('vocabulary', () => String, { description: 'The vocabulary ("actor-kind").' });
const termArg = () => Arg('term', () => String, { description: 'The term, UPPER_SNAKE ("NON_STATE_ARMED_GROUP").' });
const descriptionArg = (what: string) => Arg('description', () => String, { nullable: true, description: what });

@Resolver()
export class VocabularyResolver {
  @Query(() => Vocabulary, { nullable: true, description: 'An open vocabulary with its terms, labels and descriptions; null when there is none of that name.' })
  async vocabulary(
    @Arg('name', () => String, { description: 'Its name ("actor-kind").' }) name: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const [found] = await readVocabularies(ctx.dataSource.manager, [name]);
    return byResponseKey(info, found ?? null);
  }

  @Query(() => [Vocabulary], { description: 'Every open vocabulary, by name.' })
  async vocabularies(@Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return byResponseKey(info, await readVocabularies(ctx.dataSource.manager));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Vocabulary, {
    description: 'Add a term at the end of a vocabulary (ADMIN); writes may use it at once. A term already there is CONFLICT, an unknown vocabulary NOT_FOUND.',
  })
  async addVocabularyTerm(
    @vocabularyArg() vocabulary: string,
    @termArg() term: string,
    @Arg('label', () => String, { description: 'How it reads ("Non-state armed group").' }) label: string,
    @descriptionArg('What it means.') description: string | null | undefined,
    @commentArg() _comment: string | null | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await writeTransaction(ctx.dataSource, (em) => addTerm(em, vocabulary, term, label, description));
    return this.vocabulary(vocabulary, ctx, info);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Vocabulary, { description: 'Give a term a new label, and a new description when one is given (ADMIN); briefs show the new label.' })
  async relabelVocabularyTerm(
    @vocabularyArg() vocabulary: string,
    @termArg() term: string,
    @Arg('label', () => String, { description: 'The new label.' }) label: string,
    @descriptionArg('The new description; not given keeps it, null removes it.') description: string | null | undefined,
    @commentArg() _comment: string | null | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await writeTransaction(ctx.dataSource, (em) => relabelTerm(em, vocabulary, term, label, description));
    return this.vocabulary(vocabulary, ctx, info);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Vocabulary, { description: 'Deprecate a term (ADMIN): new writes refuse it; rows that hold it keep it, and reads show it.' })
  async deprecateVocabularyTerm(
    @vocabularyArg() vocabulary: string,
    @termArg() term: string,
    @commentArg() _comment: string | null | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await writeTransaction(ctx.dataSource, (em) => deprecateTerm(em, vocabulary, term));
    return this.vocabulary(vocabulary, ctx, info);
  }
}
