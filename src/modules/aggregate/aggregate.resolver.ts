import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import type { StatementKind } from '../../registry/statement-kinds';
import type { Context } from '../../server/context';
import { AggregateFilter, Bucket, DistributionField, Interval, StatementKindEnum, TimeBucket, TimeField } from './aggregate.types';
import { distribution } from './distribution';
import { MAX_BUCKETS, timeSeries } from './time-series';

const kindsArg = () =>
  Arg('kinds', () => [StatementKindEnum], { nullable: true, description: 'Only these kinds of statement; every kind that has the field when left out.' });
const filterArg = () => Arg('filter', () => AggregateFilter, { nullable: true });

// Dashboards: counts of what the reader may see, each one SQL statement through the same access seam as lists.
@Resolver()
export class AggregateResolver {
  @Query(() => [Bucket], {
    description:
      'How many statements you may see (retracted ones left out) share each value of a field, most first: across every kind that has the field, or the kinds named. Items you may not see are never counted, and an actor, topic, source or publisher you may not see has no bucket.',
  })
  distribution(
    @Arg('of', () => DistributionField) of: DistributionField,
    @kindsArg() kinds: StatementKind[] | null,
    @filterArg() filter: AggregateFilter | null,
    @Arg('top', () => Int, { nullable: true, description: 'Only the buckets counted most, at most this many (1 to 1000); every bucket when left out.' })
    top: number | null,
    @Ctx() ctx: Context,
  ): Promise<Bucket[]> {
    return distribution(ctx.dataSource, ctx.viewer, of, kinds, filter, top);
  }

  @Query(() => [TimeBucket], {
    description: `How many items you may see fall in each period from the one holding \`from\` to the one holding \`to\`, empty periods included (at most ${MAX_BUCKETS}).`,
  })
  timeSeries(
    @Arg('of', () => TimeField) of: TimeField,
    @Arg('interval', () => Interval) interval: Interval,
    @Arg('from', () => LocalDate) from: string,
    @Arg('to', () => LocalDate) to: string,
    @kindsArg() kinds: StatementKind[] | null,
    @filterArg() filter: AggregateFilter | null,
    @Ctx() ctx: Context,
  ): Promise<TimeBucket[]> {
    return timeSeries(ctx.dataSource, ctx.viewer, { of, interval, from, to, kinds, filter });
  }
}
