import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import { Arg, Args, Ctx, Info, Int, Query, Resolver } from 'type-graphql';
import { PageArgs, pageWindow } from '../../common/pagination';
import { badUserInput } from '../../common/errors';
import { UUID } from '../../read/global-id';
import { asksFor, byResponseKey } from '../../read/response-shape';
import type { Context } from '../../server/context';
import { parseQuery } from './search.query';
import { SEARCH_CANDIDATES, searchSql, START, STOP, type SearchPosition } from './search.sql';
import { SearchFilter, SearchResultConnection, SearchType, type Snippet } from './search.types';

const TYPES = Object.values(SearchType);
const DEFAULT_COUNT_LIMIT = 1000;
const MAX_COUNT_LIMIT = 100000;

const encodeCursor = (rank: number, type: string, id: string) => Buffer.from(JSON.stringify(['search', rank, type, id])).toString('base64');

function decodeCursor(cursor: string, argumentName: 'after' | 'before'): SearchPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (
    !Array.isArray(value) ||
    value.length !== 4 ||
    value[0] !== 'search' ||
    typeof value[1] !== 'number' ||
    !Number.isFinite(value[1]) ||
    !TYPES.includes(value[2] as SearchType) ||
    typeof value[3] !== 'string' ||
    !UUID.test(value[3])
  ) {
    throw badUserInput(argumentName, 'not a cursor returned by search');
  }
  return { rank: value[1], type: value[2] as SearchType, id: value[3] };
}

/** ts_headline's text with its private-use markers turned into ranges over the unmarked text. */
export function snippetOf(headline: string | null): Snippet {
  const highlights: Snippet['highlights'] = [];
  let text = '';
  let start = -1;
  for (const ch of headline ?? '') {
    if (ch === START) start = text.length;
    else if (ch === STOP) {
      if (start >= 0) highlights.push({ start, length: text.length - start });
      start = -1;
    } else text += ch;
  }
  return { text, highlights };
}

/** The `item` fields selected anywhere under `nodes { ... }`, so the compiled item carries all of them. */
function itemNodes(info: GraphQLResolveInfo): FieldNode[] {
  const found: FieldNode[] = [];
  const walk = (nodes: readonly FieldNode[], depth: number) => {
    for (const node of nodes) {
      for (const sel of node.selectionSet?.selections ?? []) {
        const inner = (list: readonly SelectionNode[]) => list.filter((x): x is FieldNode => x.kind === Kind.FIELD);
        const fields =
          sel.kind === Kind.FIELD
            ? [sel]
            : sel.kind === Kind.INLINE_FRAGMENT
              ? inner(sel.selectionSet.selections)
              : inner(info.fragments[sel.name.value]?.selectionSet.selections ?? []);
        for (const f of fields) {
          if (depth === 1 && f.name.value === 'item') found.push(f);
          else if (depth === 0 && f.name.value === 'nodes') walk([f], 1);
        }
      }
    }
  };
  walk(info.fieldNodes, 0);
  return found;
}

@Resolver()
export class SearchResolver {
  @Query(() => SearchResultConnection, {
    description:
      'Full-text search over statements, event titles and descriptions, topics, actor names and aliases, places, sources and quotes, across types, best first. ' +
      'Syntax: words (all required, stemmed in prose), "a phrase", `or`, `-word` to exclude, `word*` for a prefix; misspelt actor and place names still match. ' +
      'Only what you may read is searched, counted and quoted. ' +
      `Statements are ranked among their newest ${SEARCH_CANDIDATES} matches (by creation): when more match, older ones are counted (totalCount) but not listed; ` +
      'narrow the query, the types or the topic to reach them.',
  })
  async search(
    @Arg('query') query: string,
    @Arg('types', () => [SearchType], { nullable: true }) types: SearchType[] | null,
    @Arg('filter', () => SearchFilter, { nullable: true }) filter: SearchFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('countLimit', () => Int, {
      defaultValue: DEFAULT_COUNT_LIMIT,
      description: `How far totalCountAtLeast counts (1 to ${MAX_COUNT_LIMIT}).`,
    })
    countLimit: number,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const parsed = parseQuery(query);
    if (!Number.isInteger(countLimit) || countLimit < 1 || countLimit > MAX_COUNT_LIMIT) {
      throw badUserInput('countLimit', `give 1 to ${MAX_COUNT_LIMIT}`);
    }
    const window = pageWindow(page, ctx.reader.pageSize);
    const result = (await ctx.reader.read(info, (c) =>
      searchSql(c, {
        query: parsed,
        types: types ?? TYPES,
        topic: filter?.topic,
        includeRetracted: filter?.includeRetracted ?? false,
        first: window.size,
        backward: window.backward,
        after: window.after ? decodeCursor(window.after, 'after') : undefined,
        before: window.before ? decodeCursor(window.before, 'before') : undefined,
        count: asksFor(info, 'totalCount'),
        countLimit: asksFor(info, 'totalCountAtLeast') ? countLimit : undefined,
        itemNodes: itemNodes(info),
      }),
    )) as {
      totalCount: number | null;
      countAtLeast: number | null;
      farSide: boolean;
      hits: Array<{ type: string; id: string; rank: number; detail: { field: string; headline: string; item: unknown } | null }>;
    };
    const size = window.size;
    // Read from the cursor outward: a backward page is turned back into ranking order.
    const read = result.hits.slice(0, size);
    const hits = (window.backward ? read.reverse() : read).map((h) => ({
      item: h.detail?.item,
      type: h.type,
      rank: h.rank,
      matchedField: h.detail?.field,
      snippet: snippetOf(h.detail?.headline ?? null),
      cursor: encodeCursor(h.rank, h.type, h.id),
    }));
    return byResponseKey(info, {
      nodes: hits,
      totalCount: result.totalCount ?? 0,
      totalCountAtLeast: { count: Math.min(result.countAtLeast ?? 0, countLimit), exact: (result.countAtLeast ?? 0) <= countLimit },
      pageInfo: {
        hasNextPage: window.backward ? result.farSide : result.hits.length > size,
        hasPreviousPage: window.backward ? result.hits.length > size : result.farSide,
        startCursor: hits[0]?.cursor ?? null,
        endCursor: hits[hits.length - 1]?.cursor ?? null,
      },
    });
  }
}
