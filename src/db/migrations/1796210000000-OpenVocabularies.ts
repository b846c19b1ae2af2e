import { MigrationInterface, QueryRunner } from 'typeorm';

// The enumerations that describe the world become open vocabularies: the columns hold text, and vocabulary_term
// holds the terms (today's values, the STIX 2.1 open vocabularies that fit a Dossier field, and what an analyst of
// conflicts, maritime security and cyber campaigns needs). Terms keep today's UPPER_SNAKE spelling, so stored rows and
// fixtures stay valid; a STIX term keeps its kebab-case spelling in stix_term.

/** [term, label, description, stix vocabulary, stix term], in the order of the vocabulary. */
type Term = [string, string, string | null, string?, string?];

const IDENTITY = 'identity-class-ov';
const THREAT_ACTOR = 'threat-actor-type-ov';
const RELATIONSHIP = 'relationship-type';

const VOCABULARIES: Record<string, Term[]> = {
  'actor-kind': [
    ['STATE', 'State', 'A sovereign state.'],
    ['ARMED_FORCE', 'Armed force', "A state's armed forces or one of its services."],
    ['MILITARY_UNIT', 'Military unit', 'A formation or unit (division, brigade ...).'],
    ['GOVERNMENT_BODY', 'Government body', 'A ministry, agency, legislature or intelligence service.'],
    ['ALLIANCE', 'Alliance', 'An alliance of states (NATO ...).'],
    ['ORGANISATION', 'Organisation', 'Any other organisation.', IDENTITY, 'organization'],
    ['PERSON', 'Person', 'A named person.', IDENTITY, 'individual'],
    ['MEDIA', 'Media', 'A media outlet or publisher.'],
    ['NON_STATE_ARMED_GROUP', 'Non-state armed group', 'An armed group outside state forces: an insurgency, militia or rebel movement.'],
    ['INTERNATIONAL_ORGANISATION', 'International organisation', 'An organisation of states other than a military alliance (UN, IAEA, OSCE ...).'],
    ['MILITARY_COMMAND', 'Military command', 'A command above formations: a general staff, a theatre, joint or service command.'],
    ['COMPANY', 'Company', 'A business: a manufacturer, shipping company, bank or contractor.'],
    ['PRIVATE_MILITARY_COMPANY', 'Private military company', 'A company selling armed force or military services.'],
    ['VESSEL', 'Vessel', 'A ship or boat, known by its name, IMO number or MMSI.'],
    ['AIRCRAFT', 'Aircraft', 'An aircraft, known by its registration or transponder address.'],
    ['POLITICAL_PARTY', 'Political party', 'A political party or movement.'],
    ['NON_GOVERNMENTAL_ORGANISATION', 'Non-governmental organisation', 'An NGO, charity or civil-society group.'],
    ['GROUP', 'Group', 'An informal group of people or organisations.', IDENTITY, 'group'],
    ['SYSTEM', 'System', 'A technical system acting on its own (an automated platform, a network).', IDENTITY, 'system'],
    ['CLASS', 'Class', 'A class of actors rather than one (the banks of a country).', IDENTITY, 'class'],
    ['NATION_STATE', 'Nation-state threat actor', 'A threat actor working for or sponsored by a state; the state itself is STATE.', THREAT_ACTOR, 'nation-state'],
    ['CRIME_SYNDICATE', 'Crime syndicate', 'An organised criminal enterprise.', THREAT_ACTOR, 'crime-syndicate'],
    ['CRIMINAL', 'Criminal', 'An individual criminal or small criminal group.', THREAT_ACTOR, 'criminal'],
    ['TERRORIST', 'Terrorist group', 'A group using violence against civilians for political ends.', THREAT_ACTOR, 'terrorist'],
    ['ACTIVIST', 'Activist', 'An activist or hacktivist.', THREAT_ACTOR, 'activist'],
    ['HACKER', 'Hacker', 'An individual breaking into systems for the challenge or the thrill.', THREAT_ACTOR, 'hacker'],
    ['SPY', 'Spy', 'An individual stealing secrets for another party.', THREAT_ACTOR, 'spy'],
    ['COMPETITOR', 'Competitor', 'An organisation acting against a rival for advantage.', THREAT_ACTOR, 'competitor'],
    ['INSIDER_ACCIDENTAL', 'Accidental insider', 'An insider who does harm by mistake.', THREAT_ACTOR, 'insider-accidental'],
    ['INSIDER_DISGRUNTLED', 'Disgruntled insider', 'An insider who does harm on purpose.', THREAT_ACTOR, 'insider-disgruntled'],
    ['SENSATIONALIST', 'Sensationalist', 'An actor seeking attention through embarrassment or spectacle.', THREAT_ACTOR, 'sensationalist'],
    ['UNKNOWN', 'Unknown', 'What sort of actor it is is not known.', IDENTITY, 'unknown'],
  ],
  'location-kind': [
    ['COUNTRY', 'Country', 'A country.'],
    ['REGION', 'Region', 'An administrative region (oblast, province).'],
    ['CITY', 'City', 'A city, town or village.'],
    ['MILITARY_SITE', 'Military site', 'A base, garrison or training ground.'],
    ['AREA', 'Area', 'A wider area without formal borders (a front line, a peninsula).'],
    ['SEA', 'Sea', 'A sea, ocean, gulf or bay.'],
    ['STRAIT', 'Strait', 'A strait or sound between two bodies of water.'],
    ['CANAL', 'Canal', 'A canal for shipping (Suez, Panama).'],
    ['PORT', 'Port', 'A port, harbour or terminal.'],
    ['MARITIME_ZONE', 'Maritime zone', 'Waters defined by law or practice: territorial waters, an EEZ, a shipping lane.'],
    ['RIVER', 'River', 'A river or lake.'],
    ['ISLAND', 'Island', 'An island or archipelago.'],
    ['AIRPORT', 'Airport', 'A civil airport or airfield.'],
    ['BORDER_CROSSING', 'Border crossing', 'A crossing point on a border.'],
    ['INFRASTRUCTURE_SITE', 'Infrastructure site', 'A power plant, dam, pipeline, refinery, bridge or cable landing.'],
  ],
  'relation-type': [
    ['TREATY_PARTNER_OF', 'treaty partner of', 'Bound to the other by a treaty.'],
    ['ALLIED_WITH', 'allied with', 'An ally of the other.'],
    ['DEPLOYS_FORCES_TO', 'deploys forces to', 'Sends troops or units to the other.'],
    ['SUPPLIES_ARMS_TO', 'supplies arms to', 'Provides weapons or ammunition to the other.'],
    ['TRAINS_WITH', 'trains with', 'Holds exercises or training with the other.'],
    ['TRADES_WITH', 'trades with', 'Trades with the other.'],
    ['SUPPORTS', 'supports', 'Supports the other politically or materially.'],
    ['CONDEMNS', 'condemns', 'Condemns the other or its actions.'],
    ['OPPOSES', 'opposes', 'Opposes the other.'],
    ['AT_WAR_WITH', 'at war with', 'In armed conflict with the other.'],
    ['SANCTIONS', 'sanctions', 'Imposes sanctions on the other.'],
    ['INTERCEPTS', 'intercepts', 'Stops, boards or shoots down the other (a vessel, an aircraft, a missile).'],
    ['ATTACKS', 'attacks', 'Carries out an attack on the other.'],
    ['ESCORTS', 'escorts', 'Accompanies the other for its protection (a convoy, a tanker).'],
    ['PROVIDES_INTELLIGENCE_TO', 'provides intelligence to', 'Shares intelligence with the other.'],
    ['FUNDS', 'funds', 'Pays for the other or its activities.'],
    ['COMMANDS', 'commands', 'Has the other under its command.'],
    ['NEGOTIATES_WITH', 'negotiates with', 'In talks or negotiations with the other.'],
    ['SEIZES', 'seizes', 'Takes the other (a vessel, a cargo) into its custody.'],
    ['OWNS', 'owns', 'Owns the other (a company, a vessel).', RELATIONSHIP, 'owns'],
    ['OPERATES', 'operates', 'Runs the other (a vessel, an aircraft) without owning it.'],
    ['TARGETS', 'targets', 'Directs its operations at the other.', RELATIONSHIP, 'targets'],
    ['ATTRIBUTED_TO', 'attributed to', 'Is acting on behalf of, or is attributed to, the other.', RELATIONSHIP, 'attributed-to'],
    ['IMPERSONATES', 'impersonates', 'Poses as the other.', RELATIONSHIP, 'impersonates'],
    ['RELATED_TO', 'related to', 'Linked to the other in a way no other type says.', RELATIONSHIP, 'related-to'],
  ],
  'source-kind': [
    ['INTELLIGENCE_ASSESSMENT', 'Intelligence assessment', 'A published intelligence update or assessment.'],
    ['GOVERNMENT_STATEMENT', 'Government statement', 'A statement by a government or ministry.'],
    ['OFFICIAL_STATEMENT', 'Official statement', 'A statement by an international organisation or its officials.'],
    ['MEDIA_REPORT', 'Media report', 'A news or specialist media report.'],
    ['SOCIAL_MEDIA', 'Social media', 'Material circulating on social media or messaging platforms.'],
    ['ANALYSIS_ARTICLE', 'Analysis article', 'An analytic article or commentary.'],
    ['OTHER', 'Other', 'Anything else.'],
    ['DATASET', 'Dataset', 'A structured data set: ship tracks, trade statistics, casualty counts, a sanctions list.'],
    ['IMAGERY', 'Imagery', 'Satellite, aerial or ground imagery.'],
    ['THREAT_REPORT', 'Threat report', 'A cyber threat intelligence report.', 'report-type-ov', 'threat-report'],
    ['ACADEMIC_RESEARCH', 'Academic research', 'A peer-reviewed paper or research institute study.'],
    ['LEGAL_DOCUMENT', 'Legal document', 'A court filing, indictment, treaty text or sanctions designation.'],
  ],
  'capability-category': [
    ['MANPOWER', 'Manpower', 'People under arms or at its disposal.'],
    ['TRAINING', 'Training', 'What its people are trained to do.'],
    ['TACTICS', 'Tactics', 'How it fights or operates.'],
    ['SPECIAL_OPERATIONS', 'Special operations', 'Special forces and what they can do.'],
    ['EQUIPMENT', 'Equipment', 'Weapons, vehicles and other materiel.'],
    ['RESILIENCE', 'Resilience', 'How well it bears losses and hardship.'],
    ['EXPERIENCE', 'Experience', 'What it has done before (combat experience ...).'],
    ['LOGISTICS', 'Logistics', 'Supply, transport and maintenance.'],
    ['ECONOMIC', 'Economic', 'Money, production and trade.'],
    ['DIPLOMATIC', 'Diplomatic', 'Standing and influence with others.'],
    ['CYBER', 'Cyber', 'Operations in and against computer networks.'],
    ['INTELLIGENCE', 'Intelligence', 'Collecting and analysing intelligence.'],
    ['INFORMATION_OPERATIONS', 'Information operations', 'Propaganda, disinformation and influence.'],
    ['AIR', 'Air', 'Air power: aircraft, drones and air defence.'],
    ['MARITIME', 'Maritime', 'Naval power and operations at sea.'],
    ['MISSILE', 'Missile', 'Ballistic and cruise missiles and their launchers.'],
    ['NUCLEAR', 'Nuclear', 'Nuclear weapons, materials and delivery.'],
  ],
  'challenge-category': [
    ['LANGUAGE', 'Language', 'People cannot understand each other.'],
    ['INTEROPERABILITY', 'Interoperability', 'Forces or systems do not work together.'],
    ['EQUIPMENT_FAMILIARITY', 'Equipment familiarity', 'People do not know the equipment they are given.'],
    ['TRAINING', 'Training', 'People are not trained for the task.'],
    ['COMMAND_AND_CONTROL', 'Command and control', 'Orders do not reach, or are not followed.'],
    ['LOGISTICS', 'Logistics', 'Supply, transport or maintenance falls short.'],
    ['EXPERIENCE', 'Experience', 'It has not done this before.'],
    ['ECONOMIC', 'Economic', 'Money, production or trade fall short.'],
    ['DIPLOMATIC', 'Diplomatic', 'Its standing with others holds it back.'],
    ['MORALE', 'Morale', 'People lack the will to go on.'],
    ['SANCTIONS', 'Sanctions', 'Sanctions or export controls hold it back.'],
    ['MAINTENANCE', 'Maintenance', 'Equipment is worn out or cannot be repaired.'],
    ['CASUALTIES', 'Casualties', 'Losses of people it cannot replace.'],
    ['RECRUITMENT', 'Recruitment', 'It cannot find enough people.'],
    ['LEGAL', 'Legal', 'The law, at home or abroad, stands in its way.'],
    ['INTERNAL_POLITICS', 'Internal politics', 'Rivalries or divisions within it.'],
  ],
  'identifier-scheme': [
    ['WIKIDATA', 'Wikidata', 'Wikidata item, "Q423".'],
    ['ISO_3166', 'ISO 3166', 'ISO 3166-1 alpha-2 country ("KP") or ISO 3166-2 subdivision ("UA-43") the actor is.'],
    ['LEI', 'LEI', 'Legal Entity Identifier (ISO 17442) of a company: 20 characters with their check digits.'],
    ['IMO', 'IMO number', 'IMO ship number of a vessel: 7 digits with their check digit ("9074729").'],
    ['MMSI', 'MMSI', 'Maritime Mobile Service Identity of a vessel: 9 digits.'],
    ['STIX', 'STIX identifier', 'STIX 2.1 identifier of the object describing the actor ("threat-actor--<uuid>").'],
  ],
};

