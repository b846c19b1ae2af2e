/** The open vocabularies that fields of Dossier take their values from (vocabulary_term holds their terms). */
export const Vocabulary = {
  ACTOR_KIND: 'actor-kind',
  LOCATION_KIND: 'location-kind',
  RELATION_TYPE: 'relation-type',
  SOURCE_KIND: 'source-kind',
  CAPABILITY_CATEGORY: 'capability-category',
  CHALLENGE_CATEGORY: 'challenge-category',
  IDENTIFIER_SCHEME: 'identifier-scheme',
} as const;
export type VocabularyName = (typeof Vocabulary)[keyof typeof Vocabulary];

/** A field's description, naming the vocabulary its values come from. */
export const ofVocabulary = (vocabulary: VocabularyName, description: string) =>
  `${description} A term of the ${vocabulary} vocabulary: see \`vocabulary(name: "${vocabulary}")\`.`;
