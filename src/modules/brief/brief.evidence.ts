import { compareText } from './brief.phrases';
import type { CitationRow, StatementRow } from './brief.read';
import { GapReason } from './brief.types';

/** What stands behind one statement: who supports it, who denies it, and how independent they are. */
export interface Evidence {
  supporting: CitationRow[];
  denials: CitationRow[];
  /** Distinct supporting sources, best graded first. */
  sources: CitationRow[];
  /** What the brief points to: the supporting sources, then the denying ones. */
  refs: CitationRow[];
  independentPublishers: number;
  corroborated: boolean;
  gaps: GapReason[];
}

// A source without a publisher known to the reader counts as its own publisher.
const publisherOf = (c: CitationRow) => c.source.publisherId ?? `source:${c.source.id}`;

const byGrade = (a: CitationRow, b: CitationRow) =>
  compareText(a.source.reliability, b.source.reliability) ||
  a.credibility - b.credibility ||
  compareText(a.source.name, b.source.name) ||
  compareText(a.verb, b.verb) ||
  compareText(a.id, b.id);

/** Corroboration is computed: two supporting sources with different publishers. A denial supports nothing. */
export function evidenceOf(statement: StatementRow): Evidence {
  const supporting = statement.citations.filter((c) => c.verb !== 'DENIES');
  const denials = statement.citations.filter((c) => c.verb === 'DENIES');
  const sources = bestPerSource(supporting);
  const independentPublishers = new Set(supporting.map(publisherOf)).size;
  const gaps: GapReason[] = [];
  if (sources.length === 1) gaps.push(GapReason.SINGLE_SOURCED);
  if (sources.length > 1 && independentPublishers === 1) gaps.push(GapReason.SAME_PUBLISHER_ONLY);
  if (sources.length && sources.every((c) => c.source.reliability === 'D' || c.source.reliability === 'E')) {
    gaps.push(GapReason.UNRELIABLE_SOURCES_ONLY);
  }
  if (sources.length && sources.every((c) => c.source.reliability === 'F')) gaps.push(GapReason.UNGRADED_SOURCES_ONLY);
  if (supporting.length && supporting.every((c) => c.credibility >= 4)) gaps.push(GapReason.LOW_CREDIBILITY_ONLY);
  if (denials.length) gaps.push(GapReason.CONTESTED);
  return { supporting, denials, sources, refs: [...sources, ...bestPerSource(denials)], independentPublishers, corroborated: independentPublishers >= 2, gaps };
}

function bestPerSource(citations: CitationRow[]): CitationRow[] {
  const best = new Map<string, CitationRow>();
  for (const c of [...citations].sort(byGrade)) if (!best.has(c.source.id)) best.set(c.source.id, c);
  return [...best.values()];
}
