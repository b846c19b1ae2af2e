import { ActorExternalId } from '../modules/actor/external-id.entity';
import { BriefDefinition } from '../modules/brief-definition/brief-definition.entity';
import { BriefRun } from '../modules/brief-run/brief-run.entity';
import { ApiKey } from '../modules/identity/api-key.entity';
import { IdempotencyKey } from '../modules/idempotency/idempotency-key.entity';
import { FixtureLoad } from '../modules/fixture/fixture-load.entity';
import { ImportedItem } from '../modules/import/imported-item.entity';
import { StixObject } from '../modules/stix/stix-object.entity';
import { DeletedItem } from '../modules/release/deleted-item.entity';
import { Release } from '../modules/release/release.entity';
import { VocabularyTerm } from '../modules/vocabulary/vocabulary-term.entity';
import { BriefDelivery, DeliveryTarget } from '../modules/delivery/delivery.entity';

import { registeredEntities } from '../registry/registry';

/** Every TypeORM entity: those of the registered types, and the service's own tables. */
export const entities = [
  ...registeredEntities,
  FixtureLoad,
  BriefDefinition,
  BriefRun,
  ApiKey,
  Release,
  DeletedItem,
  IdempotencyKey,
  ActorExternalId,
  ImportedItem,
  StixObject,
  VocabularyTerm,
  DeliveryTarget,
  BriefDelivery,
];
