import { actorModel } from '../modules/actor/actor.read';
import { capabilityModel } from '../modules/capability/capability.read';
import { challengeModel } from '../modules/challenge/challenge.read';
import { citationModel } from '../modules/citation/citation.read';
import { eventModel } from '../modules/event/event.read';
import { implicationModel } from '../modules/implication/implication.read';
import { locationModel } from '../modules/location/location.read';
import { relationModel } from '../modules/relation/relation.read';
import { sourceModel } from '../modules/source/source.read';
import { topicModel } from '../modules/topic/topic.read';
import type { TableModel } from './model';

/** Every type the read layer can compile, by GraphQL type name. */
export const readModels: ReadonlyMap<string, TableModel<any>> = new Map(
  [
    topicModel,
    actorModel,
    locationModel,
    sourceModel,
    citationModel,
    capabilityModel,
    challengeModel,
    implicationModel,
    eventModel,
    relationModel,
  ].map((m) => [m.typeName, m as TableModel<any>]),
);
