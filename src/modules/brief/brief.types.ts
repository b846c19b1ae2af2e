import { LocalDate } from '../../common/local-date';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Marking } from '../../common/marking';
import { Quantity } from '../../common/quantity';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';
import { ReportingVerb } from '../citation/reporting-verb';
import { DatePrecision } from '../event/event.entity';
import { Confidence, ImplicationScope, Likelihood, TimeHorizon } from '../implication/judgment-scales';
import { Reliability } from '../source/source-grades';
import { BriefSection } from './brief.inputs';
import { STATEMENT_KINDS, statementKinds, type StatementKind as StatementKindName } from '../../registry/statement-kinds';

/** The statement kinds of the registry, as a GraphQL enum. */
export const StatementKind = Object.fromEntries(statementKinds.map((k) => [k, k])) as { [K in StatementKindName]: K };
export type StatementKind = StatementKindName;
registerEnumType(StatementKind, { name: 'StatementKind', description: 'What kind of statement a brief item is.' });

/** The GraphQL type of each statement kind, for global ids. */
export const STATEMENT_TYPE_NAME = Object.fromEntries(statementKinds.map((k) => [k, STATEMENT_KINDS[k].typeName])) as Record<StatementKind, string>;

export enum GapReason {
  SINGLE_SOURCED = 'SINGLE_SOURCED',
  SAME_PUBLISHER_ONLY = 'SAME_PUBLISHER_ONLY',
  UNRELIABLE_SOURCES_ONLY = 'UNRELIABLE_SOURCES_ONLY',
  UNGRADED_SOURCES_ONLY = 'UNGRADED_SOURCES_ONLY',
  LOW_CREDIBILITY_ONLY = 'LOW_CREDIBILITY_ONLY',
  CONTESTED = 'CONTESTED',
}
registerEnumType(GapReason, {
  name: 'GapReason',
  description: 'Why a statement is a weak spot of the brief.',
  valuesConfig: {
    SINGLE_SOURCED: { description: 'Only one source supports it.' },
    SAME_PUBLISHER_ONLY: { description: 'Several sources support it, but all from one publisher: not independent.' },
    UNRELIABLE_SOURCES_ONLY: { description: 'Every source supporting it is graded D or E.' },
    UNGRADED_SOURCES_ONLY: { description: 'Every source supporting it is graded F: reliability cannot be judged.' },
    LOW_CREDIBILITY_ONLY: { description: 'Every citation supporting it has credibility 4 to 6.' },
    CONTESTED: { description: 'A source denies what another source states.' },
  },
});

@ObjectType({ description: 'A pointer from a statement to an entry of the bibliography, with the Admiralty grades of that citation.' })
export class SourceRef {
  @Field(() => Int, { description: 'Number of the source in the bibliography.' })
  number: number;

  @Field(() => Reliability, { description: 'Reliability of the source (A-F).' })
  reliability: Reliability;

  @Field(() => Int, { description: 'Best credibility (1-6) among this source’s citations of the statement.' })
  credibility: number;

  @Field(() => ReportingVerb, { description: 'How the source put it (of its best-graded citation); DENIES for a source that says it is not so.' })
  verb: ReportingVerb;

  @Field(() => String, { nullable: true, description: 'Where exactly that citation points: its own address, when it has one.' })
  url: string | null;

  @Field(() => String, { nullable: true, description: 'The page of the source that citation points to.' })
  page: string | null;

  @Field(() => String, { nullable: true, description: 'The paragraph of the source that citation points to.' })
  paragraph: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'The day the source was read for that citation.' })
  accessedOn: string | null;
}

@ObjectType({ description: 'One statement as a brief carries it, pointing to its sources.' })
export class BriefStatement {
  @Field(() => ID, { description: 'Id of the statement: read it in full with `node(id:)`.' })
  id: string;

  @Field(() => StatementKind, { description: 'What kind of statement this is.' })
  kind: StatementKind;

  @Field({
    description: 'The statement in its own words (an event’s title), as stored. Show `sentence` instead: `text` says nothing of how firmly its sources put it.',
  })
  text: string;

  @Field({
    description:
      'The statement as the brief writes it: as fact when a source asserts it; as its sources’ claim ("Army Recognition alleges that ...") when they only allege, speculate, hedge it or give it credibility 4-6; followed by any denial ("Russia denies it."). A judgment keeps its words: its likelihood is its hedge.',
  })
  sentence: string;

  @Field({ description: 'True when `sentence` attributes the statement to its sources (or its deniers) instead of saying it as fact.' })
  attributed: boolean;

  @Field(() => Marking, { description: 'TLP marking of the statement.' })
  marking: Marking;

