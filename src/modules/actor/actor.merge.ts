import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { fromGlobalId } from '../../read/global-id';
import { writeTransaction } from '../idempotency/idempotency';
import { lockItem, type LockedItem } from '../item/item.write';
import { isRelease } from '../release/release.rules';
import type { ExternalId } from './external-id';

/** Link tables that tie items to actors: [table, owner column, owner table]. */
const LINKS = [
  ['implication_actor', 'implication_id', 'implication'],
  ['event_actor', 'event_id', 'event'],
  ['topic_actor', 'topic_id', 'topic'],
] as const;

interface Stored {
  name: string;
  aliases: string[];
  externalIds: ExternalId[];
  parentId: string | null;
}

async function storedActor(em: EntityManager, id: string): Promise<Stored> {
  const [row] = await em.query<Stored[]>(`SELECT name, aliases, external_ids AS "externalIds", parent_id AS "parentId" FROM actor WHERE id = $1`, [id]);
  return row;
}

/** Whether `id` is `ancestor` or one of its parts, however deep. */
async function isPartOf(em: EntityManager, id: string, ancestor: string): Promise<boolean> {
  const rows = await em.query<unknown[]>(
    `WITH RECURSIVE up AS (SELECT id, parent_id FROM actor WHERE id = $1 UNION SELECT a.id, a.parent_id FROM actor a JOIN up ON a.id = up.parent_id)
     SELECT 1 FROM up WHERE id = $2 LIMIT 1`,
    [id, ancestor],
  );
  return rows.length > 0;
}

/**
 * Makes `from` one with `into` (ADMIN), in one transaction: everything that points at `from` (statements, relations,
 * published sources, links of judgments, events and topics, parts) points at `into` instead, which takes over its
 * name (as an alias), aliases and identifiers; `from` is retracted, superseded by `into`, so its id still tells
 * where it went. Rows the admin may not see move too: what they say does not change, only which record of the one
 * actor they name. A merge never lets anyone read what they could not: `into` must not be readable by anyone who may
 * not read `from` (merging a RED actor into a CLEAR one would show its statements' subject and its names to CLEAR
 * readers). A relation between the two would become a relation of an actor to itself: it is retracted.
 */
export async function mergeActors(dataSource: DataSource, viewer: Viewer, intoGlobalId: string, fromGlobal: string): Promise<void> {
  const into = fromGlobalId(intoGlobalId, 'into', ['Actor']).id;
  const from = fromGlobalId(fromGlobal, 'from', ['Actor']).id;
  if (into === from) throw badUserInput('from', 'an actor is merged into another one');
  await writeTransaction(dataSource, async (em) => {
    // Locked in id order, so two merges of the same pair wait for each other instead of deadlocking.
    const locked: Record<string, LockedItem> = {};
    const order: Array<[string, string]> = [
      ['into', intoGlobalId],
      ['from', fromGlobal],
    ];
    for (const [path, globalId] of into < from ? order : order.reverse()) {
      locked[path] = await lockItem(em, viewer, { table: 'actor', typeName: 'Actor', globalId }, null, path);
    }
    const [target, source] = [locked.into, locked.from];
    if (target.retracted) throw badUserInput('into', 'the actor is retracted');
    if (source.retracted) throw badUserInput('from', 'the actor is retracted');
    if (isRelease(source, target)) {
      throw badUserInput('into', 'it may be read by people who may not read the actor merged into it: a merge cannot release it (raise its marking first)');
    }
    const [kept, gone] = [await storedActor(em, into), await storedActor(em, from)];
    const reason = `Merged into Actor ${intoGlobalId} ("${kept.name}")`;

    for (const table of ['capability', 'challenge']) await em.query(`UPDATE ${table} SET actor_id = $1 WHERE actor_id = $2`, [into, from]);
    await em.query(`UPDATE actor_relation SET from_actor_id = $1 WHERE from_actor_id = $2 AND to_actor_id <> $1`, [into, from]);
    await em.query(`UPDATE actor_relation SET to_actor_id = $1 WHERE to_actor_id = $2 AND from_actor_id <> $1`, [into, from]);
    await em.query(
      `UPDATE actor_relation SET retracted_at = now(), retraction_reason = $3, updated_at = now()
       WHERE $2 IN (from_actor_id, to_actor_id) AND $1 IN (from_actor_id, to_actor_id) AND retracted_at IS NULL`,
      [into, from, `${reason}: a relation of an actor to itself`],
    );
    for (const [table, owner, ownerTable] of LINKS) {
      // A moved link is a change of the item that has it: one version more, as for any other change of it.
      await em.query(`UPDATE ${ownerTable} SET version = version + 1, updated_at = now() WHERE id IN (SELECT ${owner} FROM ${table} WHERE actor_id = $1)`, [
        from,
      ]);
      await em.query(`INSERT INTO ${table} (${owner}, actor_id) SELECT ${owner}, $1 FROM ${table} WHERE actor_id = $2 ON CONFLICT DO NOTHING`, [into, from]);
      await em.query(`DELETE FROM ${table} WHERE actor_id = $1`, [from]);
    }
    await em.query(`UPDATE source SET publisher_id = $1 WHERE publisher_id = $2`, [into, from]);
    await em.query(`UPDATE actor SET parent_id = $1 WHERE parent_id = $2 AND id <> $1`, [into, from]);

    // `into` was a part of `from`: it takes `from`'s place, unless that would make it part of itself.
    let parentId = kept.parentId;
    if (parentId === from) parentId = gone.parentId && !(await isPartOf(em, gone.parentId, into)) ? gone.parentId : null;
    const names = new Set([kept.name.toLowerCase()]);
    const aliases: string[] = [];
    for (const alias of [...kept.aliases, gone.name, ...gone.aliases]) {
      if (names.has(alias.toLowerCase())) continue;
      names.add(alias.toLowerCase());
      aliases.push(alias);
    }
    // The identifiers leave `from` first: each names one actor at a time.
    await em.query(`UPDATE actor SET external_ids = '[]' WHERE id = $1`, [from]);
    await em.query(`UPDATE actor SET aliases = $2, external_ids = $3, parent_id = $4, updated_at = now() WHERE id = $1`, [
      into,
      aliases,
      JSON.stringify([...kept.externalIds, ...gone.externalIds]),
      parentId,
    ]);
    await em.query(`UPDATE actor SET retracted_at = now(), retraction_reason = $2, superseded_by_id = $3, updated_at = now() WHERE id = $1`, [
      from,
      reason,
      into,
    ]);
  });
}
