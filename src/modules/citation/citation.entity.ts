import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, Int, ObjectType } from 'type-graphql';
import { trimmedText, urlFormat } from '../../common/checks';
import { LocalDate } from '../../common/local-date';
import { Item, Node } from '../../common/columns';
import { Source } from '../source/source.entity';
import { Assertion } from '../assertion/assertion.entity';
import { ReportingVerb } from './reporting-verb';
// Relations to statements are named by string: the statement entities extend Assertion, which imports this file.
import { citedColumns, STATEMENT_KINDS, statementKinds } from '../../registry/statement-kinds';
import { searchVectorColumn, searchVectorIndex } from '../search/search-vector';
import { orderIndexes } from '../../db/order-index';

/** What a citation points at its source with: its words, or where in it to look. */
export const CITATION_POINTERS = ['quote', 'url', 'page', 'paragraph', 'accessed_on'];

@Entity()
@orderIndexes('citation', ['credibility', 'created_at', 'updated_at'])
@searchVectorIndex('citation')
@Check('citation_cites_one_statement', `num_nonnulls(${citedColumns.join(', ')}) = 1`)
@Check('citation_relays_another', 'relayed_from_id <> source_id')
@Check('citation_credibility_range', 'credibility BETWEEN 1 AND 6')
@Check('quote_not_blank', trimmedText('quote'))
@Check('page_not_blank', trimmedText('page'))
@Check('paragraph_not_blank', trimmedText('paragraph'))
@Check('citation_url_format', urlFormat('url'))
// A dataset or a chart has no words to quote, but a citation must still say where to look.
@Check('citation_points_somewhere', `num_nonnulls(${CITATION_POINTERS.join(', ')}) > 0`)
@ObjectType({
  implements: [Node, Item],
  simpleResolvers: true,
  description:
    'Ties one statement to one source: the reporting verb the source used, its words or where in it to look, and the credibility (1-6) of that information.',
})
export class Citation extends Item {
  @Index()
  @Column('uuid')
  sourceId: string;

  @Field(() => Source, { nullable: true, description: 'The source: a citation is shown only to readers of its source and its statement.' })
  @ManyToOne(() => Source, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source: Source;

  @Index()
  @Column('uuid', { nullable: true })
  relayedFromId: string | null;

  @Field(() => Source, {
    nullable: true,
    description:
      "The original source this citation's words pass on, when they are another's reporting (the source's own `relays` otherwise); null when they are the source's own, or when the original is above your clearance.",
  })
  @ManyToOne(() => Source, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'relayed_from_id' })
  relayedFrom: Source | null;

  @Field(() => ReportingVerb, { description: 'How the source put it: states, assesses, reports, alleges, denies ...' })
  @Column({ type: 'enum', enum: ReportingVerb, enumName: 'reporting_verb' })
  verb: ReportingVerb;

  @Field(() => String, { nullable: true, description: "The source's own words; null for a source without quotable text (a dataset, a chart)." })
  @Column('text', { nullable: true })
  quote: string | null;

  @Field(() => String, { nullable: true, description: 'Where exactly to read it, when it has its own address (a page of a site, a dataset query).' })
  @Column('text', { nullable: true })
  url: string | null;

  @Field(() => String, { nullable: true, description: 'The page (or pages, "12-14") of the source.' })
  @Column('text', { nullable: true })
  page: string | null;

  @Field(() => String, { nullable: true, description: 'The paragraph (or section, "3.2") of the source.' })
  @Column('text', { nullable: true })
  paragraph: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'The day the source was read, for one that changes (a web page, a dataset).' })
  @Column('date', { nullable: true })
  accessedOn: string | null;

  @Field(() => Int, {
    description:
      'Admiralty credibility of this information: 1 confirmed by other sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged.',
  })
  @Column('smallint')
  credibility: number;

  @Field(() => Assertion, { nullable: true, description: 'The statement this citation supports; null when above your clearance.' })
  statement: Assertion | null;

  /** For search only (see search-vector.ts). */
  @searchVectorColumn()
  searchEnglish?: string;
}

// One foreign key per statement kind (a citation dies with its statement): `capabilityId` and its relation, ...
for (const kind of statementKinds) {
  const { typeName, cited, citedProperty } = STATEMENT_KINDS[kind];
  const relation = citedProperty.replace(/Id$/, '');
  Index()(Citation.prototype, citedProperty);
  Column('uuid', { nullable: true })(Citation.prototype, citedProperty);
  ManyToOne(typeName, { onDelete: 'CASCADE' })(Citation.prototype, relation);
  JoinColumn({ name: cited })(Citation.prototype, relation);
}
