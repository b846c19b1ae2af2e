import type { EntityManager } from 'typeorm';
import { conflict } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { visibleCondition } from '../../read/access';
import { toGlobalId } from '../../read/global-id';
import { canonicalExternalId } from './external-id';

/** What identifies an actor: its names within its kind, and its identifiers in registers. */
export interface ActorIdentity {
  name: string;
  aliases?: string[] | null;
  kind: string;
  externalIds?: Array<{ scheme: string; value: string }> | null;
}

/** An existing actor that a new one would duplicate, and why. */
export interface ActorMatch {
  id: string;
  name: string;
  kind: string;
  retracted: boolean;
  /** What matched: `WIKIDATA Q423`, or the name or alias. */
  matched: string;
  by: 'externalId' | 'name';
}

/** Names compare trimmed and case-insensitively: "United States " is "united states". */
const normalised = (name: string) => name.trim().toLowerCase();

/**
 * The actor `candidate` would duplicate, among those `viewer` may see: first one holding any of its identifiers
 * (retracted or not: an identifier names one actor for good), then one of its kind standing under any of its names
 * or aliases. An actor the viewer may not see never matches, so nothing about it is told; its identifiers are held
 * all the same, by the table's key (a second holder is CONFLICT without a name). `excluding` leaves one actor out
 * (the one being changed).
 */
export async function findMatchingActor(em: EntityManager, viewer: Viewer, candidate: ActorIdentity, excluding?: string): Promise<ActorMatch | null> {
  const ids = (candidate.externalIds ?? []).map(canonicalExternalId);
  if (ids.length) {
    const [byId]: ActorMatch[] = await em.query(
      `SELECT a.id, a.name, a.kind::text AS kind, a.retracted_at IS NOT NULL AS retracted, x.scheme || ' ' || x.value AS matched, 'externalId' AS by
       FROM actor_external_id x JOIN actor a ON a.id = x.actor_id
       WHERE (x.scheme, x.value) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND ($3::uuid IS NULL OR a.id <> $3)
         AND ${visibleCondition(viewer, 'a', 'actor')}
       ORDER BY a.retracted_at IS NOT NULL, a.name, a.id LIMIT 1`,
      [ids.map((i) => i.scheme), ids.map((i) => i.value), excluding ?? null],
    );
    if (byId) return byId;
  }
  const names = [...new Set([candidate.name, ...(candidate.aliases ?? [])].map(normalised).filter(Boolean))];
  const [byName]: ActorMatch[] = await em.query(
    `SELECT a.id, a.name, a.kind::text AS kind, false AS retracted, n AS matched, 'name' AS by
     FROM actor a CROSS JOIN LATERAL unnest(a.name || a.aliases) n
     WHERE a.kind::text = $1 AND a.retracted_at IS NULL AND lower(btrim(n)) = ANY($2::text[]) AND ($3::uuid IS NULL OR a.id <> $3)
       AND ${visibleCondition(viewer, 'a', 'actor')}
     ORDER BY a.name, a.id, n LIMIT 1`,
    [String(candidate.kind), names, excluding ?? null],
  );
  return byName ?? null;
}

/**
 * Holds the names of `candidate` within its kind until the transaction ends, so that two writers recording the same
 * actor at once are told of each other instead of both finding no match (identifiers are held by their table's key).
 */
export const lockIdentity = (em: EntityManager, candidate: ActorIdentity) => lockIdentities(em, [candidate]);

/** `lockIdentity` for several actors at once (an import's), all in one order. */
export async function lockIdentities(em: EntityManager, candidates: ActorIdentity[]): Promise<void> {
  const names = candidates.flatMap((c) => [c.name, ...(c.aliases ?? [])].map((n) => `actor ${String(c.kind)} ${normalised(n)}`));
  if (!names.length) return;
  // In one order, so that two writers never hold one name each while waiting for the other's.
  await em.query(`SELECT pg_advisory_xact_lock(hashtext(n)) FROM (SELECT DISTINCT unnest($1::text[]) AS n ORDER BY n) names`, [names]);
}

/** CONFLICT naming the actor an identity already belongs to, so the writer can reuse or merge it. */
export function identityTaken(match: ActorMatch, advice: string) {
  const id = toGlobalId('Actor', match.id);
  const by = match.by === 'externalId' ? `holds ${match.matched}` : `is a ${match.kind} named "${match.matched}"`;
  return conflict(`${match.retracted ? 'retracted ' : ''}Actor "${match.name}" (${id}) ${by}: ${advice}`, { match: { id, name: match.name } });
}
