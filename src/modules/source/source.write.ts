import type { DataSource } from 'typeorm';
import { badUserInput } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
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

export function createSource(dataSource: DataSource, viewer: Viewer, input: SourceInput): Promise<string> {
  const publisher = input.publisher ? publisherRef(input.publisher) : null;
  return createItem(dataSource, viewer, {
    table: 'source',
    columns: {
      name: requiredText(input.name, 'input.name', 'a name'),
      kind: input.kind,
      reliability: input.reliability,
      publisher_id: publisher?.id ?? null,
      url: urlOf(input.url),
      published_on: input.publishedOn ?? null,
      description: optionalText(input.description),
    },
    marking: input.marking,
    audience: input.audience,
    references: publisher ? [publisher] : [],
    terms: [kindTerm(input.kind)],
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
  return updateItem(
    dataSource,
    viewer,
    { table: 'source', typeName: 'Source', globalId },
    {
      columns,
      access: patch,
      version,
      terms: patch.kind != null ? [kindTerm(patch.kind)] : [],
      resolve: async (em) => {
        if (patch.publisher === undefined) return;
        if (publisher) await requireLive(em, viewer, [publisher]);
        return { publisher_id: publisher?.id ?? null };
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
