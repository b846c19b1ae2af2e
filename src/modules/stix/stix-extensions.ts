import { Marking } from '../../common/marking';
import { fixedStixId } from './stix-ids';
import { TLP2_MARKING_IDS } from './stix-markings';

// What STIX 2.1 has no property or object for, Dossier exports through extension definitions of its own (STIX 2.1
// section 7.3): property extensions on standard objects, and new SDOs for the statement kinds STIX lacks. Their ids
// are fixed, so every export (and every tool that stores them) names them the same way. Documented in the README.

/** When these definitions were written: their `created` and `modified`, fixed so exports do not depend on the clock. */
export const DEFINED_AT = '2026-12-01T00:00:00.000Z';

/** Dossier itself, as the STIX identity that creates the extension definitions. */
export const DOSSIER_IDENTITY = {
  type: 'identity',
  spec_version: '2.1',
  id: fixedStixId('identity', 'dossier'),
  created: DEFINED_AT,
  modified: DEFINED_AT,
  name: 'Dossier',
  identity_class: 'system',
  description: 'Dossier, the intelligence-brief service: the author of the Dossier STIX extension definitions.',
  object_marking_refs: [TLP2_MARKING_IDS[Marking.CLEAR]],
};

interface ExtensionSpec {
  name: string;
  /** A property extension adds properties to standard objects; a new SDO is an object type of its own (`sdoType`). */
  kind: 'property-extension' | 'new-sdo';
  sdoType?: string;
  /** The properties it defines, as the definition's `schema` text states them. */
  properties: string;
}

const QUANTITY = 'quantity {low, best, high: number; unit, as_stated: string; exact: boolean} (a range: "approximately 10,000 troops")';
const STATEMENT = `dossier_id (uuid), topic_ref (report of the topic), description (the statement), organisation and audience (as for every Dossier object)`;
/** Every Dossier extension and new SDO carries who may read the object besides its marking. */
const ACCESS =
  'organisation (of an AMBER+STRICT object: the organisation it is shared within), audience (of a TLP:RED object: the principals it is shared with)';

/** The Dossier extensions, by what they extend. */
export const EXTENSIONS = {
  actor: {
    name: 'Dossier actor',
    kind: 'property-extension',
    properties: `On identity, threat-actor and intrusion-set: dossier_id (uuid), ${ACCESS}, kind (term of the actor-kind vocabulary), aliases, country_code (ISO 3166-1 alpha-2), parent_ref (the actor it is part of). Its identifiers in registers are external_references (source_name is the identifier-scheme term).`,
  },
  location: {
    name: 'Dossier location',
    kind: 'property-extension',
    properties: `On location: dossier_id (uuid), ${ACCESS}, kind (term of the location-kind vocabulary).`,
  },
  topic: {
    name: 'Dossier topic',
    kind: 'property-extension',
    properties: `On report (a topic: a situation under watch): dossier_id (uuid), ${ACCESS}, slug, starts_on, ends_on (YYYY-MM-DD).`,
  },
  source: {
    name: 'Dossier source',
    kind: 'property-extension',
    properties: `On report (a source statements are cited to): dossier_id (uuid), ${ACCESS}, kind (term of the source-kind vocabulary), reliability (Admiralty source reliability A-F; STIX has no scale for it), published_on (YYYY-MM-DD), publisher_ref (the actor who published it), url.`,
  },
  citation: {
    name: 'Dossier citation',
    kind: 'property-extension',
    properties: `On note (one statement cited to one source): dossier_id (uuid), ${ACCESS}, statement_ref, source_ref (report of the source), verb (reporting verb: STATES, ASSESSES ...), credibility (Admiralty information credibility 1-6; confidence carries its Appendix A value), quote, url, page, paragraph, accessed_on (YYYY-MM-DD).`,
  },
  relation: {
    name: 'Dossier relation',
    kind: 'property-extension',
    properties: `On relationship (a relation between two actors): dossier_id (uuid), ${ACCESS}, topic_ref, relation_type (term of the relation-type vocabulary), valid_from, valid_to (YYYY-MM-DD, inclusive).`,
  },
  capability: {
    name: 'Dossier capability',
    kind: 'new-sdo',
    sdoType: 'dossier-capability',
    properties: `New SDO dossier-capability, what an actor can do or has: ${STATEMENT}, actor_ref, category (term of capability-category), ${QUANTITY}.`,
  },
  challenge: {
    name: 'Dossier challenge',
    kind: 'new-sdo',
    sdoType: 'dossier-challenge',
    properties: `New SDO dossier-challenge, what holds an actor back: ${STATEMENT}, actor_ref, category (term of challenge-category), ${QUANTITY}.`,
  },
  judgment: {
    name: 'Dossier judgment',
    kind: 'new-sdo',
    sdoType: 'dossier-judgment',
    properties: `New SDO dossier-judgment, an analytic judgment (ICD 203): ${STATEMENT}, likelihood (ALMOST_NO_CHANCE ... ALMOST_CERTAIN), likelihood_confidence (its DNI-scale value, Appendix A), analytic_confidence (LOW, MODERATE, HIGH; confidence carries its Low/Med/High value), scope, horizon, as_of (YYYY-MM-DD), affected_refs (actors), ${QUANTITY}.`,
  },
  event: {
    name: 'Dossier event',
    kind: 'new-sdo',
    sdoType: 'dossier-event',
    properties: `New SDO dossier-event, something that happened: ${STATEMENT} (name is its title, description its description), occurred_on (YYYY-MM-DD, the first day of the period), precision (DAY, MONTH or YEAR), first_seen and last_seen (the interval it covers), location_ref, affected_refs (actors), ${QUANTITY}.`,
  },
} satisfies Record<string, ExtensionSpec>;

export type ExtensionKey = keyof typeof EXTENSIONS;

/** The fixed id of a Dossier extension definition: the key its properties sit under in `extensions`. */
export const extensionId = (key: ExtensionKey) => fixedStixId('extension-definition', `extension/${key}`);

/** The extension-definition object of `key`. */
export function extensionDefinition(key: ExtensionKey) {
  const spec: ExtensionSpec = EXTENSIONS[key];
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id: extensionId(key),
    created: DEFINED_AT,
    modified: DEFINED_AT,
    created_by_ref: DOSSIER_IDENTITY.id,
    name: spec.name,
    description: spec.properties,
    schema: `${spec.properties} Properties without a value are left out. See the STIX section of the Dossier README.`,
    version: '1.0.0',
    extension_types: [spec.kind],
    object_marking_refs: [TLP2_MARKING_IDS[Marking.CLEAR]],
  };
}

/** The `extensions` entry of an object carrying `key`'s properties (none for a new SDO: its properties are its own). */
export const extensionEntry = (key: ExtensionKey, properties: Record<string, unknown> = {}) => ({
  [extensionId(key)]: { extension_type: EXTENSIONS[key].kind, ...properties },
});
