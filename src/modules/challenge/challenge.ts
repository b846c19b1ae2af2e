import { actorStatementKind } from '../assertion/actor-statement';
import { Vocabulary } from '../vocabulary/vocabularies';

export const challenge = actorStatementKind({
  kind: 'CHALLENGE',
  plural: 'challenges',
  categories: Vocabulary.CHALLENGE_CATEGORY,
  describe: {
    type: 'What holds an actor back ("few soldiers speak Russian").',
    category: 'What kind of obstacle.',
    actor: 'Who faces it',
    ofActor: 'challenges of this actor',
    list: 'Challenges, each a thing that holds an actor back; filtered and paginated.',
  },
});

export const Challenge = challenge.entity;
export type Challenge = InstanceType<typeof Challenge>;
