import { actorStatementKind } from '../assertion/actor-statement';

export enum CapabilityCategory {
  MANPOWER = 'MANPOWER',
  TRAINING = 'TRAINING',
  TACTICS = 'TACTICS',
  SPECIAL_OPERATIONS = 'SPECIAL_OPERATIONS',
  EQUIPMENT = 'EQUIPMENT',
  RESILIENCE = 'RESILIENCE',
  EXPERIENCE = 'EXPERIENCE',
  LOGISTICS = 'LOGISTICS',
  ECONOMIC = 'ECONOMIC',
  DIPLOMATIC = 'DIPLOMATIC',
}

export const capability = actorStatementKind({
  kind: 'CAPABILITY',
  plural: 'capabilities',
  categories: CapabilityCategory,
  categoryType: 'capability_category',
  describe: {
    type: 'What an actor can do or has ("1.2 million active-duty soldiers", "trained in guerrilla tactics").',
    categories: 'What kind of capability: manpower, training, tactics, special operations, equipment ...',
    category: 'What kind of capability.',
    actor: 'Whose capability',
    ofActor: 'capabilities of this actor',
    list: 'Capabilities, each a thing an actor can do or has; filtered and paginated.',
  },
});

export const Capability = capability.entity;
export type Capability = InstanceType<typeof Capability>;
