import type { DataSource } from 'typeorm';
import { toGlobalId } from '../../read/global-id';
import { contentsVisibleTo } from '../brief-run/run-contents';
import { BriefDelivery, DeliveryKind, DeliveryState } from './delivery.entity';
import { prepareDelivery, recipientViewer } from './delivery.prepare';
import type { DeliverySettings } from './delivery.settings';
import { sendEmail, type EmailPayload } from './email.send';
import { sendWebhook, type AttemptOutcome } from './webhook.send';
import { deliveryAttempts } from '../../common/metrics';

/**
 * One attempt at one delivery; 'retry' when it is still PENDING and the queue should try again. The content is
 * composed on the first attempt and kept, so every attempt sends the same bytes; before each, what it carries is
 * checked against the target's clearance as marked now, so an item marked higher since never leaves.
 */
export async function attemptDelivery(dataSource: DataSource, settings: DeliverySettings, deliveryId: string, lastChance: boolean): Promise<'done' | 'retry'> {
  const delivery = await dataSource.manager.findOne(BriefDelivery, {
    where: { id: deliveryId },
    relations: { run: { definition: true }, deliveryTarget: true },
  });
  if (!delivery || delivery.state !== DeliveryState.PENDING) return 'done';
  const pending = { id: deliveryId, state: DeliveryState.PENDING };
  const finish = (state: DeliveryState, error: string, extra: Partial<BriefDelivery> = {}) =>
    dataSource.manager.update(BriefDelivery, pending, { state, error, finishedAt: new Date(), ...extra }).then(() => {
      counted(state);
      return 'done' as const;
    });
  const counted = (state: DeliveryState) =>
    deliveryAttempts.inc({ kind: String(delivery.deliveryTarget?.kind ?? 'removed').toLowerCase(), state: state.toLowerCase() });
  const target = delivery.deliveryTarget;
  if (!target) return finish(DeliveryState.FAILED, 'its target was removed before it was sent');
  if (!delivery.payload) {
    const prepared = await prepareDelivery(dataSource, delivery, target);
    if (prepared.kind === 'skip') return finish(DeliveryState.SKIPPED_UNCHANGED, prepared.reason, { contentHash: prepared.contentHash });
    if (prepared.kind === 'refused') return finish(DeliveryState.FAILED, prepared.reason);
    await dataSource.manager.update(BriefDelivery, pending, prepared.fields);
    Object.assign(delivery, prepared.fields);
  }
  const viewer = recipientViewer(delivery.run, target);
  const [visible] = await dataSource.query<unknown[]>(`SELECT 1 FROM brief_delivery d WHERE d.id = $1 AND ${contentsVisibleTo(viewer, 'd')}`, [deliveryId]);
  if (!visible) return finish(DeliveryState.FAILED, `withheld: something it carries is now marked above ${viewer.clearance}`);

  const outcome: AttemptOutcome =
    target.kind === DeliveryKind.WEBHOOK
      ? await sendWebhook(settings, target.url!, target.secret!, toGlobalId('BriefDelivery', deliveryId), delivery.payload!)
      : await sendEmail(settings, target.recipients, JSON.parse(delivery.payload!) as EmailPayload);
  const state = outcome.delivered ? DeliveryState.DELIVERED : !outcome.retry || lastChance ? DeliveryState.FAILED : DeliveryState.PENDING;
  await dataSource.manager
    .createQueryBuilder()
    .update(BriefDelivery)
    .set({
      state,
      attempts: () => 'attempts + 1',
      lastStatusCode: outcome.statusCode,
      error: outcome.error,
      responseExcerpt: outcome.excerpt,
      lastAttemptAt: () => 'now()',
      finishedAt: state === DeliveryState.PENDING ? null : () => 'now()',
    })
    .where('id = :id AND state = :pending', { id: deliveryId, pending: DeliveryState.PENDING })
    .execute();
  counted(state);
  return state === DeliveryState.PENDING ? 'retry' : 'done';
}
