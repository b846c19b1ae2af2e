import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput, conflict } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { STATEMENT_KINDS, statementKinds } from '../../registry/statement-kinds';
import { actorRef } from '../assertion/assertion.write';
import { createItem, requiredText, requireLive, updateItem, type Reference } from '../item/item.write';
import type { Dependent } from '../item/retraction';
import type { TopicInput, TopicPatch } from './topic.write-inputs';

// Slugs are the fixture keys: lowercase kebab-case (the table's check says the same).
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function slugOf(slug: string): string {
  const trimmed = slug.trim();
  if (!SLUG.test(trimmed)) throw badUserInput('input.slug', 'a slug is lowercase kebab-case, such as "red-sea-shipping"');
  // As a key of the import format; a longer one would not fit the slug's index.
  if (trimmed.length > 100) throw badUserInput('input.slug', 'a slug has at most 100 characters');
  return trimmed;
}

/** A slug names one topic: taken is CONFLICT, without telling which topic (the writer may not see it). */
async function slugFree(em: EntityManager, slug: string, self: string | null = null) {
  const [taken] = await em.query<unknown[]>(`SELECT 1 FROM topic WHERE slug = $1 AND ($2::uuid IS NULL OR id <> $2)`, [slug, self]);
  if (taken) throw conflict(`the slug "${slug}" is taken: choose another`);
}

const actorRefs = (ids: string[] | null | undefined, path: string): Reference[] => (ids ?? []).map((id, i) => actorRef(id, `${path}[${i}]`));

export function createTopic(dataSource: DataSource, viewer: Viewer, input: TopicInput): Promise<string> {
  const slug = slugOf(input.slug);
  if (input.startsOn && input.endsOn && input.startsOn > input.endsOn) throw badUserInput('input.endsOn', 'a topic cannot end before it begins');
  const actors = actorRefs(input.actors, 'input.actors');
  return createItem(dataSource, viewer, {
    table: 'topic',
    columns: {
      slug,
      title: requiredText(input.title, 'input.title', 'a title'),
      summary: requiredText(input.summary, 'input.summary', 'a summary'),
      starts_on: input.startsOn ?? null,
      ends_on: input.endsOn ?? null,
    },
    marking: input.marking,
    audience: input.audience,
    references: actors,
    before: (em) => slugFree(em, slug),
    after: async (em, id) => {
      await em.query(`INSERT INTO topic_actor (topic_id, actor_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [id, actors.map((a) => a.id)]);
    },
  });
}

export function updateTopic(dataSource: DataSource, viewer: Viewer, globalId: string, patch: TopicPatch, version?: number | null) {
  const columns: Record<string, unknown> = {};
  const slug = patch.slug != null ? slugOf(patch.slug) : null;
  if (slug) columns.slug = slug;
  if (patch.title != null) columns.title = requiredText(patch.title, 'input.title', 'a title');
  if (patch.summary != null) columns.summary = requiredText(patch.summary, 'input.summary', 'a summary');
  if (patch.startsOn !== undefined) columns.starts_on = patch.startsOn;
  if (patch.endsOn !== undefined) columns.ends_on = patch.endsOn;
  const added = actorRefs(patch.addActors, 'input.addActors');
  const removed = actorRefs(patch.removeActors, 'input.removeActors');
  return updateItem(
    dataSource,
    viewer,
    { table: 'topic', typeName: 'Topic', globalId },
    {
      columns,
      access: patch,
      version,
      resolve: async (em, id) => {
        if (slug) await slugFree(em, slug, id);
      },
      links: async (em, id) => {
        await requireLive(em, viewer, added);
        // Taking an actor out needs only that the writer may see it, retracted or not.
        await requireLive(em, viewer, removed, true);
        const inserted = await em.query<unknown[]>(
          `INSERT INTO topic_actor (topic_id, actor_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING 1`,
          [id, added.map((a) => a.id)],
        );
        const [, deleted] = await em.query<[unknown[], number]>(`DELETE FROM topic_actor WHERE topic_id = $1 AND actor_id = ANY($2::uuid[])`, [
          id,
          removed.map((r) => r.id),
        ]);
        return inserted.length > 0 || deleted > 0;
      },
    },
  );
}

/** The statements of a topic: while any stands, the topic is not retracted. */
export const topicDependents: Dependent[] = statementKinds.map((kind) => ({
  plural: `${STATEMENT_KINDS[kind].fixture}`,
  table: STATEMENT_KINDS[kind].table,
  refersTo: (x: string) => `${x}.topic_id = $1`,
}));
