import { createHash } from 'node:crypto';
import { BriefSection } from './brief.inputs';
import { dateAt, esc, locatorText, relayedBy, RELIABILITY_LABEL, tlpLabel } from './brief.phrases';
import { ReportingVerb } from '../citation/reporting-verb';
import { GapReason, StatementKind, type BriefSections, type BriefStatement, type KeyJudgment, type SectionSize, type SourceRef } from './brief.types';

export interface RenderOptions {
  /**
   * For the HTML page: each reference's number links to its bibliography entry (`#source-n`), and the marking lines
   * are left to the page's own repeating header and footer. The Markdown brief itself is always rendered without.
   */
  linked?: boolean;
}

// A citation without quotable text (a dataset, a chart) is shown by where it points: "[8 A1 (p. 12, para. 3)]".
const ref = (r: SourceRef, linked: boolean) => {
  const locator = locatorText(r);
  const number = linked ? `[${r.number}](#source-${r.number})` : String(r.number);
  return `${number} ${r.reliability}${r.credibility}${r.verb === ReportingVerb.DENIES ? ' denies' : ''}${locator ? ` (${locator})` : ''}`;
};

// Linked, the brackets around the references are escaped so that they stay text around the links.
const refsOf = (linked: boolean) => (s: BriefStatement) =>
  s.sources.length ? ` ${linked ? '\\[' : '['}${s.sources.map((r) => ref(r, linked)).join(', ')}${linked ? '\\]' : ']'}` : '';

/** Every statement the brief shows, in any section. */
const shownStatements = (brief: BriefSections): BriefStatement[] => [
  ...[...(brief.bottomLine ?? []), ...(brief.implications ?? []), ...(brief.timeline ?? []), ...(brief.gaps ?? [])].map((x) => x.statement),
  ...(brief.actors ?? []).flatMap((a) => [...a.capabilities, ...a.challenges, ...a.relations]),
];

/** Independence as counted over original reporting (brief.evidence.ts): relays are said, never counted as corroboration. */
const corroboration = (s: BriefStatement) => {
  if (s.corroborated) return ` Corroborated by ${s.independentSources} independent sources${s.relayedBy ? `, ${relayedBy(s.relayedBy)}` : ''}.`;
  return s.originalSource ? ` One original source (${esc(s.originalSource)}), ${relayedBy(s.relayedBy)}.` : '';
};

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
const words = (code: string) => code.toLowerCase().replace(/_/g, ' ');

/** A judgment says what its source gives and that the rest is not assessed: nothing is filled in. */
function judgmentLine(j: KeyJudgment, withContext: boolean, refs: (s: BriefStatement) => string): string {
  const quantity = j.statement.quantityText ? ` Quantity: ${esc(j.statement.quantityText)}.` : '';
  const asOf = j.asOf ? ` As of ${dateAt(j.asOf)}.` : '';
  const actors = j.affectedActors.length ? `Bears on ${j.affectedActors.map(esc).join(', ')}` : 'Affected actors not assessed';
  const scope = j.scope ? `${words(j.scope)} scope` : 'scope not assessed';
  const horizon = j.horizon ? `${words(j.horizon)} horizon` : 'horizon not assessed';
  const context = withContext ? ` ${actors}; ${scope}, ${horizon}.` : '';
  return `${sentence(esc(j.judgment))}${quantity}${asOf} ${j.confidenceStatement}${context}${corroboration(j.statement)}${refs(j.statement)}`;
}

function statementLine(s: BriefStatement, refs: (s: BriefStatement) => string): string {
  // A relation's sentence already says its type.
  // The label from the vocabulary; a statement stored before it had one reads as its term in words.
  const label = s.categoryLabel ?? (s.category ? words(s.category).replace(/^./, (c) => c.toUpperCase()) : null);
  const category = label && s.kind !== StatementKind.RELATION ? `${esc(label)}: ` : '';
  const quantity = s.quantityText ? ` Quantity: ${esc(s.quantityText)}.` : '';
  return `- ${category}${sentence(esc(s.sentence))}${quantity}${corroboration(s)}${refs(s)}`;
}

/** A closing line for a section cut at the cap, as its own paragraph. */
const more = (size: SectionSize | undefined, noun: string, nouns: string) => {
  const hidden = size ? size.total - size.shown : 0;
  return hidden > 0 ? [`_${hidden} more ${hidden === 1 ? noun : nouns} in scope, not shown._`, ''] : [];
};