  @Field(() => String, { nullable: true, description: 'Category of a capability or challenge; type of a relation.' })
  category: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The label of `category` in its vocabulary, as the brief writes it ("Special operations", "treaty partner of").',
  })
  categoryLabel: string | null;

  @Field(() => Quantity, { nullable: true, description: 'The number behind the statement, as a range or an exact count.' })
  quantity: Quantity | null;

  @Field(() => String, { nullable: true, description: 'The number in words ("at least 1,200,000 active-duty soldiers", "12 vessels").' })
  quantityText: string | null;

  @Field(() => [SourceRef], { description: 'The sources behind the statement, best graded first, then any that deny it.' })
  sources: SourceRef[];

  @Field(() => Int, {
    description:
      'How many independent original voices support the statement: distinct publishers of the original reporting, a relay counting as the original it passes on (a denial does not count).',
  })
  independentSources: number;

  @Field({ description: 'True when at least two independent original voices support the statement: a relay never corroborates its original.' })
  corroborated: boolean;

  @Field(() => Int, { description: 'How many of its supporting sources pass on another source’s reporting rather than their own.' })
  relayedBy: number;

  @Field(() => String, {
    nullable: true,
    description: 'The one original voice behind it, by name, when all its support comes from that original and some of it is relayed.',
  })
  originalSource: string | null;
}

@ObjectType({ description: 'An analytic judgment phrased with its ICD 203 likelihood term; its confidence is given apart.' })
export class KeyJudgment {
  @Field(() => BriefStatement, { description: 'The judgment as a statement.' })
  statement: BriefStatement;

  @Field(() => Likelihood, { description: 'ICD 203 likelihood.' })
  likelihood: Likelihood;

  @Field(() => Confidence, { nullable: true, description: 'Analytic confidence; null when not assessed.' })
  confidence: Confidence | null;

  @Field(() => ImplicationScope, { nullable: true, description: 'Where the judgment bears; null when not assessed.' })
  scope: ImplicationScope | null;

  @Field(() => TimeHorizon, { nullable: true, description: 'When the judgment bears; null when not assessed.' })
  horizon: TimeHorizon | null;

  @Field(() => LocalDate, { nullable: true, description: 'The day the judgment holds at (or was made), when given.' })
  asOf: string | null;

  @Field({ description: 'The judgment with its likelihood term ("Likely (55-80%): ...").' })
  judgment: string;

  @Field({ description: 'The confidence, in a sentence of its own ("Confidence not assessed." when not given).' })
  confidenceStatement: string;

  @Field(() => [String], { description: 'Names of the actors it bears on (that the reader may see); empty when not assessed.' })
  affectedActors: string[];
}

@ObjectType({ description: 'An actor with what it can do and what holds it back.' })
export class BriefActorEntry {
  @Field(() => ID, { description: 'Id of the actor.' })
  id: string;

  @Field({ description: 'Name of the actor.' })
  name: string;

  @Field(() => String, { description: ofVocabulary(Vocabulary.ACTOR_KIND, 'What sort of actor it is.') })
  kind: string;

  @Field(() => String, { nullable: true, description: 'What the record says of the actor.' })
  description: string | null;

  @Field(() => [BriefStatement], { description: 'Capabilities, best supported first.' })
  capabilities: BriefStatement[];

  @Field(() => [BriefStatement], { description: 'Challenges, best supported first.' })
  challenges: BriefStatement[];

  @Field(() => [BriefStatement], { description: 'Its relations to other actors, best supported first.' })
  relations: BriefStatement[];

  @Field(() => Int, { description: 'Capabilities in scope, including those past the section cap.' })
  capabilityCount: number;

  @Field(() => Int, { description: 'Challenges in scope, including those past the section cap.' })
  challengeCount: number;

  @Field(() => Int, { description: 'Relations in scope, including those past the section cap.' })
  relationCount: number;
}

@ObjectType({ description: 'An event of the timeline, dated at the precision it is known.' })
export class TimelineEntry {
  @Field(() => BriefStatement, { description: 'The event as a statement.' })
  statement: BriefStatement;

  @Field(() => LocalDate, { description: 'First day of the period the event is dated to.' })
  occurredOn: string;

  @Field(() => DatePrecision, { description: 'How precisely the date is known.' })
  precision: DatePrecision;

  @Field(() => LocalDate, { description: 'First day it may have happened (as `Event.occurredFrom`).' })
  occurredFrom: string;

  @Field(() => LocalDate, { description: 'Last day it may have happened (as `Event.occurredTo`).' })
  occurredTo: string;

  @Field({
    description:
      'When it happened at that precision, never implying a day it does not have ("During 2024", "In August 2024", "On 3 November 2024"). The timeline orders events by the end of that interval, as the events list does.',
  })
  when: string;

  @Field(() => String, { nullable: true, description: 'What happened, in more words, when the record says.' })
  description: string | null;

  @Field(() => String, { nullable: true, description: 'Where it happened, when known.' })
  location: string | null;

  @Field(() => String, { nullable: true, description: 'What the record says of that place ("about 130 kilometers north of Vladivostok").' })
  locationDescription: string | null;

  @Field(() => [String], { description: 'Names of the actors involved in it (that the reader may see).' })
  actors: string[];
}

@ObjectType({ description: 'An actor the brief names (as affected, involved, related or publishing) that has no entry of its own among the actors.' })
export class MentionedActor {
  @Field(() => ID, { description: 'Id of the actor.' })
  id: string;

  @Field({ description: 'Name of the actor.' })
  name: string;

