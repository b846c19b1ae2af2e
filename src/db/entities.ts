import { Actor } from '../modules/actor/actor.entity';
import { BriefDefinition } from '../modules/brief-definition/brief-definition.entity';
import { BriefRun } from '../modules/brief-run/brief-run.entity';
import { ApiKey } from '../modules/identity/api-key.entity';
import { IdempotencyKey } from '../modules/idempotency/idempotency-key.entity';
import { Capability } from '../modules/capability/capability.entity';
import { Challenge } from '../modules/challenge/challenge.entity';
import { Citation } from '../modules/citation/citation.entity';
import { Event } from '../modules/event/event.entity';
import { FixtureLoad } from '../modules/fixture/fixture-load.entity';
import { Implication } from '../modules/implication/implication.entity';
import { Location } from '../modules/location/location.entity';
import { ActorRelation } from '../modules/relation/relation.entity';
import { DeletedItem } from '../modules/release/deleted-item.entity';
import { Release } from '../modules/release/release.entity';
import { Source } from '../modules/source/source.entity';
import { Topic } from '../modules/topic/topic.entity';

export const entities = [
  Topic,
  Actor,
  Location,
  Source,
  Citation,
  Capability,
  Challenge,
  Implication,
  Event,
  ActorRelation,
  FixtureLoad,
  BriefDefinition,
  BriefRun,
  ApiKey,
  Release,
  DeletedItem,
  IdempotencyKey,
];
