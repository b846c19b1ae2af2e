import type { DataSource, EntityManager } from 'typeorm';
import { v4 as uuid } from 'uuid';
import { badUserInput, notFound } from '../../common/errors';
import { MARKINGS, type Marking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { fromGlobalId, toGlobalId } from '../../read/global-id';
import { definitionToChange } from '../brief-definition/brief-definition.service';
import { writeTransaction } from '../idempotency/idempotency';
import { DELIVERABLE_MARKINGS, DeliveryKind, DeliveryTarget } from './delivery.entity';
import type { EmailDeliveryInput, WebhookDeliveryInput } from './delivery.inputs';
import type { DeliverySettings } from './delivery.settings';
import { isEmailAddress, MAX_RECIPIENTS } from './email.send';
import { newSecret } from './signature';
import { parseWebhookUrl, resolveWebhookHost, WebhookAddressError } from './webhook-address';

/** Most targets one definition may have. */
const MAX_TARGETS = 10;

/**
 * A delivery hands a brief to readers Dossier cannot see, so its marking is declared, never inherited: at most the
 * definition's clearance (itself at most its owner's), and never AMBER+STRICT or RED, which name who may read them.
 */
function checkClearance(clearance: Marking, definitionMarking: Marking) {
  if (!(DELIVERABLE_MARKINGS as readonly Marking[]).includes(clearance)) {
    throw badUserInput('input.clearance', `${clearance} is never delivered outside Dossier: its readers are named there; use CLEAR, GREEN or AMBER`);
  }
  if (MARKINGS.indexOf(clearance) > MARKINGS.indexOf(definitionMarking)) {
    throw badUserInput('input.clearance', `cannot exceed the definition’s clearance (${definitionMarking})`);
  }
}

/** Adds a target to a definition the viewer may change, inside one transaction that holds the definition. */
async function addTarget(
  dataSource: DataSource,
  viewer: Viewer,
  definitionId: string,
  target: Omit<DeliveryTarget, 'id' | 'definitionId' | 'definition' | 'createdAt'>,
) {
  return writeTransaction(dataSource, async (em) => {
    const d = await definitionToChange(em, viewer, definitionId);
    const [{ count }] = await em.query<Array<{ count: number }>>(
      `SELECT count(*)::int AS count FROM (SELECT id FROM brief_definition WHERE id = $1 FOR UPDATE) d JOIN delivery_target t ON t.definition_id = d.id`,
      [d.id],
    );
    if (count >= MAX_TARGETS) throw badUserInput('definition', `a definition has at most ${MAX_TARGETS} delivery targets`);
    checkClearance(target.clearance, d.marking);
    return (await em.save(Object.assign(new DeliveryTarget(), { ...target, id: uuid(), definitionId: d.id }))).id;
  });
}

const targetNow = (dataSource: DataSource, id: string) => dataSource.manager.findOneByOrFail(DeliveryTarget, { id });

export async function addWebhook(dataSource: DataSource, viewer: Viewer, settings: DeliverySettings, definitionId: string, input: WebhookDeliveryInput) {
  let parsed;
  try {
    parsed = parseWebhookUrl(input.url);
    await resolveWebhookHost(parsed.url, settings.allowPrivate);
  } catch (error) {
    if (error instanceof WebhookAddressError) throw badUserInput('input.url', error.message);
    throw error;
  }
  const secret = newSecret();
  const added = await addTarget(dataSource, viewer, definitionId, {
    kind: DeliveryKind.WEBHOOK,
    url: parsed.url.href,
    secret,
    recipients: [],
    label: parsed.label,
    clearance: input.clearance,
  });
  return { target: await targetNow(dataSource, added), secret };
}

export async function addEmail(dataSource: DataSource, viewer: Viewer, settings: DeliverySettings, definitionId: string, input: EmailDeliveryInput) {
  const recipients = [...new Set(input.recipients.map((r) => r.trim()))];
  if (!recipients.length || recipients.length > MAX_RECIPIENTS) throw badUserInput('input.recipients', `give 1 to ${MAX_RECIPIENTS} addresses`);
  const bad = recipients.findIndex((r) => !isEmailAddress(r));
  if (bad >= 0) throw badUserInput(`input.recipients[${bad}]`, `"${recipients[bad]}" is not an e-mail address (name@example.org)`);
  if (!settings.smtpUrl) throw badUserInput('input.recipients', 'this service has no SMTP server (SMTP_URL): it cannot send e-mail');
  const added = await addTarget(dataSource, viewer, definitionId, {
    kind: DeliveryKind.EMAIL,
    url: null,
    secret: null,
    recipients,
    label: recipients.join(', '),
    clearance: input.clearance,
  });
  return targetNow(dataSource, added);
}

/** A target of a definition the viewer may change; NOT_FOUND otherwise, as for one that does not exist. */
async function targetToChange(em: EntityManager, viewer: Viewer, globalId: string): Promise<DeliveryTarget> {
  const { id } = fromGlobalId(globalId, 'id', ['DeliveryTarget']);
  const target = await em.findOneBy(DeliveryTarget, { id });
  if (!target) throw notFound(`DeliveryTarget ${globalId}`);
  try {
    await definitionToChange(em, viewer, toGlobalId('BriefDefinition', target.definitionId));
  } catch {
    throw notFound(`DeliveryTarget ${globalId}`);
  }
  return target;
}

/** A new signing secret for a webhook; the old one stops working at once (retries are signed with the new one). */
export async function rotateSecret(dataSource: DataSource, viewer: Viewer, id: string) {
  const secret = newSecret();
  const rotated = await writeTransaction(dataSource, async (em) => {
    const target = await targetToChange(em, viewer, id);
    if (target.kind !== DeliveryKind.WEBHOOK) throw badUserInput('id', 'only a webhook has a secret');
    await em.update(DeliveryTarget, { id: target.id }, { secret });
    return target.id;
  });
  return { target: await targetNow(dataSource, rotated), secret };
}

/** Removes a target; its log stays with its runs, and deliveries not yet sent are given up. */
export async function removeTarget(dataSource: DataSource, viewer: Viewer, id: string) {
  await writeTransaction(dataSource, async (em) => {
    const target = await targetToChange(em, viewer, id);
    await em.delete(DeliveryTarget, { id: target.id });
  });
  return id;
}
