import { highestMarking, type Marking } from '../../common/marking';
import { toGlobalId } from '../../read/global-id';
import type { ReportingVerb } from '../citation/reporting-verb';
import type { DatePrecision } from '../event/event.entity';
import type { Confidence, ImplicationScope, Likelihood, TimeHorizon } from '../implication/judgment-scales';
import type { Reliability } from '../source/source-grades';
import { evidenceOf, type Evidence } from './brief.evidence';
import { BriefSection } from './brief.inputs';
import { compareOccurred, occurredInterval } from '../event/event.dates';
import {
  compareText,
  CONFIDENCE_ORDER,
  confidencePhrase,
  dateAt,
  judgmentPhrase,
  LIKELIHOOD_ORDER,
  occurredPhrase,
  quantityText,
  relayedBy,
  tlpLabel,
} from './brief.phrases';
import { relationClaim, type BriefData, type NamedActorRow, type SourceRow, type StatementRow } from './brief.read';
import { voiceOf } from './brief.voice';
import type { BriefScope } from './brief.scope';
import {
  BibliographyEntry,
  BriefActorEntry,
  BriefGap,
  BriefSections,
  BriefStatement,
  GapReason,
  KeyJudgment,
  MentionedActor,
  SectionSize,
  STATEMENT_TYPE_NAME,
  TimelineEntry,
} from './brief.types';

// Weak judgments matter most to a reader, so they come first among the gaps.
const GAP_KIND_ORDER = ['IMPLICATION', 'CAPABILITY', 'CHALLENGE', 'RELATION', 'EVENT'];

const GAP_WORDS: Record<GapReason, string> = {
  SINGLE_SOURCED: 'only one source supports it',
  SAME_PUBLISHER_ONLY: 'its sources all come from one publisher',
  UNRELIABLE_SOURCES_ONLY: 'every source behind it is graded D or E',
  UNGRADED_SOURCES_ONLY: 'the reliability of every source behind it cannot be judged (F)',
  LOW_CREDIBILITY_ONLY: 'every citation of it has credibility 4 to 6',
  CONTESTED: 'a source denies it',
};