/** The columns that held an enum, with the enum's values as they were (for down). */
const COLUMNS: Array<[table: string, column: string, type: string, values: string[]]> = [
  ['actor', 'kind', 'actor_kind', ['STATE', 'ARMED_FORCE', 'MILITARY_UNIT', 'GOVERNMENT_BODY', 'ALLIANCE', 'ORGANISATION', 'PERSON', 'MEDIA']],
  ['source', 'kind', 'source_kind', ['INTELLIGENCE_ASSESSMENT', 'GOVERNMENT_STATEMENT', 'OFFICIAL_STATEMENT', 'MEDIA_REPORT', 'SOCIAL_MEDIA', 'ANALYSIS_ARTICLE', 'OTHER']],
  ['location', 'kind', 'location_kind', ['COUNTRY', 'REGION', 'CITY', 'MILITARY_SITE', 'AREA']],
  [
    'capability',
    'category',
    'capability_category',
    ['MANPOWER', 'TRAINING', 'TACTICS', 'SPECIAL_OPERATIONS', 'EQUIPMENT', 'RESILIENCE', 'EXPERIENCE', 'LOGISTICS', 'ECONOMIC', 'DIPLOMATIC'],
  ],
  [
    'challenge',
    'category',
    'challenge_category',
    ['LANGUAGE', 'INTEROPERABILITY', 'EQUIPMENT_FAMILIARITY', 'TRAINING', 'COMMAND_AND_CONTROL', 'LOGISTICS', 'EXPERIENCE', 'ECONOMIC', 'DIPLOMATIC', 'MORALE'],
  ],
  [
    'actor_relation',
    'type',
    'relation_type',
    ['TREATY_PARTNER_OF', 'ALLIED_WITH', 'DEPLOYS_FORCES_TO', 'SUPPLIES_ARMS_TO', 'TRAINS_WITH', 'TRADES_WITH', 'SUPPORTS', 'CONDEMNS', 'OPPOSES', 'AT_WAR_WITH', 'SANCTIONS'],
  ],
];

