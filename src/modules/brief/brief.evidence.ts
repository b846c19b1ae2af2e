import { compareText } from './brief.phrases';
import type { CitationRow, SourceRow, StatementRow } from './brief.read';
import { GapReason } from './brief.types';

/** What stands behind one statement: who supports it, who denies it, and how independent they are. */
export interface Evidence {
  supporting: CitationRow[];
  denials: CitationRow[];
  /** Distinct supporting sources, best graded first. */
  sources: CitationRow[];
  /** What the brief points to: the supporting sources, then the denying ones. */
  refs: CitationRow[];
  /** Independent original voices: distinct publishers of the original reporting behind the supporting citations. */
  independentPublishers: number;
  /** Supporting sources that pass on another's reporting (as the reader may see it). */
  relays: number;
  /** The one original voice, named, when all support comes from it and some of it is relayed. */
  soleOriginal: string | null;
  corroborated: boolean;
  gaps: GapReason[];
}

// Independence is counted over original reporting. A citation speaks with the voice of the original it relays (its
// own `relayedFrom`, else its source's `relays`), or with its source's own when it relays none: relays of one original
// are one voice with it, so a relay never corroborates its original, and a relay with no known publisher (an
// unattributed article) adds nothing by itself. Two voices are independent when their publishers differ; a source
// whose publisher is unknown is its own publisher.
//
// Access: only what the reader may see is counted. A relay link to an original the reader may not see reads as if it
// were not recorded (brief.read.ts drops it), exactly as a hidden publisher reads as unknown: the relay then counts as
// its own voice, and no name, id, grouping or count ("relayed by N" counts visible relays of a visible original)
// depends on the hidden original, so its existence cannot be inferred from the brief.

/** The source whose reporting a citation passes on: the original it relays, or its own source. */
export const originOf = (c: CitationRow): SourceRow => c.original ?? c.source;

const publisherOf = (s: SourceRow) => s.publisherId ?? `source:${s.id}`;

/** How the brief names a source in a sentence: its publisher, when the reader may see it, else its title. */
export const sourceName = (s: SourceRow) => s.publisher ?? s.name;

const byGrade = (a: CitationRow, b: CitationRow) =>
  compareText(a.source.reliability, b.source.reliability) ||
  a.credibility - b.credibility ||
  compareText(a.source.name, b.source.name) ||
  compareText(a.verb, b.verb) ||
  compareText(a.id, b.id);

/** Corroboration is computed: two supporting original voices with different publishers. A denial supports nothing. */
export function evidenceOf(statement: StatementRow): Evidence {
  const supporting = statement.citations.filter((c) => c.verb !== 'DENIES');
  const denials = statement.citations.filter((c) => c.verb === 'DENIES');
  const sources = bestPerSource(supporting);
  const originals = new Map(supporting.map((c) => [originOf(c).id, originOf(c)]));
  const independentPublishers = new Set([...originals.values()].map(publisherOf)).size;
  const relays = new Set(supporting.filter((c) => c.original).map((c) => c.source.id)).size;
  const gaps: GapReason[] = [];
  if (originals.size === 1) gaps.push(GapReason.SINGLE_SOURCED);
  if (originals.size > 1 && independentPublishers === 1) gaps.push(GapReason.SAME_PUBLISHER_ONLY);
  if (sources.length && sources.every((c) => c.source.reliability === 'D' || c.source.reliability === 'E')) {
    gaps.push(GapReason.UNRELIABLE_SOURCES_ONLY);
  }
  if (sources.length && sources.every((c) => c.source.reliability === 'F')) gaps.push(GapReason.UNGRADED_SOURCES_ONLY);
  if (supporting.length && supporting.every((c) => c.credibility >= 4)) gaps.push(GapReason.LOW_CREDIBILITY_ONLY);
  if (denials.length) gaps.push(GapReason.CONTESTED);
  const first = [...originals.values()].sort((a, b) => compareText(a.reliability, b.reliability) || compareText(a.name, b.name))[0];
  return {
    supporting,
    denials,
    sources,
    refs: [...sources, ...bestPerSource(denials)],
    independentPublishers,
    relays,
    soleOriginal: independentPublishers === 1 && relays > 0 ? sourceName(first) : null,
    corroborated: independentPublishers >= 2,
    gaps,
  };
}

function bestPerSource(citations: CitationRow[]): CitationRow[] {
  const best = new Map<string, CitationRow>();
  for (const c of [...citations].sort(byGrade)) if (!best.has(c.source.id)) best.set(c.source.id, c);
  return [...best.values()];
}
