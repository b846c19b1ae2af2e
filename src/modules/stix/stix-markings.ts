import { Marking } from '../../common/marking';

// The TLP marking-definition objects of STIX, by their fixed ids. TLP 2.0's are published by OASIS in
// cti-stix-common-objects (extension-definition-specifications/tlp-2.0); TLP 1.0's are those of the STIX 2.1
// specification (section 7.2.1.4), which older tools still send. Note: the TLP 1.0 ids are not TLP 2.0's.

/** The extension that TLP 2.0 marking definitions declare. */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** TLP 2.0 marking definitions: what Dossier exports. */
export const TLP2_MARKING_IDS: Record<Marking, string> = {
  [Marking.CLEAR]: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  [Marking.GREEN]: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  [Marking.AMBER]: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  [Marking.AMBER_STRICT]: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  [Marking.RED]: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** The TLP 2.0 label each marking definition carries (its `name`). */
export const TLP2_NAMES: Record<Marking, string> = {
  [Marking.CLEAR]: 'TLP:CLEAR',
  [Marking.GREEN]: 'TLP:GREEN',
  [Marking.AMBER]: 'TLP:AMBER',
  [Marking.AMBER_STRICT]: 'TLP:AMBER+STRICT',
  [Marking.RED]: 'TLP:RED',
};

/** TLP 1.0 marking definitions (WHITE is CLEAR), recognised on import. */
export const TLP1_MARKING_IDS: Record<string, Marking> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': Marking.CLEAR,
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': Marking.GREEN,
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': Marking.AMBER,
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': Marking.RED,
};

/** The marking a standard TLP marking-definition id stands for (TLP 2.0 or 1.0); undefined for any other id. */
export function markingOfStixId(id: string): Marking | undefined {
  const tlp2 = (Object.entries(TLP2_MARKING_IDS) as Array<[Marking, string]>).find(([, stixId]) => stixId === id);
  return tlp2 ? tlp2[0] : TLP1_MARKING_IDS[id];
}

/** The value of the TLP 2.0 extension's `tlp_2_0` property. */
const TLP2_VALUES: Record<Marking, string> = {
  [Marking.CLEAR]: 'clear',
  [Marking.GREEN]: 'green',
  [Marking.AMBER]: 'amber',
  [Marking.AMBER_STRICT]: 'amber+strict',
  [Marking.RED]: 'red',
};

/** The TLP 2.0 marking-definition object of `marking`, as OASIS publishes it. */
export const tlp2MarkingDefinition = (marking: Marking) => ({
  type: 'marking-definition',
  spec_version: '2.1',
  id: TLP2_MARKING_IDS[marking],
  created: '2022-10-01T00:00:00.000Z',
  name: TLP2_NAMES[marking],
  extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: TLP2_VALUES[marking] } },
});

/** TLP levels as tools spell them in their own marking definitions (`TLP:AMBER+STRICT`, `white`, ...). */
const TLP_LABELS: Record<string, Marking> = {
  clear: Marking.CLEAR,
  white: Marking.CLEAR,
  green: Marking.GREEN,
  amber: Marking.AMBER,
  'amber+strict': Marking.AMBER_STRICT,
  red: Marking.RED,
};

const tlpLabel = (value: unknown) =>
  typeof value === 'string'
    ? TLP_LABELS[
        value
          .trim()
          .toLowerCase()
          .replace(/^tlp:\s*/, '')
      ]
    : undefined;

/**
 * The TLP level a marking definition of a bundle states under an id of its own (OpenCTI's AMBER+STRICT is one):
 * a `tlp` definition type, the TLP 2.0 extension, or a `TLP:` name. Read as stated, so such an object is neither
 * released wider than its producer marked it nor refused where its level is plain.
 */
export function markingOfTlpDefinition(definition: Record<string, unknown> | undefined): Marking | undefined {
  if (!definition || definition.type !== 'marking-definition') return undefined;
  const body = definition.definition as Record<string, unknown> | undefined;
  const extension = (definition.extensions as Record<string, Record<string, unknown>> | undefined)?.[TLP2_EXTENSION_ID];
  const stated = [
    typeof definition.definition_type === 'string' && definition.definition_type.toLowerCase() === 'tlp' ? tlpLabel(body?.tlp ?? body?.TLP) : undefined,
    tlpLabel(extension?.tlp_2_0),
    typeof definition.name === 'string' && /^tlp:/i.test(definition.name.trim()) ? tlpLabel(definition.name) : undefined,
  ].filter((m): m is Marking => m !== undefined);
  // Parts that disagree are not a statement of one level: unknown.
  return stated.length && stated.every((m) => m === stated[0]) ? stated[0] : undefined;
}
