import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Extensions, Field, ID, Info, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { notFound } from '../../common/errors';
import { Marking } from '../../common/marking';
import { toGlobalId } from '../../read/global-id';
import { byResponseKey } from '../../read/response-shape';
import type { Context } from '../../server/context';
import { writeTransaction } from '../idempotency/idempotency';
import { ApiKey } from './api-key.entity';
import { checkGrant, createKey, manages, revokeKey } from './api-key.service';
import { Role } from './role';

@InputType({ description: 'A new API key.' })
class ApiKeyInput {
  @Field({ description: 'Unique name: the principal of the identity (letters, digits and . _ @ : -).' })
  name: string;

  @Field(() => Role, { description: 'What it may do.' })
  role: Role;

  @Field(() => Marking, { description: 'Highest marking it may read; at most your own.' })
  clearance: Marking;

  @Field(() => String, { nullable: true, description: 'Its organisation; yours when not given, and only yours is allowed.' })
  organisation?: string | null;
}

@ObjectType({ description: 'A newly created key: `key` is the secret, shown this once.' })
class CreatedApiKey {
  @Field({ description: 'The secret, to send as `Authorization: Bearer <key>`. It is not stored: keep it now.' })
  key: string;

  @Field(() => ApiKey, { description: 'The stored key.' })
  apiKey: ApiKey;
}

@ObjectType({ description: 'Who you are to this service.' })
class Identity {
  @Field(() => String, { nullable: true, description: 'Your principal; null when anonymous.' })
  principal: string | null;

  @Field(() => Role, { nullable: true, description: 'Your role; null when anonymous (read only).' })
  role: Role | null;

  @Field(() => Marking, { description: 'The highest marking you may read.' })
  clearance: Marking;

  @Field(() => String, { nullable: true, description: 'Your organisation.' })
  organisation: string | null;
}

const keyView = (k: ApiKey) => ({ ...k, id: toGlobalId('ApiKey', k.id) });

@Resolver()
export class ApiKeyResolver {
  @Query(() => Identity, { description: 'Who you are: principal, role, clearance and organisation.' })
  viewer(@Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return byResponseKey(info, ctx.viewer);
  }

  @Authorized(Role.ADMIN)
  @Query(() => [ApiKey], { description: 'API keys of your organisation (without one: your own) at or below your clearance, by name (ADMIN).' })
  async apiKeys(@Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const keys = await ctx.dataSource.manager.find(ApiKey, { order: { name: 'ASC' } });
    return byResponseKey(info, keys.filter((k) => manages(ctx.viewer, k)).map(keyView));
  }

  @Authorized(Role.ADMIN)
  // A retry could not be answered: the secret is not kept. Retried without a key, a name already taken is CONFLICT.
  @Extensions({ replayable: false })
  @Mutation(() => CreatedApiKey, {
    description:
      'Create an API key (ADMIN). The secret is in the answer, and nowhere else, so this takes no Idempotency-Key: if the answer was lost, a retry is CONFLICT on the name; revoke that key and create another.',
  })
  async createApiKey(@Arg('input', () => ApiKeyInput) input: ApiKeyInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    checkGrant(ctx.viewer, input);
    const created = await createKey(ctx.dataSource.manager, { ...input, organisation: input.organisation ?? ctx.viewer.organisation });
    return byResponseKey(info, { key: created.key, apiKey: keyView(created.apiKey) });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ApiKey, { description: 'Revoke an API key you can list (ADMIN); it stops working on the next request.' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const revoked = await writeTransaction(ctx.dataSource, async (em) => (await revokeKey(em, id, ctx.viewer)).id);
    // Read afresh, as a replay answers too, and only if it is still the admin's to see.
    const apiKey = await ctx.dataSource.manager.findOneBy(ApiKey, { id: revoked });
    if (!apiKey || !manages(ctx.viewer, apiKey)) throw notFound(`ApiKey ${id}`);
    return byResponseKey(info, keyView(apiKey));
  }
}
