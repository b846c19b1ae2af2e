import { actorStatementKind } from '../assertion/actor-statement';

export enum ChallengeCategory {
  LANGUAGE = 'LANGUAGE',
  INTEROPERABILITY = 'INTEROPERABILITY',
  EQUIPMENT_FAMILIARITY = 'EQUIPMENT_FAMILIARITY',
  TRAINING = 'TRAINING',
  COMMAND_AND_CONTROL = 'COMMAND_AND_CONTROL',
  LOGISTICS = 'LOGISTICS',
  EXPERIENCE = 'EXPERIENCE',
  ECONOMIC = 'ECONOMIC',
  DIPLOMATIC = 'DIPLOMATIC',
  MORALE = 'MORALE',
}

export const challenge = actorStatementKind({
  kind: 'CHALLENGE',
  plural: 'challenges',
  categories: ChallengeCategory,
  categoryType: 'challenge_category',
  describe: {
    type: 'What holds an actor back ("few soldiers speak Russian").',
    categories: 'What kind of obstacle: language, interoperability, equipment familiarity, command and control ...',
    category: 'What kind of obstacle.',
    actor: 'Who faces it',
    ofActor: 'challenges of this actor',
    list: 'Challenges, each a thing that holds an actor back; filtered and paginated.',
  },
});

export const Challenge = challenge.entity;
export type Challenge = InstanceType<typeof Challenge>;