export class OpenVocabularies1796210000000 implements MigrationInterface {
  name = 'OpenVocabularies1796210000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "vocabulary_term" ("vocabulary" text NOT NULL, "term" text NOT NULL, "label" text NOT NULL, "description" text, "position" smallint NOT NULL, "stix_vocabulary" text, "stix_term" text, "deprecated_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "vocabulary_stix_both_or_neither" CHECK ((stix_vocabulary IS NULL) = (stix_term IS NULL)), CONSTRAINT "vocabulary_label_not_blank" CHECK (btrim(label) <> ''), CONSTRAINT "vocabulary_name_format" CHECK (vocabulary ~ '^[a-z]+(-[a-z]+)*$'), CONSTRAINT "vocabulary_term_format" CHECK (term ~ '^[A-Z][A-Z0-9_]{0,63}$'), CONSTRAINT "vocabulary_term_pkey" PRIMARY KEY ("vocabulary", "term"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "vocabulary_term_stix_once" ON "vocabulary_term"  ("vocabulary", "stix_vocabulary", "stix_term") WHERE stix_term IS NOT NULL`,
    );
    const rows = Object.entries(VOCABULARIES).flatMap(([vocabulary, terms]) =>
      terms.map(([term, label, description, stixVocabulary, stixTerm], position) => ({
        vocabulary,
        term,
        label,
        description,
        position: position + 1,
        stix_vocabulary: stixVocabulary ?? null,
        stix_term: stixTerm ?? null,
      })),
    );
    await queryRunner.query(
      `INSERT INTO vocabulary_term (vocabulary, term, label, description, position, stix_vocabulary, stix_term)
       SELECT vocabulary, term, label, description, position, stix_vocabulary, stix_term
       FROM json_to_recordset($1::json) AS t(vocabulary text, term text, label text, description text, position smallint, stix_vocabulary text, stix_term text)`,
      [JSON.stringify(rows)],
    );
    // The values stay as they are: every stored one is a term above.
    for (const [table, column, type] of COLUMNS) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE text USING "${column}"::text`);
      await queryRunner.query(`DROP TYPE "public"."${type}"`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Rows holding a term added since have no enum value to go back to: down refuses them (the cast fails).
    for (const [table, column, type, values] of [...COLUMNS].reverse()) {
      await queryRunner.query(`CREATE TYPE "public"."${type}" AS ENUM(${values.map((v) => `'${v}'`).join(', ')})`);
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE "public"."${type}" USING "${column}"::"public"."${type}"`);
    }
    await queryRunner.query(`DROP INDEX "public"."vocabulary_term_stix_once"`);
    await queryRunner.query(`DROP TABLE "vocabulary_term"`);
  }
}
