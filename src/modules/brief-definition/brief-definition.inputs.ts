import { Field, InputType } from 'type-graphql';
import { BriefInput } from '../brief/brief.inputs';
import { BriefFormat } from './brief-definition.entity';

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

  @Field(() => Boolean, { nullable: true, description: 'Deliver only changed content, or every run.' })
  onlyWhenChanged?: boolean | null;
}
