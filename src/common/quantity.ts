import { Column } from 'typeorm';
import { Field, Float, ObjectType } from 'type-graphql';

/** A number as analysts state it: a range with a best estimate, or one exact count; never a bare string. */
@ObjectType({
  simpleResolvers: true,
  description:
    'A number as the source states it: "approximately 10,000 troops" is {best: 10000, unit: "troops"}; "12 vessels" is {best: 12, exact: true, unit: "vessels"}.',
})
export class Quantity {
  @Field(() => Float, { nullable: true, description: 'Lower bound, when the source gives one ("over 1.2 million").' })
  @Column('double precision', { nullable: true })
  low: number | null;

  @Field(() => Float, { nullable: true, description: 'Best estimate ("approximately 10,000").' })
  @Column('double precision', { nullable: true })
  best: number | null;

  @Field(() => Float, { nullable: true, description: 'Upper bound, when the source gives one.' })
  @Column('double precision', { nullable: true })
  high: number | null;

  @Field(() => String, { nullable: true, description: 'What is counted ("troops", "active-duty soldiers").' })
  @Column('text', { nullable: true })
  unit: string | null;

  @Field(() => String, { nullable: true, description: 'The words of the source ("approximately 10,000").' })
  @Column('text', { nullable: true })
  asStated: string | null;

  @Field(() => Boolean, { description: 'True when the source gives an exact count ("12 vessels"), not an estimate: it has one value, `best`.' })
  @Column('boolean', { default: false })
  exact: boolean;
}