/** Builds the typed sections of a brief from the statements in scope. Pure: the same data gives the same brief. */
export function composeBrief(scope: BriefScope, data: BriefData): BriefSections {
  const evidence = new Map(data.statements.map((s) => [s.id, evidenceOf(s)]));
  const ev = (s: StatementRow) => evidence.get(s.id)!;

  // Sources are numbered in the order the brief first cites them.
  const numbers = new Map<string, { number: number; source: SourceRow }>();
  const number = (source: SourceRow) => {
    if (!numbers.has(source.id)) numbers.set(source.id, { number: numbers.size + 1, source });
    return numbers.get(source.id)!.number;
  };
  const statementOf = (s: StatementRow): BriefStatement => {
    const e = ev(s);
    const voice = voiceOfStatement(s, e);
    const sources = e.refs.map((c) => ({
      number: number(c.source),
      reliability: c.source.reliability as Reliability,
      credibility: c.credibility,
      verb: c.verb as ReportingVerb,
      url: c.url,
      page: c.page,
      paragraph: c.paragraph,
      accessedOn: c.accessedOn,
    }));
    // An original the brief names only through a relay is listed among the sources too, after those cited.
    for (const c of e.supporting) if (c.original?.listed) number(c.original);
    return {
      id: toGlobalId(STATEMENT_TYPE_NAME[s.kind], s.id),
      kind: s.kind,
      text: s.text,
      sentence: voice.sentence,
      attributed: voice.attributed,
      marking: s.marking,
      category: s.category ?? null,
      categoryLabel: s.categoryLabel ?? null,
      quantity: s.quantity ?? null,
      quantityText: quantityText(s.quantity),
      sources,
      independentSources: e.independentPublishers,
      corroborated: e.corroborated,
      relayedBy: e.relays,
      originalSource: e.soleOriginal,
    };
  };

  const bySupport = (a: StatementRow, b: StatementRow) =>
    ev(b).independentPublishers - ev(a).independentPublishers ||
    bestCredibility(ev(a)) - bestCredibility(ev(b)) ||
    compareText(a.text, b.text) ||
    compareText(a.id, b.id);
  const byJudgment = (a: StatementRow, b: StatementRow) =>
    LIKELIHOOD_ORDER.indexOf(b.likelihood!) - LIKELIHOOD_ORDER.indexOf(a.likelihood!) ||
    CONFIDENCE_ORDER.indexOf(b.confidence!) - CONFIDENCE_ORDER.indexOf(a.confidence!) ||
    bySupport(a, b);

  // Every actor a shown item names, to list those without an entry of their own. Only visible actors are read.
  const mentioned = new Map<string, NamedActorRow>();
  const mention = (...actors: Array<NamedActorRow | null | undefined>) => {
    for (const a of actors) if (a) mentioned.set(a.id, a);
  };
  const mentionIn = (s: StatementRow) => mention(s.actor, s.counterpart, ...(s.affectedActors ?? []));

  const ofKind = (kind: StatementRow['kind']) => data.statements.filter((s) => s.kind === kind);
  const implications = ofKind('IMPLICATION').sort(byJudgment);
  const limit = scope.limitPerSection;
  const wanted = (section: BriefSection) => scope.sections.includes(section);
  const sizes: SectionSize[] = [];
  const size = (section: BriefSection, shown: number, total: number) => sizes.push({ section, shown, total });

  // What the source does not give stays null, and is said to be not assessed.
  const judgmentOf = (s: StatementRow): KeyJudgment => {
    mentionIn(s);
    return judgmentRow(s);
  };
  const judgmentRow = (s: StatementRow): KeyJudgment => ({
    statement: statementOf(s),
    likelihood: s.likelihood as Likelihood,
    confidence: (s.confidence ?? null) as Confidence | null,
    scope: (s.scope ?? null) as ImplicationScope | null,
    horizon: (s.horizon ?? null) as TimeHorizon | null,
    asOf: s.asOf ?? null,
    judgment: voiceOf(judgmentPhrase(s.likelihood!, s.text), null, ev(s), { judgment: true }).sentence,
    confidenceStatement: confidencePhrase(s.confidence),
    affectedActors: (s.affectedActors ?? []).map((a) => a.name).sort(compareText),
  });

  let bottomLine: KeyJudgment[] | null = null;
  if (wanted(BriefSection.BOTTOM_LINE)) {
    bottomLine = implications.slice(0, Math.min(scope.keyJudgments, limit)).map(judgmentOf);
    size(BriefSection.BOTTOM_LINE, bottomLine.length, implications.length);
  }

  let actors: BriefActorEntry[] | null = null;
  if (wanted(BriefSection.ACTORS)) {
    const groups = new Map<string, StatementRow[]>();
    for (const s of data.statements) if (s.actor) groups.set(s.actor.id, [...(groups.get(s.actor.id) ?? []), s]);
    const ranked = [...groups.values()].sort(
      (a, b) => b.length - a.length || compareText(a[0].actor!.name, b[0].actor!.name) || compareText(a[0].actor!.id, b[0].actor!.id),
    );
    actors = ranked.slice(0, limit).map((statements) => {
      const actor = statements[0].actor!;
      const capabilities = statements.filter((s) => s.kind === 'CAPABILITY').sort(bySupport);
      const challenges = statements.filter((s) => s.kind === 'CHALLENGE').sort(bySupport);
      const relations = statements.filter((s) => s.kind === 'RELATION').sort(bySupport);
      relations.slice(0, limit).forEach(mentionIn);
      return {
        id: toGlobalId('Actor', actor.id),
        name: actor.name,
        kind: actor.kind,
        description: actor.description ?? null,
        capabilities: capabilities.slice(0, limit).map(statementOf),
        challenges: challenges.slice(0, limit).map(statementOf),
        relations: relations.slice(0, limit).map(statementOf),
        capabilityCount: capabilities.length,
        challengeCount: challenges.length,
        relationCount: relations.length,
      };
    });
    size(BriefSection.ACTORS, actors.length, groups.size);
  }

  let judgments: KeyJudgment[] | null = null;
  if (wanted(BriefSection.IMPLICATIONS)) {
    judgments = implications.slice(0, limit).map(judgmentOf);
    size(BriefSection.IMPLICATIONS, judgments.length, implications.length);
  }

  const timelineEntry = (s: StatementRow): TimelineEntry => ({
    statement: statementOf(s),
    occurredOn: s.occurredOn!,
    precision: s.precision as DatePrecision,
    occurredFrom: occurredInterval(s.occurredOn!, s.precision!).from,
    occurredTo: occurredInterval(s.occurredOn!, s.precision!).to,
    when: occurredPhrase(s.occurredOn!, s.precision!),
    description: s.description ?? null,
    location: s.location?.name ?? null,
    locationDescription: s.location?.description ?? null,
    actors: (s.affectedActors ?? []).map((a) => a.name).sort(compareText),
  });

  let timeline: TimelineEntry[] | null = null;
  if (wanted(BriefSection.TIMELINE)) {
    const events = ofKind('EVENT').sort(
      (a, b) =>
        compareOccurred({ occurredOn: a.occurredOn!, precision: a.precision! }, { occurredOn: b.occurredOn!, precision: b.precision! }) ||
        compareText(a.text, b.text) ||
        compareText(a.id, b.id),
    );
    // Past the cap, the most recent events are the ones kept.
    timeline = events.slice(Math.max(0, events.length - limit)).map((s) => {
      mentionIn(s);
      return timelineEntry(s);
    });
    size(BriefSection.TIMELINE, timeline.length, events.length);
  }

  let gaps: BriefGap[] | null = null;
  if (wanted(BriefSection.GAPS)) {
    const weak = data.statements
      .filter((s) => ev(s).gaps.length)
      .sort(
        (a, b) =>
          Number(ev(b).gaps.includes(GapReason.CONTESTED)) - Number(ev(a).gaps.includes(GapReason.CONTESTED)) ||
          GAP_KIND_ORDER.indexOf(a.kind) - GAP_KIND_ORDER.indexOf(b.kind) ||
          ev(b).gaps.length - ev(a).gaps.length ||
          compareText(a.text, b.text) ||
          compareText(a.id, b.id),
      );
    gaps = weak.slice(0, limit).map((s) => {
      // A relation's sentence names both its actors.
      if (s.kind === 'RELATION') mention(s.actor, s.counterpart);
      return gapOf(statementOf(s), ev(s));
    });
    size(BriefSection.GAPS, gaps.length, weak.length);
  }

  const bibliography: BibliographyEntry[] = [...numbers.values()].map(({ number, source }) => ({
    number,
    id: toGlobalId('Source', source.id),
    title: source.name,
    kind: source.kind,
    publisher: source.publisher,
    publishedOn: source.publishedOn,
    reliability: source.reliability as Reliability,
    url: source.url,
    description: source.description ?? null,
    marking: source.marking,
  }));
  if (wanted(BriefSection.SOURCES)) for (const { source } of numbers.values()) mention(publisherOf(source));
  const entries = new Set((actors ?? []).map((a) => a.id));
  const mentionedActors: MentionedActor[] | null = actors
    ? [...mentioned.values()]
        .filter((a) => !entries.has(toGlobalId('Actor', a.id)))
        .sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id))
        .map((a) => ({ id: toGlobalId('Actor', a.id), name: a.name, kind: a.kind, description: a.description ?? null }))
    : null;
  if (wanted(BriefSection.SOURCES)) size(BriefSection.SOURCES, bibliography.length, bibliography.length);
  const dates = bibliography
    .map((b) => b.publishedOn)
    .filter((d): d is string => d !== null)
    .sort();

  return {
    title: scope.title ?? titleOf(data),
    marking: markingOf(data),
    clearance: scope.clearance,
    scope: scopeText(scope, data),
    sections: scope.sections,
    bottomLine,
    actors,
    mentionedActors,
    implications: judgments,
    timeline,
    sources: wanted(BriefSection.SOURCES) ? bibliography : null,
    gaps,
    gapCounts: Object.values(GapReason).map((reason) => ({
      reason,
      count: data.statements.filter((s) => ev(s).gaps.includes(reason)).length,
    })),
    sectionSizes: sizes.sort((a, b) => scope.sections.indexOf(a.section) - scope.sections.indexOf(b.section)),
    statementCount: data.statements.length,
    latestSourceDate: dates.at(-1) ?? null,
  };
}

