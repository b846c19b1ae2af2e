import type { DataSource } from 'typeorm';
import { GraphQLError } from 'graphql';
import { highestMarking, Marking, MARKINGS } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { fromGlobalId, toGlobalId } from '../../read/global-id';
import { tlpLabel } from '../brief/brief.phrases';
import { composeForScope } from '../brief/brief.service';
import { BriefFormat } from '../brief-definition/brief-definition.entity';
import { diffSnapshots, snapshotOf } from '../brief-run/brief-delta';
import type { BriefRun } from '../brief-run/brief-run.entity';
import { forReader, WITHDRAWN } from '../brief-run/brief-run.service';
import { contentsOf, withStatements } from '../brief-run/run-contents';
import { BriefDelivery, DeliveryKind, DeliveryState, type DeliveryTarget } from './delivery.entity';
import type { EmailPayload } from './email.send';

export type Prepared =
  | { kind: 'ready'; fields: Pick<BriefDelivery, 'payload' | 'contents' | 'snapshot' | 'marking' | 'contentHash'> }
  | { kind: 'skip'; reason: string; contentHash: string }
  | { kind: 'refused'; reason: string };

const lower = (a: Marking, b: Marking) => (MARKINGS.indexOf(a) <= MARKINGS.indexOf(b) ? a : b);

/** Whom a delivery is composed for: the definition's owner, lowered to the target's clearance. */
export function recipientViewer(run: BriefRun, target: DeliveryTarget): Viewer {
  const scope = run.input ?? run.definition.input;
  return {
    principal: run.definition.ownerPrincipal,
    organisation: run.definition.organisation,
    role: null,
    clearance: lower(target.clearance, scope.clearance),
  };
}

/**
 * Composes what one delivery carries. The brief is composed again for a reader of the target's clearance, so nothing
 * marked above it is in it, nor in its delta, nor in its counts. The delta is against what this target last received
 * (same clearance, so like is compared with like). With onlyWhenChanged, content equal to that is not sent.
 */
export async function prepareDelivery(dataSource: DataSource, delivery: BriefDelivery, target: DeliveryTarget): Promise<Prepared> {
  const run = delivery.run;
  const viewer = recipientViewer(run, target);
  const stored = run.input ?? run.definition.input;
  // Below the definition's clearance, what its writers wrote (its name, a custom title) and its runs' ids are marked
  // with it: such a target gets the generated title, no name, and no baseline run id.
  const lowered = MARKINGS.indexOf(viewer.clearance) < MARKINGS.indexOf(highestMarking([stored.clearance, run.definition.marking]));
  const scope = { ...stored, clearance: viewer.clearance, ...(lowered ? { title: null } : {}) };
  let composed;
  try {
    composed = await composeForScope(dataSource, viewer, scope, 'definition.input');
  } catch (error) {
    // A topic the owner may not see at this clearance: nothing to deliver there, now or later.
    if (error instanceof GraphQLError) return { kind: 'refused', reason: `cannot be composed at ${viewer.clearance}: ${error.message}` };
    throw error;
  }
  const { brief, data } = composed;
  const previous = await dataSource.manager
    .createQueryBuilder(BriefDelivery, 'd')
    .where('d.target_id = :target AND d.state = :delivered AND d.id <> :id', { target: target.id, delivered: DeliveryState.DELIVERED, id: delivery.id })
    .orderBy('d.created_at', 'DESC')
    .getOne();
  if (run.definition.onlyWhenChanged && previous?.contentHash === brief.contentHash) {
    return { kind: 'skip', reason: 'unchanged since the last delivery to this target (onlyWhenChanged)', contentHash: brief.contentHash };
  }
  const snapshot = snapshotOf(data.statements);
  const delta = previous?.snapshot
    ? await forReader(dataSource, diffSnapshots(previous.snapshot, snapshot, previous.createdAt, toGlobalId('BriefRun', previous.runId), lowered), viewer)
    : null;
  const marking = highestMarking([brief.marking, ...(delta?.removed.map((item) => item.marking) ?? [])]);
  const contents = withStatements(contentsOf(data), delta?.removed.filter((item) => item.text !== WITHDRAWN) ?? [], (id) => fromGlobalId(id, 'id').id);
  const payload =
    target.kind === DeliveryKind.WEBHOOK
      ? JSON.stringify({
          delivery: { id: toGlobalId('BriefDelivery', delivery.id), clearance: viewer.clearance },
          run: {
            id: toGlobalId('BriefRun', run.id),
            definition: { id: toGlobalId('BriefDefinition', run.definitionId), name: lowered ? null : run.definition.name },
            scheduledFor: run.scheduledFor.toISOString(),
            finishedAt: run.finishedAt?.toISOString() ?? null,
            contentHash: brief.contentHash,
          },
          marking,
          formats: {
            ...(run.definition.formats.includes(BriefFormat.MARKDOWN) ? { markdown: brief.markdown } : {}),
            ...(run.definition.formats.includes(BriefFormat.HTML) ? { html: brief.html } : {}),
            ...(run.definition.formats.includes(BriefFormat.JSON) ? { json: brief } : {}),
          },
          delta,
        })
      : JSON.stringify({
          subject: `[${tlpLabel(marking)}] ${brief.title} (${run.scheduledFor.toISOString().slice(0, 10)})`,
          text: brief.markdown,
          html: brief.html,
        } satisfies EmailPayload);
  return { kind: 'ready', fields: { payload, contents, snapshot, marking, contentHash: brief.contentHash } };
}
