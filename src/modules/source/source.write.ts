import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { visibleCondition, type ItemTable } from '../../read/access';
import { STATEMENT_KINDS, statementKinds } from '../../registry/statement-kinds';
import { createItem, optionalText, referenceTo, requiredText, requireLive, updateItem } from '../item/item.write';
import type { Dependent } from '../item/retraction';
import type { SourceInput, SourcePatch } from './source.write-inputs';
import { Vocabulary } from '../vocabulary/vocabularies';
import type { TermCheck } from '../vocabulary/vocabulary.service';

/** An http(s) address, or none. */
function urlOf(url: string | null | undefined): string | null {
  const trimmed = optionalText(url);
  if (!trimmed) return null;
  let parsed: URL | undefined;
  try {
    parsed = new URL(trimmed);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) throw badUserInput('input.url', 'an http or https address');
  return trimmed;
}

const kindTerm = (kind: string): TermCheck => ({ vocabulary: Vocabulary.SOURCE_KIND, term: kind, path: 'input.kind' });

const publisherRef = (publisher: string) => referenceTo('actor', 'Actor', publisher, 'input.publisher');

const relaysRef = (original: string) => referenceTo('source', 'Source', original, 'input.relays');

/**
 * What is wrong with a relay of `original` (by `relay`, when a source), if anything: a relay names the original itself,
 * so the source it names relays no other, and a source that others relay is an original, so it relays none. Only
 * links `visible` lets the writer see are looked at (a hidden one is not told of).
 */
export async function relayProblem(
  em: Pick<EntityManager, 'query'>,
  visible: (alias: string, table: ItemTable) => string,
  original: string,
  relay: string | null,
): Promise<string | undefined> {
  const [row]: Array<{ relaying: boolean; relayed: boolean }> = await em.query(
    `SELECT EXISTS (SELECT 1 FROM source o JOIN source n ON n.id = o.relays_id AND ${visible('n', 'source')} WHERE o.id = $1) AS relaying,
       EXISTS (SELECT 1 FROM source r WHERE r.relays_id = $2 AND ${visible('r', 'source')})
       OR EXISTS (SELECT 1 FROM citation c WHERE c.relayed_from_id = $2 AND ${visible('c', 'citation')}) AS relayed`,
    [original, relay],
  );
  if (row.relaying) return 'that source relays another: name the original it relays';
  if (row.relayed) return 'other reporting relays this source: an original relays no other';
  return undefined;
}

/** `relayProblem` for a write through the API: BAD_USER_INPUT at `path`. */
export async function checkRelay(em: EntityManager, viewer: Viewer, original: string, path: string, relay?: string): Promise<void> {
  if (relay === original) throw badUserInput(path, 'a source does not relay itself');
  const problem = await relayProblem(em, (alias, table) => visibleCondition(viewer, alias, table), original, relay ?? null);
  if (problem) throw badUserInput(path, problem);
}

export function createSource(dataSource: DataSource, viewer: Viewer, input: SourceInput): Promise<string> {
  const publisher = input.publisher ? publisherRef(input.publisher) : null;
  const relays = input.relays ? relaysRef(input.relays) : null;
  return createItem(dataSource, viewer, {
    table: 'source',
    columns: {
      name: requiredText(input.name, 'input.name', 'a name'),
      kind: input.kind,
      reliability: input.reliability,
      publisher_id: publisher?.id ?? null,
      relays_id: relays?.id ?? null,
      url: urlOf(input.url),
      published_on: input.publishedOn ?? null,
      description: optionalText(input.description),
    },
    marking: input.marking,
    audience: input.audience,
    references: [publisher, relays].filter((r) => r !== null),
    terms: [kindTerm(input.kind)],
    before: async (em) => {
      if (relays) await checkRelay(em, viewer, relays.id, relays.path);
    },
  });
}

export function updateSource(dataSource: DataSource, viewer: Viewer, globalId: string, patch: SourcePatch, version?: number | null) {
  const columns: Record<string, unknown> = {};
  if (patch.name != null) columns.name = requiredText(patch.name, 'input.name', 'a name');
  if (patch.kind != null) columns.kind = patch.kind;
  if (patch.reliability != null) columns.reliability = patch.reliability;
  if (patch.url !== undefined) columns.url = urlOf(patch.url);
  if (patch.publishedOn !== undefined) columns.published_on = patch.publishedOn;
  if (patch.description !== undefined) columns.description = optionalText(patch.description);
  const publisher = patch.publisher ? publisherRef(patch.publisher) : null;
  const relays = patch.relays ? relaysRef(patch.relays) : null;
  return updateItem(
    dataSource,
    viewer,
    { table: 'source', typeName: 'Source', globalId },
    {
      columns,
      access: patch,
      version,
      terms: patch.kind != null ? [kindTerm(patch.kind)] : [],
      resolve: async (em, id) => {
        const columns: Record<string, unknown> = {};
        if (patch.publisher !== undefined) {
          if (publisher) await requireLive(em, viewer, [publisher]);
          columns.publisher_id = publisher?.id ?? null;
        }
        if (patch.relays !== undefined) {
          if (relays) {
            await requireLive(em, viewer, [relays]);
            await checkRelay(em, viewer, relays.id, relays.path, id);
          }
          columns.relays_id = relays?.id ?? null;
        }
        return columns;
      },
    },
  );
}

/** Whether the statement a citation `x` supports stands. */
const statementStands = (x: string) =>
  statementKinds
    .map((kind) => {
      const { table, cited } = STATEMENT_KINDS[kind];
      return `(${x}.${cited} IS NULL OR EXISTS (SELECT 1 FROM ${table} s WHERE s.id = ${x}.${cited} AND s.retracted_at IS NULL))`;
    })
    .join(' AND ');

/** Citations, for statements that stand, of a source: while any stands, the source is not retracted. */
export const sourceDependents: Dependent[] = [{ plural: 'citations', table: 'citation', refersTo: (x) => `${x}.source_id = $1 AND ${statementStands(x)}` }];
