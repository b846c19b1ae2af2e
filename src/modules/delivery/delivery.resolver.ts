import type { GraphQLResolveInfo } from 'graphql';
import { In } from 'typeorm';
import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Info, Mutation, Resolver, Root } from 'type-graphql';
import { fromGlobalId, toGlobalId } from '../../read/global-id';
import { byResponseKey, shapedFrom } from '../../read/response-shape';
import type { Context } from '../../server/context';
import { BriefDefinition } from '../brief-definition/brief-definition.entity';
import { BriefRun } from '../brief-run/brief-run.entity';
import { Role } from '../identity/role';
import { BriefDelivery, DeliveryTarget } from './delivery.entity';
import { EmailDeliveryInput, WebhookDeliveryInput, WebhookWithSecret } from './delivery.inputs';
import { disclosedDelivery, disclosedTarget, managesDeliveries } from './delivery.disclosure';
import { addEmail, addWebhook, removeTarget, rotateSecret } from './delivery.service';

const targetView = (t: DeliveryTarget) => ({ ...t, id: toGlobalId('DeliveryTarget', t.id) });
const deliveryView = (d: BriefDelivery) => ({ ...d, id: toGlobalId('BriefDelivery', d.id) });

/**
 * Rows of `load` grouped by key, for every key asked for in the same tick: a list of definitions or runs reads its
 * targets or deliveries in one statement, however many rows it has.
 */
function batched<T>(load: (ids: string[]) => Promise<T[]>, keyOf: (row: T) => string): (id: string) => Promise<T[]> {
  type Caller = { resolve: (rows: T[]) => void; reject: (error: unknown) => void };
  let waiting: Map<string, Caller[]> | null = null;
  return (id) =>
    new Promise((resolve, reject) => {
      if (!waiting) {
        const batch = (waiting = new Map<string, Caller[]>());
        process.nextTick(() => {
          waiting = null;
          load([...batch.keys()]).then(
            (rows) => batch.forEach((callers, key) => callers.forEach((c) => c.resolve(rows.filter((row) => keyOf(row) === key)))),
            (error) => batch.forEach((callers) => callers.forEach((c) => c.reject(error))),
          );
        });
      }
      waiting.set(id, [...(waiting.get(id) ?? []), { resolve, reject }]);
    });
}

/** One set of loaders per request (never shared between readers). */
const loaders = new WeakMap<Context, { targets: (id: string) => Promise<DeliveryTarget[]>; deliveries: (id: string) => Promise<BriefDelivery[]> }>();
function loadersOf(ctx: Context) {
  let found = loaders.get(ctx);
  if (!found) {
    const em = ctx.dataSource.manager;
    found = {
      targets: batched(
        (ids) => em.find(DeliveryTarget, { where: { definitionId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } }),
        (t) => t.definitionId,
      ),
      deliveries: batched(
        (ids) => em.find(BriefDelivery, { where: { runId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } }),
        (d) => d.runId,
      ),
    };
    loaders.set(ctx, found);
  }
  return found;
}

// Targets and logs are reached only through a definition or run the reader may see (both filtered by the access
// seam), so whoever is not cleared for the definition sees neither; who does not manage it sees them masked.
@Resolver(() => BriefDefinition)
export class DefinitionDeliveryResolver {
  @FieldResolver(() => [DeliveryTarget], { description: 'Where its runs are delivered.' })
  async deliveryTargets(@Root() definition: BriefDefinition, @Ctx() ctx: Context) {
    const full = managesDeliveries(ctx.viewer, shapedFrom(definition));
    return (await loadersOf(ctx).targets(fromGlobalId(shapedFrom(definition).id, 'id').id)).map((t) => targetView(disclosedTarget(t, full)));
  }
}

@Resolver(() => BriefRun)
export class RunDeliveryResolver {
  @FieldResolver(() => [BriefDelivery], { description: 'The delivery log of this run: one entry per target, oldest first.' })
  async deliveries(@Root() run: BriefRun, @Ctx() ctx: Context) {
    const full = managesDeliveries(ctx.viewer, shapedFrom(run).definition);
    return (await loadersOf(ctx).deliveries(fromGlobalId(shapedFrom(run).id, 'id').id)).map((d) => deliveryView(disclosedDelivery(d, full)));
  }
}

@Resolver(() => DeliveryTarget)
export class DeliveryTargetResolver {
  @Authorized(Role.ADMIN)
  // The secret is in the answer and nowhere readable afterwards, so no retry could answer it again.
  @Extensions({ replayable: false })
  @Mutation(() => WebhookWithSecret, {
    description:
      'Deliver a definition’s runs to a webhook (ADMIN): a signed POST per run, composed at `clearance`. The answer carries its signing secret, once. A URL that is not https, or resolves to a private address, is BAD_USER_INPUT.',
  })
  async addBriefDefinitionWebhook(
    @Arg('definition', () => ID) definition: string,
    @Arg('input', () => WebhookDeliveryInput) input: WebhookDeliveryInput,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const { target, secret } = await addWebhook(ctx.dataSource, ctx.viewer, ctx.delivery, definition, input);
    return byResponseKey(info, { target: targetView(target), secret });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => DeliveryTarget, { description: 'Deliver a definition’s runs by e-mail (ADMIN), Markdown and HTML, composed at `clearance`.' })
  async addBriefDefinitionEmail(
    @Arg('definition', () => ID) definition: string,
    @Arg('input', () => EmailDeliveryInput) input: EmailDeliveryInput,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return byResponseKey(info, targetView(await addEmail(ctx.dataSource, ctx.viewer, ctx.delivery, definition, input)));
  }

  @Authorized(Role.ADMIN)
  @Extensions({ replayable: false })
  @Mutation(() => WebhookWithSecret, { description: 'A new signing secret for a webhook, shown once; the old one stops signing at once.' })
  async rotateWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const { target, secret } = await rotateSecret(ctx.dataSource, ctx.viewer, id);
    return byResponseKey(info, { target: targetView(target), secret });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ID, { description: 'Stop delivering to a target; its log stays. Returns its id.' })
  removeBriefDefinitionDelivery(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return removeTarget(ctx.dataSource, ctx.viewer, id);
  }
}
