import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../common/columns';
import { PageInfo } from '../../common/pagination';

export enum SearchType {
  CAPABILITY = 'CAPABILITY',
  CHALLENGE = 'CHALLENGE',
  IMPLICATION = 'IMPLICATION',
  EVENT = 'EVENT',
  RELATION = 'RELATION',
  TOPIC = 'TOPIC',
  ACTOR = 'ACTOR',
  LOCATION = 'LOCATION',
  SOURCE = 'SOURCE',
  CITATION = 'CITATION',
}
registerEnumType(SearchType, {
  name: 'SearchType',
  description: 'What search may find: the five kinds of statement, topics, actors, places, sources and quotes.',
});

@InputType({ description: 'Narrows a search.' })
export class SearchFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Only what belongs to the topic with this slug (actors taking part, places of its events, sources cited in it).',
  })
  topic?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Retracted items too.' })
  includeRetracted?: boolean | null;
}

@ObjectType({ description: 'A highlighted part of a snippet: UTF-16 offsets into its text, as JavaScript strings count.' })
export class Highlight {
  @Field(() => Int, { description: 'Where the highlighted words start in `text`.' })
  start: number;

  @Field(() => Int, { description: 'How many UTF-16 code units are highlighted.' })
  length: number;
}

@ObjectType({ description: 'An excerpt of the matched field, plain text (never markup), with the matching words as ranges.' })
export class Snippet {
  @Field({ description: 'The excerpt, as plain text.' })
  text: string;

  @Field(() => [Highlight], { description: 'The matching words, in order.' })
  highlights: Highlight[];
}

@ObjectType({ description: 'One item found by `search`.' })
export class SearchHit {
  @Field(() => Node, { description: 'The item found: select its fields with fragments (`... on Capability { statement }`).' })
  item: Node;

  @Field(() => SearchType, { description: 'What kind of item this is.' })
  type: SearchType;

  @Field(() => Float, { description: 'Relevance, higher first: full-text rank, and name similarity for misspelt names.' })
  rank: number;

  @Field({ description: 'The field that matched: statement, title, description, summary, name, aliases or quote.' })
  matchedField: string;

  @Field(() => Snippet, { description: 'An excerpt of the matched field with the matching words highlighted.' })
  snippet: Snippet;

  @Field({ description: 'Opaque position of this hit: pass it as `after` to read on from here.' })
  cursor: string;
}

@ObjectType({ description: 'How many hits there are, counted up to a limit: exact below it, a lower bound at it.' })
export class CountAtLeast {
  @Field(() => Int, { description: 'The number of hits when `exact`; otherwise the limit, and more match.' })
  count: number;

  @Field({ description: 'True when `count` is the number of hits; false when more than `count` match.' })
  exact: boolean;
}

@ObjectType({ description: 'A page of search hits, best first.' })
export class SearchResultConnection {
  @Field(() => [SearchHit], { description: 'The hits of this page, best first.' })
  nodes: SearchHit[];

  @Field(() => PageInfo, { description: 'Where this page sits: pass `endCursor` as `after` for the next.' })
  pageInfo: PageInfo;

  @Field(() => Int, {
    description:
      'How many hits in all, counting only what you may read. Exact, and counted only when selected: on a term that matches ' +
      'a large share of all items it reads every match, so leave it out where it is not shown, or ask for `totalCountAtLeast`.',
  })
  totalCount: number;

  @Field(() => CountAtLeast, {
    description:
      'How many hits, counted only up to the `countLimit` argument of `search` (only what you may read): `exact` tells ' +
      'whether `count` is the number of hits or only a lower bound. Cheap whatever the query; show "1000+" when not exact.',
  })
  totalCountAtLeast: CountAtLeast;
}
