import type { Viewer } from '../../common/viewer';
import { hasRole, Role } from '../identity/role';
import type { BriefDelivery, DeliveryTarget } from './delivery.entity';
import { DeliveryKind } from './delivery.entity';

/** The definition a target or delivery belongs to, as far as who manages it. */
export interface DefinitionOwner {
  organisation: string | null;
  ownerPrincipal: string;
}

/**
 * Whether `viewer` manages the definition's deliveries: a REPORTER (or ADMIN) of its organisation, or its owner when
 * it has none. Only they see where deliveries go in full: a webhook's path often carries its token, recipients are
 * personal data, and a receiver's answer may echo either.
 */
export function managesDeliveries(viewer: Viewer, owner: DefinitionOwner | undefined): boolean {
  if (!owner || !hasRole(viewer.role, Role.REPORTER)) return false;
  return owner.organisation ? viewer.organisation === owner.organisation : viewer.principal === owner.ownerPrincipal;
}

/** A webhook's label cut to its origin (scheme, host, port). */
function originOf(label: string): string {
  try {
    return new URL(label).origin;
  } catch {
    return '…';
  }
}

/** An e-mail address with its local part hidden: "…@example.org". */
const maskedAddress = (address: string) => `…${address.slice(address.lastIndexOf('@'))}`;

const maskedLabel = (kind: DeliveryKind, label: string) => (kind === DeliveryKind.WEBHOOK ? originOf(label) : label.split(', ').map(maskedAddress).join(', '));

export const disclosedTarget = (t: DeliveryTarget, full: boolean): DeliveryTarget =>
  full ? t : { ...t, label: maskedLabel(t.kind, t.label), recipients: t.recipients.map(maskedAddress) };

/** Said in place of an attempt's error to readers who do not manage the target: errors can name hosts and addresses. */
export const WITHHELD_ERROR = 'the attempt failed; those who manage this definition’s deliveries see why';

export const disclosedDelivery = (d: BriefDelivery, full: boolean): BriefDelivery =>
  full ? d : { ...d, target: maskedLabel(d.kind, d.target), responseExcerpt: null, error: d.error === null ? null : WITHHELD_ERROR };
