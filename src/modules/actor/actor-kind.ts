import { registerEnumType } from 'type-graphql';

export enum ActorKind {
  STATE = 'STATE',
  ARMED_FORCE = 'ARMED_FORCE',
  MILITARY_UNIT = 'MILITARY_UNIT',
  GOVERNMENT_BODY = 'GOVERNMENT_BODY',
  ALLIANCE = 'ALLIANCE',
  ORGANISATION = 'ORGANISATION',
  PERSON = 'PERSON',
  MEDIA = 'MEDIA',
}

registerEnumType(ActorKind, {
  name: 'ActorKind',
  description: 'What sort of actor this is.',
  valuesConfig: {
    STATE: { description: 'A sovereign state.' },
    ARMED_FORCE: { description: "A state's armed forces or one of its services." },
    MILITARY_UNIT: { description: 'A formation or unit (division, brigade ...).' },
    GOVERNMENT_BODY: { description: 'A ministry, agency, legislature or intelligence service.' },
    ALLIANCE: { description: 'An alliance of states (NATO ...).' },
    ORGANISATION: { description: 'Any other organisation.' },
    PERSON: { description: 'A named person.' },
    MEDIA: { description: 'A media outlet or publisher.' },
  },
});