  @Field(() => String, { description: ofVocabulary(Vocabulary.ACTOR_KIND, 'What sort of actor it is.') })
  kind: string;

  @Field(() => String, { nullable: true, description: 'What the record says of the actor.' })
  description: string | null;
}

@ObjectType({ description: 'A numbered entry of the bibliography.' })
export class BibliographyEntry {
  @Field(() => Int, { description: 'The number statements point to.' })
  number: number;

  @Field(() => ID, { description: 'Id of the source.' })
  id: string;

  @Field({ description: 'Title of the source.' })
  title: string;

  @Field(() => String, { description: ofVocabulary(Vocabulary.SOURCE_KIND, 'What sort of document it is.') })
  kind: string;

  @Field(() => String, { nullable: true, description: 'Who published it, when known and visible to the reader.' })
  publisher: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Publication date, when known.' })
  publishedOn: string | null;

  @Field(() => Reliability, { description: 'Admiralty reliability grade.' })
  reliability: Reliability;

  @Field(() => String, { nullable: true, description: 'Where to read it.' })
  url: string | null;

  @Field(() => String, { nullable: true, description: 'What is known of the source: how it was graded, what it relays, where it disagrees with the record.' })
  description: string | null;

  @Field(() => Marking, { description: 'TLP marking of the source.' })
  marking: Marking;
}

@ObjectType({ description: 'A weak spot: a statement the reader should weigh with care, and why.' })
export class BriefGap {
  @Field(() => BriefStatement, { description: 'The statement.' })
  statement: BriefStatement;

  @Field(() => [GapReason], { description: 'Every reason that applies.' })
  reasons: GapReason[];

  @Field({ description: 'The reasons in words.' })
  explanation: string;
}

@ObjectType({ description: 'How many items a section shows, of how many in scope.' })
export class SectionSize {
  @Field(() => BriefSection, { description: 'The section.' })
  section: BriefSection;

  @Field(() => Int, { description: 'Items shown.' })
  shown: number;

  @Field(() => Int, { description: 'Items in scope.' })
  total: number;
}

@ObjectType({ description: 'How many statements in scope have one reason to be weighed with care.' })
export class GapCount {
  @Field(() => GapReason, { description: 'The reason.' })
  reason: GapReason;

  @Field(() => Int, { description: 'Statements in scope it applies to.' })
  count: number;
}

@ObjectType({ description: 'An intelligence brief composed for one reader and purpose, typed by section and rendered.' })
export class Brief {
  @Field({ description: 'Title of the brief.' })
  title: string;

  @Field(() => Marking, { description: 'The highest TLP marking of anything the brief contains: share it accordingly.' })
  marking: Marking;

  @Field(() => Marking, { description: 'Clearance of the reader the brief was composed for.' })
  clearance: Marking;

  @Field({ description: 'The scope in words: topics, actors, window and grades.' })
  scope: string;

  @Field(() => [BriefSection], { description: 'The sections the brief has, in order.' })
  sections: BriefSection[];

  @Field(() => [KeyJudgment], { nullable: true, description: 'Bottom line; null when the section was not asked for.' })
  bottomLine: KeyJudgment[] | null;

  @Field(() => [BriefActorEntry], { nullable: true, description: 'Actors; null when the section was not asked for.' })
  actors: BriefActorEntry[] | null;

  @Field(() => [MentionedActor], {
    nullable: true,
    description: 'Actors the brief names without an entry of their own in `actors`, in name order; null when the actors section was not asked for.',
  })
  mentionedActors: MentionedActor[] | null;

  @Field(() => [KeyJudgment], { nullable: true, description: 'Implications; null when the section was not asked for.' })
  implications: KeyJudgment[] | null;

  @Field(() => [TimelineEntry], { nullable: true, description: 'Timeline; null when the section was not asked for.' })
  timeline: TimelineEntry[] | null;

  @Field(() => [BibliographyEntry], { nullable: true, description: 'Bibliography; null when the section was not asked for.' })
  sources: BibliographyEntry[] | null;

  @Field(() => [BriefGap], { nullable: true, description: 'Gaps; null when the section was not asked for.' })
  gaps: BriefGap[] | null;

  @Field(() => [GapCount], { description: 'Weak spots counted by reason over every statement in scope, listed or not.' })
  gapCounts: GapCount[];

  @Field(() => [SectionSize], { description: 'Items shown and in scope, per section asked for.' })
  sectionSizes: SectionSize[];

  @Field(() => Int, { description: 'Statements in scope (each counted once).' })
  statementCount: number;

  @Field(() => LocalDate, { nullable: true, description: 'Publication date of the newest dated source cited.' })
  latestSourceDate: string | null;

  @Field({ description: 'The brief in Markdown: byte-identical for the same data and input.' })
  markdown: string;

  @Field({ description: 'The brief as a self-contained HTML document, rendered from the Markdown.' })
  html: string;

  @Field({ description: 'SHA-256 (hex) of the Markdown: equal hashes mean an unchanged brief.' })
  contentHash: string;
}

/** A brief before it is rendered. */
export type BriefSections = Omit<Brief, 'markdown' | 'html' | 'contentHash'>;