/** The brief in Markdown. Deterministic: nothing in it depends on the clock, the machine or the order rows arrive. */
export function renderMarkdown(brief: BriefSections, { linked = false }: RenderOptions = {}): string {
  const refs = refsOf(linked);
  const size = (section: BriefSection) => brief.sectionSizes.find((s) => s.section === section);
  const lines: string[] = [...(linked ? [] : [`**${tlpLabel(brief.marking)}**`, '']), `# ${esc(brief.title)}`, '', esc(brief.scope), ''];
  const latest = brief.latestSourceDate ? ` Newest dated source: ${dateAt(brief.latestSourceDate)}.` : '';
  lines.push(`Marking ${tlpLabel(brief.marking)}, the highest of anything in this brief. ${brief.statementCount} statements in scope.${latest}`, '');
  if (brief.bottomLine) {
    lines.push('## Bottom line', '');
    if (!brief.bottomLine.length) lines.push('No analytic judgments in scope.');
    brief.bottomLine.forEach((j, i) => lines.push(`${i + 1}. ${judgmentLine(j, false, refs)}`));
    lines.push('');
  }
  if (brief.actors) {
    lines.push('## Actors', '');
    if (!brief.actors.length) lines.push('No capabilities or challenges in scope.', '');
    for (const actor of brief.actors) {
      lines.push(`### ${esc(actor.name)}`, '');
      if (actor.description) lines.push(sentence(esc(actor.description)), '');
      for (const [label, items, total] of [
        ['Capabilities', actor.capabilities, actor.capabilityCount],
        ['Challenges', actor.challenges, actor.challengeCount],
        ['Relations', actor.relations, actor.relationCount],
      ] as const) {
        if (!total) continue;
        lines.push(`${label}:`, '', ...items.map((s) => statementLine(s, refs)));
        if (total > items.length) lines.push('', `_${total - items.length} more not shown._`);
        lines.push('');
      }
    }
    lines.push(...more(size(BriefSection.ACTORS), 'actor', 'actors'));
    if (brief.mentionedActors?.length) {
      lines.push('Also mentioned:', '');
      for (const a of brief.mentionedActors) lines.push(`- ${esc(a.name)}${a.description ? `: ${sentence(esc(a.description))}` : ''}`);
      lines.push('');
    }
  }
  if (brief.implications) {
    lines.push('## Implications', '');
    if (!brief.implications.length) lines.push('No analytic judgments in scope.');
    brief.implications.forEach((j, i) => lines.push(`${i + 1}. ${judgmentLine(j, true, refs)}`));
    lines.push('', ...more(size(BriefSection.IMPLICATIONS), 'implication', 'implications'));
  }
  if (brief.timeline) {
    lines.push('## Timeline', '');
    if (!brief.timeline.length) lines.push('No events in scope.');
    for (const e of brief.timeline) {
      const where = e.location ? `, ${esc(e.location)}` : '';
      const description = e.description ? ` ${sentence(esc(e.description))}` : '';
      lines.push(`- **${e.when}**${where}: ${sentence(esc(e.statement.sentence))}${description}${corroboration(e.statement)}${refs(e.statement)}`);
    }
    lines.push('', ...more(size(BriefSection.TIMELINE), 'earlier event', 'earlier events'));
    // Where the events happened, said once per place.
    const places = new Map(brief.timeline.filter((e) => e.location && e.locationDescription).map((e) => [e.location!, e.locationDescription!]));
    if (places.size) {
      lines.push('Places:', '');
      for (const [name, description] of places) lines.push(`- ${esc(name)}: ${sentence(esc(description))}`);
      lines.push('');
    }
  }
  if (brief.sources) {
    const located = shownStatements(brief).some((s) => s.sources.some((r) => locatorText(r) !== null));
    lines.push(
      '## Sources',
      '',
      'A reference [n Xk] is source n, its reliability X (A-F) and the credibility k (1-6) of what it says; "denies" marks a source that says it is not so. A statement no source asserts (its sources allege it, speculate, hedge it or give it credibility 4-6) is written as their claim, not as fact. Sources are independent when their publishers differ, as known at this brief\'s clearance: a source whose publisher is unknown counts as its own. Independence is counted over original reporting: a source that passes on another\'s reporting is one voice with that original, never its corroboration ("one original source, relayed by n other sources").' +
        (located ? ' Words in parentheses after a reference say where in the source to look: page, paragraph, address, day read.' : ''),
      '',
    );
    for (const s of brief.sources) {
      const by = [s.publisher ? esc(s.publisher) : 'Publisher unknown', s.publishedOn ? dateAt(s.publishedOn) : 'undated'].join(', ');
      const url = s.url ? ` <${s.url}>` : '';
      const about = s.description ? ` ${sentence(esc(s.description))}` : '';
      lines.push(`${s.number}. ${sentence(esc(s.title))} ${by}. Reliability ${s.reliability} (${RELIABILITY_LABEL[s.reliability]}).${about}${url}`);
    }
    if (!brief.sources.length) lines.push('No sources cited.');
    lines.push('');
  }
  if (brief.gaps) {
    lines.push('## Gaps', '');
    lines.push(gapSummary(brief), '');
    for (const g of brief.gaps) lines.push(`- ${sentence(esc(g.statement.sentence))} ${g.explanation}${refs(g.statement)}`);
    lines.push('', ...more(size(BriefSection.GAPS), 'weak statement', 'weak statements'));
  }
  if (!linked) lines.push(`**${tlpLabel(brief.marking)}**`, '');
  return lines.join('\n');
}

const GAP_COUNTS: Array<[GapReason, string]> = [
  [GapReason.SINGLE_SOURCED, 'single-sourced'],
  [GapReason.SAME_PUBLISHER_ONLY, 'from one publisher only'],
  [GapReason.UNRELIABLE_SOURCES_ONLY, 'resting only on unreliable sources (D/E)'],
  [GapReason.UNGRADED_SOURCES_ONLY, 'resting only on sources whose reliability cannot be judged (F)'],
  [GapReason.LOW_CREDIBILITY_ONLY, 'resting only on low-credibility information (4-6)'],
  [GapReason.CONTESTED, 'contested'],
];

/** The weak spots counted by reason, over every statement in scope (not only those listed). */
function gapSummary(brief: BriefSections): string {
  const total = brief.sectionSizes.find((s) => s.section === BriefSection.GAPS)?.total ?? 0;
  if (!total) return 'No weak spots: every statement in scope is supported by independent, graded sources.';
  const counts = GAP_COUNTS.map(([reason, words]) => `${brief.gapCounts.find((g) => g.reason === reason)?.count ?? 0} ${words}`);
  return `${total} of ${brief.statementCount} statements in scope have weak spots: ${counts.join(', ')}.`;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
