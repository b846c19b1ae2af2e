import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Terms are UPPER_SNAKE, 1 to 64 characters; vocabularies are kebab-case names ("actor-kind"). */
export const TERM_FORMAT = /^[A-Z][A-Z0-9_]{0,63}$/;
export const VOCABULARY_FORMAT = /^[a-z]+(-[a-z]+)*$/;

/**
 * One term of an open vocabulary: the values of fields that describe the world (actor kinds, relation types ...) are
 * data, added and relabelled by ADMIN. A deprecated term stays valid on stored rows and in reads, and is refused on
 * new writes. `stix_term` is the STIX 2.1 spelling of the term in the STIX open vocabulary `stix_vocabulary`, when it
 * has one; one term per STIX term and vocabulary, so the mapping goes both ways.
 */
@Entity()
@Check('vocabulary_term_format', `term ~ '^[A-Z][A-Z0-9_]{0,63}$'`)
@Check('vocabulary_name_format', `vocabulary ~ '^[a-z]+(-[a-z]+)*$'`)
@Check('vocabulary_label_not_blank', `btrim(label) <> ''`)
@Check('vocabulary_stix_both_or_neither', '(stix_vocabulary IS NULL) = (stix_term IS NULL)')
@Index('vocabulary_term_stix_once', ['vocabulary', 'stixVocabulary', 'stixTerm'], { unique: true, where: 'stix_term IS NOT NULL' })
export class VocabularyTerm {
  @PrimaryColumn('text', { primaryKeyConstraintName: 'vocabulary_term_pkey' })
  vocabulary: string;

  @PrimaryColumn('text', { primaryKeyConstraintName: 'vocabulary_term_pkey' })
  term: string;

  /** How the term reads in a sentence and in a UI ("Non-state armed group"; relation types: "treaty partner of"). */
  @Column('text')
  label: string;

  @Column('text', { nullable: true })
  description: string | null;

  /** Where it stands in its vocabulary: lists and "order by category/type" follow it. */
  @Column('smallint')
  position: number;

  @Column('text', { nullable: true })
  stixVocabulary: string | null;

  @Column('text', { nullable: true })
  stixTerm: string | null;

  @Column('timestamptz', { nullable: true })
  deprecatedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