/**
 * The brief's marking: the highest of everything it was built from, not only of what made it past the caps, since
 * its counts, its gaps summary and a scheduled run's delta speak of all of it.
 */
function markingOf(data: BriefData): Marking {
  const markings: Marking[] = [...data.topics.map((t) => t.marking), ...data.actors.map((a) => a.marking)];
  for (const s of data.statements) {
    markings.push(s.marking, ...(s.affectedActors ?? []).map((a) => a.marking));
    if (s.actor) markings.push(s.actor.marking);
    if (s.counterpart) markings.push(s.counterpart.marking);
    if (s.location) markings.push(s.location.marking);
    for (const c of s.citations) {
      markings.push(c.marking, c.source.marking);
      if (c.source.publisherMarking) markings.push(c.source.publisherMarking);
      if (c.original) markings.push(c.original.marking);
      if (c.original?.publisherMarking) markings.push(c.original.publisherMarking);
    }
  }
  return highestMarking(markings);
}

/** The publisher as an actor the brief names; null when unknown or hidden from the reader. */
function publisherOf(source: SourceRow): NamedActorRow | null {
  if (!source.publisherId || source.publisher === null) return null;
  return {
    id: source.publisherId,
    name: source.publisher,
    kind: source.publisherKind ?? '',
    description: source.publisherDescription ?? null,
    marking: source.publisherMarking!,
  };
}

