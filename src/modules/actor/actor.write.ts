import { v4 as uuid } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { countryCode } from '../../common/country-code';
import { badUserInput } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { itemAccessFor } from '../assertion/item-access';
import { writeTransaction } from '../idempotency/idempotency';
import { accessColumns, insertRow, optionalText, referenceTo, requireLive, requiredText, updateItem, type Reference } from '../item/item.write';
import type { Dependent } from '../item/retraction';
import { findMatchingActor, identityTaken, lockIdentity, type ActorIdentity } from './actor.identity';
import type { ActorInput, ActorPatch } from './actor.write-inputs';
import { checkedExternalIds, schemeTerms } from './external-id';
import { Vocabulary } from '../vocabulary/vocabularies';
import { requireTerms, type TermCheck } from '../vocabulary/vocabulary.service';

const target = (globalId: string) => ({ table: 'actor' as const, typeName: 'Actor', globalId });
const kindTerm = (kind: string): TermCheck => ({ vocabulary: Vocabulary.ACTOR_KIND, term: kind, path: 'input.kind' });

/** Other names, trimmed, each once (compared case-insensitively), none blank. */
/** Aliases trimmed, each once whatever its case; a blank one is BAD_USER_INPUT naming it. */
export function aliasesOf(aliases: string[] | null | undefined, path: string): string[] {
  const seen = new Map<string, string>();
  (aliases ?? []).forEach((alias, i) => {
    const trimmed = requiredText(alias, `${path}[${i}]`, 'an alias');
    if (!seen.has(trimmed.toLowerCase())) seen.set(trimmed.toLowerCase(), trimmed);
  });
  return [...seen.values()];
}

/** An actor's parent must not be the actor itself, nor one of its parts (however deep). */
async function checkParent(em: EntityManager, viewer: Viewer, parent: Reference, id: string) {
  await requireLive(em, viewer, [parent]);
  const [cycle] = await em.query<unknown[]>(
    `WITH RECURSIVE up AS (SELECT id, parent_id FROM actor WHERE id = $1 UNION SELECT a.id, a.parent_id FROM actor a JOIN up ON a.id = up.parent_id)
     SELECT 1 FROM up WHERE id = $2 LIMIT 1`,
    [parent.id, id],
  );
  if (cycle) throw badUserInput(parent.path, 'an actor cannot be part of itself or of one of its parts');
}

/**
 * Records an actor, unless it is one the writer may see already (by identifier, or by name or alias within its kind):
 * that is CONFLICT naming it, or, with `reuseExisting`, the answer. Returns the uuid of the actor stored or reused.
 */
export function createActor(dataSource: DataSource, viewer: Viewer, input: ActorInput): Promise<string> {
  const access = itemAccessFor(viewer, input.marking, input.audience, 'input');
  const name = requiredText(input.name, 'input.name', 'a name');
  const aliases = aliasesOf(input.aliases, 'input.aliases');
  const externalIds = checkedExternalIds(input.externalIds, 'input.externalIds');
  const parent = input.parent ? referenceTo('actor', 'Actor', input.parent, 'input.parent') : null;
  return writeTransaction(dataSource, async (em) => {
    if (parent) await requireLive(em, viewer, [parent]);
    await requireTerms(em, [kindTerm(input.kind), ...schemeTerms(input.externalIds, 'input.externalIds')]);
    await lockIdentity(em, { name, aliases, kind: input.kind });
    const match = await findMatchingActor(em, viewer, { name, aliases, kind: input.kind, externalIds });
    if (match) {
      if (input.reuseExisting && !match.retracted) return match.id;
      throw identityTaken(match, match.retracted ? 'restore it rather than record it again' : 'pass reuseExisting: true to use it');
    }
    const id = uuid();
    await insertRow(em, 'actor', {
      id,
      name,
      kind: input.kind,
      aliases,
      country_code: countryCode(input.countryCode, 'input.countryCode'),
      description: optionalText(input.description),
      parent_id: parent?.id ?? null,
      external_ids: JSON.stringify(externalIds),
      ...accessColumns(access),
    });
    return id;
  });
}

/** Changes an actor the viewer may see; a new identity that is another visible actor's is CONFLICT naming it. */
export function updateActor(dataSource: DataSource, viewer: Viewer, globalId: string, patch: ActorPatch, version?: number | null) {
  const columns: Record<string, unknown> = {};
  const identity: Partial<ActorIdentity> = {};
  if (patch.name != null) columns.name = identity.name = requiredText(patch.name, 'input.name', 'a name');
  if (patch.kind != null) columns.kind = identity.kind = patch.kind;
  if (patch.aliases != null) columns.aliases = identity.aliases = aliasesOf(patch.aliases, 'input.aliases');
  if (patch.externalIds != null) columns.external_ids = JSON.stringify((identity.externalIds = checkedExternalIds(patch.externalIds, 'input.externalIds')));
  if (patch.countryCode !== undefined) columns.country_code = countryCode(patch.countryCode, 'input.countryCode');
  if (patch.description !== undefined) columns.description = optionalText(patch.description);
  const parent = patch.parent ? referenceTo('actor', 'Actor', patch.parent, 'input.parent') : null;
  return updateItem(dataSource, viewer, target(globalId), {
    columns,
    access: patch,
    version,
    terms: [...(patch.kind != null ? [kindTerm(patch.kind)] : []), ...schemeTerms(patch.externalIds, 'input.externalIds')],
    resolve: async (em, id) => {
      if (parent) await checkParent(em, viewer, parent, id);
      if (Object.keys(identity).length) {
        const [stored]: ActorIdentity[] = await em.query(`SELECT name, aliases, kind, external_ids AS "externalIds" FROM actor WHERE id = $1`, [id]);
        await lockIdentity(em, { ...stored, ...identity });
        const match = await findMatchingActor(em, viewer, { ...stored, ...identity }, id);
        if (match) throw identityTaken(match, 'merge the two (mergeActors) rather than keep both');
      }
      return patch.parent !== undefined ? { parent_id: parent?.id ?? null } : {};
    },
  });
}

/** Statements about an actor: while any stands, the actor is not retracted. */
export const actorDependents: Dependent[] = [
  { plural: 'capabilities', table: 'capability', refersTo: (x) => `${x}.actor_id = $1` },
  { plural: 'challenges', table: 'challenge', refersTo: (x) => `${x}.actor_id = $1` },
  { plural: 'relations', table: 'actor_relation', refersTo: (x) => `$1 IN (${x}.from_actor_id, ${x}.to_actor_id)` },
  { plural: 'judgments', table: 'implication', refersTo: (x) => `${x}.id IN (SELECT implication_id FROM implication_actor WHERE actor_id = $1)` },
  { plural: 'events', table: 'event', refersTo: (x) => `${x}.id IN (SELECT event_id FROM event_actor WHERE actor_id = $1)` },
];
