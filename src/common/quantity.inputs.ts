import { Field, Float, InputType } from 'type-graphql';
import { badUserInput } from './errors';

@InputType({
  description: 'A number as a range (at least one of low, best, high, with low <= best <= high), or an exact count (`exact` with `best`).',
})
export class QuantityInput {
  @Field(() => Float, { nullable: true, description: 'Lower bound.' })
  low?: number | null;

  @Field(() => Float, { nullable: true, description: 'Best estimate; for an exact count, the count.' })
  best?: number | null;

  @Field(() => Float, { nullable: true, description: 'Upper bound.' })
  high?: number | null;

  @Field(() => String, { nullable: true, description: 'What is counted.' })
  unit?: string | null;

  @Field(() => String, { nullable: true, description: 'The words of the source.' })
  asStated?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True when the source gives an exact count ("12 vessels"): then `best` is the count, and low and high are absent or equal to it.',
  })
  exact?: boolean | null;
}

/** The quantity_* columns of a checked quantity (all null, and not exact, without one). */
export function quantityColumns(q: QuantityInput | null | undefined, path: string): Record<string, unknown> {
  const { low = null, best = null, high = null, unit = null, asStated = null, exact = null } = q ?? {};
  if (q && low === null && best === null && high === null) throw badUserInput(path, 'needs at least one of low, best, high');
  if ((low ?? -Infinity) > (best ?? high ?? Infinity) || (best ?? -Infinity) > (high ?? Infinity)) {
    throw badUserInput(path, 'must satisfy low <= best <= high');
  }
  if (exact && (best === null || (low ?? best) !== best || (high ?? best) !== best)) {
    throw badUserInput(`${path}.exact`, 'an exact quantity has one value: give it as best (low and high absent or equal to it)');
  }
  return {
    quantity_low: low,
    quantity_best: best,
    quantity_high: high,
    quantity_unit: unit,
    quantity_as_stated: asStated,
    quantity_exact: exact === true,
  };
}
