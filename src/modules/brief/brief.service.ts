import type { DataSource } from 'typeorm';
import { badUserInput } from '../../common/errors';
import { atClearance, type Viewer } from '../../common/viewer';
import { SqlBuilder } from '../../read/sql';
import { toGlobalId } from '../../read/global-id';
import { composeBrief } from './brief.compose';
import type { BriefInput } from './brief.inputs';
import { readBriefData, type BriefData } from './brief.read';
import { renderHtml } from './brief.html';
import { renderMarkdown, sha256 } from './brief.render';
import { briefScopeOf, type BriefScope, type SelectionScope } from './brief.scope';
import type { Brief } from './brief.types';

export interface ComposedBrief {
  scope: BriefScope;
  brief: Brief;
  /** The statements in scope, as read: the snapshot a scheduled run keeps to compute its delta. */
  data: BriefData;
}

/** Unknown and not-cleared look the same, so what a scope reads never reveals that a hidden topic or actor exists. */
export function refuseMissing(scope: SelectionScope, data: BriefData, path: string): void {
  const missingTopic = scope.topics.find((slug) => !data.topics.some((t) => t.slug === slug));
  if (missingTopic) throw badUserInput(`${path}.topics`, `no topic "${missingTopic}"`);
  const missingActor = scope.actors.find((id) => !data.actors.some((a) => a.id === id));
  if (missingActor) throw badUserInput(`${path}.actors`, `no actor ${toGlobalId('Actor', missingActor)}`);
}

/** Reads the data of a checked scope and composes the brief, as `reader` may see it at the scope's clearance. */
export async function composeForScope(dataSource: DataSource, reader: Viewer, scope: BriefScope, path = 'input'): Promise<ComposedBrief> {
  const sql = new SqlBuilder(atClearance(reader, scope.clearance), 0);
  const data = await readBriefData(dataSource, sql, scope);
  refuseMissing(scope, data, path);
  const composed = composeBrief(scope, data);
  const markdown = renderMarkdown(composed);
  const brief = { ...composed, markdown, contentHash: sha256(markdown) } as Brief;
  // Rendered when first read (a query selecting `html`, a run or delivery keeping it): most readers ask for markdown
  // or the sections, and the HTML rendering costs about as much as composing the brief.
  let html: string | undefined;
  Object.defineProperty(brief, 'html', { enumerable: true, get: () => (html ??= renderHtml(composed)) });
  return { scope, brief, data };
}

/** Composes the brief `input` asks for, for `viewer`: bad input is BAD_USER_INPUT naming the field. */
export function composeFor(dataSource: DataSource, viewer: Viewer, input: BriefInput): Promise<ComposedBrief> {
  return composeForScope(dataSource, viewer, briefScopeOf(input, viewer));
}
