// The generated STIX 2.1 bundle of the STIX benchmark (bench-stix.ts), shared with its profiling (profile-stix-import.ts).
import { v5 as uuidv5 } from 'uuid';
import { Marking } from '../src/common/marking';
import { TLP2_MARKING_IDS } from '../src/modules/stix/stix-markings';

const NAMESPACE = '1b671a64-40d5-491e-99b0-da01ff1f3341';
const id = (type: string, n: number) => `${type}--${uuidv5(`${type}/${n}`, NAMESPACE)}`;
const stamp = '2024-05-01T00:00:00.000Z';

/** 200 actors (threat actors and identities), 20 reports, and relationships between the actors for the rest. */
export function generated(n: number): string {
  const common = (type: string, i: number) => ({
    type,
    spec_version: '2.1',
    id: id(type, i),
    created: stamp,
    modified: stamp,
    object_marking_refs: [TLP2_MARKING_IDS[Marking.GREEN]],
  });
  const actors = Array.from({ length: 200 }, (_, i) =>
    i % 2
      ? { ...common('threat-actor', i), name: `Actor ${i}`, threat_actor_types: ['crime-syndicate'] }
      : { ...common('identity', i), name: `Victim ${i}`, identity_class: 'organization' },
  );
  const types = ['targets', 'attributed-to', 'related-to'];
  const relationships = Array.from({ length: n - 220 }, (_, i) => ({
    ...common('relationship', i),
    relationship_type: types[i % 3],
    source_ref: actors[(i * 2 + 1) % 200].id,
    target_ref: actors[(i * 2) % 200].id,
    description: `Relationship ${i}.`,
    confidence: 50 + (i % 50),
  }));
  const reports = Array.from({ length: 20 }, (_, r) => ({
    ...common('report', r),
    name: `Report ${r}`,
    report_types: ['threat-report'],
    published: stamp,
    object_refs: relationships.filter((_, i) => i % 20 === r).map((x) => x.id),
  }));
  return JSON.stringify({ type: 'bundle', id: id('bundle', 0), objects: [...actors, ...reports, ...relationships] });
}
