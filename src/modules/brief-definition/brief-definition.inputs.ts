import { Field, InputType, Int } from 'type-graphql';
import { BriefInput } from '../brief/brief.inputs';
import { BriefFormat, MAX_KEEP_DAYS, MAX_KEEP_RUNS } from './brief-definition.entity';

const KEEP_RUNS = `Retention: after each run, delete runs beyond the newest this many (1 to ${MAX_KEEP_RUNS}); null keeps them all.`;
const KEEP_DAYS = `Retention: after each run, delete runs scheduled more than this many days ago (1 to ${MAX_KEEP_DAYS}); null keeps them all.`;

@InputType({ description: 'A brief to save and run on a schedule.' })
export class BriefDefinitionInput {
  @Field({ description: 'Name, unique among your definitions.' })
  name: string;

  @Field(() => BriefInput, { description: 'What each run composes; checked now as `brief` would check it.' })
  brief: BriefInput;

  @Field({ description: 'Cron expression: 5 fields (minute hour day month weekday), or @hourly, @daily, @weekly, @monthly, @yearly.' })
  cron: string;

  @Field(() => String, { nullable: true, description: 'IANA time zone the cron expression is read in; UTC by default.' })
  timeZone?: string | null;

  @Field(() => [BriefFormat], { nullable: true, description: 'Renderings to keep; Markdown by default.' })
  formats?: BriefFormat[] | null;

  @Field(() => Int, { nullable: true, description: KEEP_RUNS })
  keepRuns?: number | null;

  @Field(() => Int, { nullable: true, description: KEEP_DAYS })
  keepDays?: number | null;
  @Field(() => Boolean, { nullable: true, description: 'Deliver a run only when its content changed for the target; false by default.' })
  onlyWhenChanged?: boolean | null;
}

@InputType({ description: 'Changes to a brief definition: fields not given stay as they are.' })
export class BriefDefinitionPatch {
  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => BriefInput, { nullable: true, description: 'New brief input, replacing the old one whole.' })
  brief?: BriefInput | null;

  @Field(() => String, { nullable: true, description: 'New cron expression.' })
  cron?: string | null;

  @Field(() => String, { nullable: true, description: 'New time zone.' })
  timeZone?: string | null;

  @Field(() => [BriefFormat], { nullable: true, description: 'New renderings to keep.' })
  formats?: BriefFormat[] | null;

  @Field(() => Int, { nullable: true, description: `${KEEP_RUNS} Not given: unchanged.` })
  keepRuns?: number | null;

  @Field(() => Int, { nullable: true, description: `${KEEP_DAYS} Not given: unchanged.` })
  keepDays?: number | null;
  @Field(() => Boolean, { nullable: true, description: 'Deliver only changed content, or every run.' })
  onlyWhenChanged?: boolean | null;
}
