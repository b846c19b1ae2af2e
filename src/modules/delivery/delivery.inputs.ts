import { Field, InputType, ObjectType } from 'type-graphql';
import { Marking } from '../../common/marking';
import { DeliveryTarget } from './delivery.entity';

@InputType({ description: 'A webhook to deliver a definition’s runs to.' })
export class WebhookDeliveryInput {
  @Field({ description: 'The receiver’s https:// URL. It must resolve to a public address (unless WEBHOOK_ALLOW_PRIVATE).' })
  url: string;

  @Field(() => Marking, {
    description: 'The highest marking it may carry: CLEAR, GREEN or AMBER, at most the definition’s. Runs are composed again for it.',
  })
  clearance: Marking;
}

@InputType({ description: 'E-mail recipients to deliver a definition’s runs to.' })
export class EmailDeliveryInput {
  @Field(() => [String], { description: 'Plain addresses (name@example.org), 1 to 20.' })
  recipients: string[];

  @Field(() => Marking, { description: 'The highest marking it may carry: CLEAR, GREEN or AMBER, at most the definition’s.' })
  clearance: Marking;
}

@ObjectType({ description: 'A webhook target with its signing secret: shown here once, and never again.' })
export class WebhookWithSecret {
  @Field(() => DeliveryTarget, { description: 'The webhook target.' })
  target: DeliveryTarget;

  @Field({ description: 'The key of the HMAC-SHA256 signature in `Dossier-Signature`. Keep it: it cannot be read again, only rotated.' })
  secret: string;
}
