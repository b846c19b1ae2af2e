import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, Int, ObjectType } from 'type-graphql';
import { trimmedText } from '../../common/checks';
import { Item, Node } from '../../common/columns';
import { Source } from '../source/source.entity';
import { Assertion } from '../assertion/assertion.entity';
import { ReportingVerb } from './reporting-verb';
// Relations to statements are named by string: the statement entities extend Assertion, which imports this file.
import { citedColumns, STATEMENT_KINDS, statementKinds } from '../../registry/statement-kinds';

@Entity()
@Check('citation_cites_one_statement', `num_nonnulls(${citedColumns.join(', ')}) = 1`)
@Check('citation_credibility_range', 'credibility BETWEEN 1 AND 6')
@Check('quote_not_blank', trimmedText('quote'))
@ObjectType({
  implements: [Node, Item],
  simpleResolvers: true,
  description: 'Ties one statement to one source: the reporting verb the source used, its words, and the credibility (1-6) of that information.',
})
export class Citation extends Item {
  @Index()
  @Column('uuid')
  sourceId: string;

  @Field(() => Source, { nullable: true, description: 'The source: a citation is shown only to readers of its source and its statement.' })
  @ManyToOne(() => Source, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source: Source;

  @Field(() => ReportingVerb, { description: 'How the source put it: states, assesses, reports, alleges, denies ...' })
  @Column({ type: 'enum', enum: ReportingVerb, enumName: 'reporting_verb' })
  verb: ReportingVerb;

  @Field({ description: "The source's own words." })
  @Column('text')
  quote: string;

  @Field(() => Int, {
    description:
      'Admiralty credibility of this information: 1 confirmed by other sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged.',
  })
  @Column('smallint')
  credibility: number;

  @Field(() => Assertion, { nullable: true, description: 'The statement this citation supports; null when above your clearance.' })
  statement: Assertion | null;
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
