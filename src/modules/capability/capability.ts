import { actorStatementKind } from '../assertion/actor-statement';
import { Vocabulary } from '../vocabulary/vocabularies';

export const capability = actorStatementKind({
  kind: 'CAPABILITY',
  plural: 'capabilities',
  categories: Vocabulary.CAPABILITY_CATEGORY,
  describe: {
    type: 'What an actor can do or has ("1.2 million active-duty soldiers", "trained in guerrilla tactics").',
    category: 'What kind of capability.',
    actor: 'Whose capability',
    ofActor: 'capabilities of this actor',
    list: 'Capabilities, each a thing an actor can do or has; filtered and paginated.',
  },
});

export const Capability = capability.entity;
export type Capability = InstanceType<typeof Capability>;
