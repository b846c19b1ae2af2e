import type { DataSource } from 'typeorm';
import { fixtureId } from '../../src/modules/fixture/fixture.ids';
import { toGlobalId } from '../../src/read/global-id';

// A few items above TLP:GREEN, added to a test database to see who can read them.
export const ids = {
  topic: fixtureId('topic', 'dprk-troops-in-russia'),
  kpa: fixtureId('actor', 'korean-peoples-army'),
  amberCapability: '00000000-0000-4000-8000-00000000a001',
  amberCitation: '00000000-0000-4000-8000-00000000a002',
  amberActor: '00000000-0000-4000-8000-00000000a003',
  capabilityOfAmberActor: '00000000-0000-4000-8000-00000000a004',
  citationOfAmberCapability: '00000000-0000-4000-8000-00000000a005',
};

export const AMBER_STATEMENT = 'AMBER: a reconnaissance battalion has been attached to the deployment.';

export async function addMarkedLayer(dataSource: DataSource): Promise<void> {
  const [source] = await dataSource.query(`SELECT id FROM source WHERE reliability = 'B' ORDER BY name LIMIT 1`);
  await dataSource.query(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking)
     VALUES ($1, $2, $3, 'SPECIAL_OPERATIONS', $4, 'AMBER')`,
    [ids.amberCapability, ids.topic, ids.kpa, AMBER_STATEMENT],
  );
  await dataSource.query(
    `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id, marking)
     VALUES ($1, $2, 'ASSESSES', 'amber quote', 2, $3, 'CLEAR'), ($4, $2, 'ASSESSES', 'amber-only quote', 2, $3, 'AMBER')`,
    [ids.citationOfAmberCapability, source.id, ids.amberCapability, ids.amberCitation],
  );
  await dataSource.query(`INSERT INTO actor (id, name, kind, marking) VALUES ($1, 'AMBER reconnaissance battalion', 'MILITARY_UNIT', 'AMBER')`, [
    ids.amberActor,
  ]);
  await dataSource.query(`INSERT INTO topic_actor (topic_id, actor_id) VALUES ($1, $2)`, [ids.topic, ids.amberActor]);
  await dataSource.query(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking)
     VALUES ($1, $2, $3, 'TACTICS', 'A GREEN statement about an AMBER actor.', 'GREEN')`,
    [ids.capabilityOfAmberActor, ids.topic, ids.amberActor],
  );
}

export const globalIds = {
  amberCapability: toGlobalId('Capability', ids.amberCapability),
  amberActor: toGlobalId('Actor', ids.amberActor),
  kpa: toGlobalId('Actor', ids.kpa),
  capabilityOfAmberActor: toGlobalId('Capability', ids.capabilityOfAmberActor),
};
