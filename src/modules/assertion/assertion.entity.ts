import { Column, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, Int, InterfaceType } from 'type-graphql';
import { Item, Node, typeNameOf } from '../../common/columns';
import { Topic } from '../topic/topic.entity';
import { Citation } from '../citation/citation.entity';
import { searchVectorColumn } from '../search/search-vector';

/** Columns and fields shared by every statement a brief can carry. Each kind has its own table. */
@InterfaceType('Assertion', {
  implements: [Node, Item],
  resolveType: typeNameOf,
  description: 'One statement a brief can carry (a capability, challenge, implication, event or actor relation), cited to its sources.',
})
export abstract class Assertion extends Item {
  @Index()
  @Column('uuid')
  topicId: string;

  @Field(() => Topic, { nullable: true, description: 'The topic this statement belongs to; null when above your clearance.' })
  @ManyToOne(() => Topic, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id' })
  topic: Topic;

  @Field(() => [Citation], {
    description: 'The sources behind this statement, best credibility first. Only citations you are cleared for appear.',
  })
  citations: Citation[];

  @Field(() => Int, { description: 'How many distinct sources (that you may see) cite this statement.' })
  sourceCount: number;

  /** For search only (see search-vector.ts). */
  @searchVectorColumn()
  searchEnglish?: string;
}