/** A statement in the brief's voice; a relation is vouched for in its "A: type of B", not in its description. */
function voiceOfStatement(s: StatementRow, e: Evidence) {
  if (s.kind !== 'RELATION') return voiceOf(s.text, null, e, { judgment: s.kind === 'IMPLICATION' });
  const claim = relationClaim(s);
  return voiceOf(claim, s.text.slice(claim.length).trim() || null, e, { relation: true });
}

const bestCredibility = (e: Evidence) => Math.min(7, ...e.supporting.map((c) => c.credibility));

function gapOf(statement: BriefStatement, e: Evidence): BriefGap {
  const words = e.gaps.map((reason) =>
    reason === GapReason.SINGLE_SOURCED && e.relays ? `only one original source supports it, ${relayedBy(e.relays)}` : GAP_WORDS[reason],
  );
  const explanation = `${words.join('; ')}.`;
  return { statement, reasons: e.gaps, explanation: explanation.charAt(0).toUpperCase() + explanation.slice(1) };
}

function titleOf(data: BriefData): string {
  if (data.topics.length) return data.topics.map((t) => t.title).join('; ');
  return `Actors: ${data.actors.map((a) => a.name).join(', ')}`;
}

function scopeText(scope: BriefScope, data: BriefData): string {
  const parts: string[] = [];
  if (data.topics.length) parts.push(`${data.topics.length === 1 ? 'Topic' : 'Topics'}: ${data.topics.map((t) => t.title).join('; ')}`);
  if (data.actors.length) parts.push(`Actors: ${data.actors.map((a) => a.name).join(', ')}`);
  const from = scope.from ? dateAt(scope.from) : null;
  const to = scope.to ? dateAt(scope.to) : null;
  const window = from && to ? `${from} to ${to}` : from ? `from ${from}` : to ? `up to ${to}` : null;
  // Said, since an event known only to its month or year may be in a window without being dated in it.
  parts.push(window ? `Window: ${window} (an event known only to its month or year is in it when that period overlaps it)` : 'Window: any date');
  parts.push(`Citations: credibility 1-${scope.minCredibility}, sources graded A-${scope.minReliability}; denials at any grade`);
  parts.push(`Reader clearance: ${tlpLabel(scope.clearance)}`);
  return parts.join('. ') + '.';
}
