import { actorStatementModel } from '../assertion/actor-statement.read';
import { CapabilityCategory } from './capability.entity';

export const capabilityModel = actorStatementModel('Capability', 'capability', 'capability_id', 'capability_category', CapabilityCategory);
