import { actorStatementModel } from '../assertion/actor-statement.read';

export const capabilityModel = actorStatementModel('Capability', 'capability', 'capability_id', 'capability_category');
