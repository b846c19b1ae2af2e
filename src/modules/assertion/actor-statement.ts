import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { QUANTITY_EXACT_ONE_VALUE, QUANTITY_HAS_VALUE, QUANTITY_ORDERED, trimmedText } from '../../common/checks';
import { Item, Node } from '../../common/columns';
import { Quantity } from '../../common/quantity';
import { QuantityInput } from '../../common/quantity.inputs';
import { sql } from '../../read/fragment';
import { oneOf, visibleRef } from '../../read/filters';
import { byParentKey, byTerm, byTimestamps, one, TypeSpec } from '../../read/model';
import { quantityField } from '../../read/quantity';
import type { ItemWrites } from '../../registry/item-mutations';
import { STATEMENT_KINDS } from '../../registry/statement-kinds';
import { orderIndexes } from '../../db/order-index';
import { Actor } from '../actor/actor.entity';
import { Assertion } from '../assertion/assertion.entity';
import { ofVocabulary, type VocabularyName } from '../vocabulary/vocabularies';
import { AssertionFilter } from './assertion.inputs';
import { assertionConditions, assertionFields } from './assertion.read';
import { createActorStatement, deleteActorStatement, updateActorStatement } from './actor-statement.write';
import { NewStatementFields, StatementAccessPatch } from './statement.write-inputs';

/** What differs between kinds of statement about one actor in a category (capabilities, challenges). */
export interface ActorStatementKind {
  kind: 'CAPABILITY' | 'CHALLENGE';
  plural: string;
  /** The vocabulary its categories are terms of. */
  categories: VocabularyName;
  describe: {
    type: string;
    category: string;
    actor: string;
    /** "capabilities of this actor". */
    ofActor: string;
    /** The root list field. */
    list: string;
  };
}

/**
 * One kind of statement about one actor, with a category, a sentence and perhaps a number: its entity and object
 * type, filter, write inputs, registry declaration and mutations, all from one description.
 */
export function actorStatementKind(k: ActorStatementKind) {
  const { typeName, table, cited } = STATEMENT_KINDS[k.kind];
  const noun = typeName.toLowerCase();

  @Entity(table)
  @orderIndexes(table, ['category', 'created_at', 'updated_at'])
  @Check('statement_not_blank', trimmedText('statement'))
  @Check('quantity_ordered', QUANTITY_ORDERED)
  @Check('quantity_has_value', QUANTITY_HAS_VALUE)
  @Check('quantity_exact_one_value', QUANTITY_EXACT_ONE_VALUE)
  @ObjectType(typeName, { implements: [Node, Item, Assertion], simpleResolvers: true, description: k.describe.type })
  class Statement extends Assertion {
    @Index()
    @Column('uuid')
    actorId: string;

    @Field(() => Actor, { nullable: true, description: `${k.describe.actor}; null when the actor is above your clearance.` })
    @ManyToOne(() => Actor, { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'actor_id' })
    actor: Actor;

    @Field(() => String, { description: ofVocabulary(k.categories, k.describe.category) })
    @Column('text')
    category: string;

    @Field({ description: `The ${noun} in one plain sentence.` })
    @Column('text')
    statement: string;

    @Field(() => Quantity, { nullable: true, description: 'The number behind it, as a range or an exact count, when there is one.' })
    @Column(() => Quantity)
    quantity: Quantity;
  }
  Object.defineProperty(Statement, 'name', { value: typeName });

  @InputType(`${typeName}Filter`, { description: `Narrows a list of ${k.plural}; all conditions must hold.` })
  class Filter extends AssertionFilter {
    @Field(() => ID, { nullable: true, description: `Only ${k.describe.ofActor}.` })
    actor?: string | null;

    @Field(() => [String], { nullable: true, description: ofVocabulary(k.categories, 'Only these categories.') })
    categories?: string[] | null;
  }

  @InputType(`${typeName}Input`, { description: `A new ${noun} and the sources behind it.` })
  class Input extends NewStatementFields {
    @Field(() => ID, { description: `Whose ${noun} (an Actor id).` })
    actor: string;

    @Field(() => String, { description: ofVocabulary(k.categories, k.describe.category) })
    category: string;

    @Field({ description: `The ${noun} in one plain sentence.` })
    statement: string;

    @Field(() => QuantityInput, { nullable: true, description: 'The number behind it, as a range or an exact count.' })
    quantity?: QuantityInput | null;
  }

  @InputType(`${typeName}Patch`, { description: `Changes to a ${noun}: fields not given stay as they are.` })
  class Patch extends StatementAccessPatch {
    @Field(() => ID, { nullable: true, description: `Another actor whose ${noun} it is (one you may see).` })
    actor?: string | null;

    @Field(() => String, { nullable: true, description: ofVocabulary(k.categories, 'New category.') })
    category?: string | null;

    @Field(() => String, { nullable: true, description: 'New statement.' })
    statement?: string | null;

    @Field(() => QuantityInput, { nullable: true, description: 'New number (null removes it).' })
    quantity?: QuantityInput | null;
  }

  const target = { table, typeName, vocabulary: k.categories } as const;
  const writes: ItemWrites = {
    name: typeName,
    noun,
    input: Input,
    patch: Patch,
    create: (dataSource, viewer, input) => createActorStatement(dataSource, viewer, target, input as Input),
    update: (dataSource, viewer, id, patch, version) => updateActorStatement(dataSource, viewer, target, id, patch, version),
    remove: (dataSource, viewer, id) => deleteActorStatement(dataSource, viewer, target, id),
  };
  const type: TypeSpec<Filter> = {
    typeName,
    plural: k.plural,
    table,
    entity: Statement,
    fields: { ...assertionFields(cited), actor: one('Actor', byParentKey('actor_id')), quantity: quantityField },
    filter: {
      input: Filter,
      conditions: (f, a, q) => [
        ...assertionConditions(f, a, q, cited),
        ...(f.actor ? [sql`${a}.actor_id = ${visibleRef(q, 'actor', f.actor, 'filter.actor', 'Actor')}`] : []),
        ...oneOf(a, 'category', f.categories, 'text'),
      ],
    },
    orderFields: { CATEGORY: byTerm('category', k.categories), ...byTimestamps },
    defaultOrder: { field: 'CATEGORY', direction: 'ASC', description: 'by category' },
    root: { list: { name: k.plural, description: k.describe.list } },
    writes,
  };
  return { entity: Statement, type };
}
