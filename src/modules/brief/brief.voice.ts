// How strongly a brief may say a statement: as fact, or as what its sources claim. The one rule every renderer
// (Markdown, HTML, JSON) takes its sentences from.
//
// A citation asserts when its source puts the statement without a hedge: a verb other than ALLEGES or SPECULATES,
// no hedging words in its quote ("allegedly", "reportedly", "appears to" ...) and credibility 1-3. Credibility 4-6
// (doubtful, improbable, cannot be judged) is not established information, whatever the verb. A source that hedges
// anywhere it supports a statement hedges all its support of it: its other words are about the same thing.
// A statement is written as fact when at least one source asserts it; otherwise as its sources' claim ("Army
// Recognition alleges that ..."), unless its own words already carry the hedge ("... reportedly stationed ...").
// A denial is always said beside what it denies. A judgment is never re-worded: its likelihood and confidence are
// its hedge, and it is ours.
// Each claim is its original's: a relay is named by the source it relays, and a relay never words a claim more
// strongly than its original does (their citations are one voice).
import { originOf, sourceName } from './brief.evidence';
import type { CitationRow } from './brief.read';

/** Words by which a source says it has not established what it passes on. */
const HEDGE =
  /\b(allegedly|alleged|reportedly|purportedly|supposedly|apparently|appears? to|appeared to|seems? to|seemed to|said to|unconfirmed|unverified)\b/i;

/** Credibility 4-6 (doubtful, improbable, cannot be judged): not established, so never written as fact. */
export const LOW_CREDIBILITY = 4;

export const hedges = (text: string | null) => text !== null && HEDGE.test(text);

const hedged = (c: CitationRow) => c.verb === 'ALLEGES' || c.verb === 'SPECULATES' || c.credibility >= LOW_CREDIBILITY || hedges(c.quote);

/** Who said it: the original a citation relays (as the reader may see it), else its source; by publisher, else title. */
const nameOf = (c: CitationRow) => sourceName(originOf(c));

/** The verb a sentence gives a source, in the singular and the plural. */
function verbOf(c: CitationRow): [string, string] {
  if (c.verb === 'ALLEGES') return ['alleges', 'allege'];
  if (c.verb === 'SPECULATES') return ['speculates', 'speculate'];
  if (c.verb === 'REPORTS' && hedges(c.quote)) return ['reports, without confirming it,', 'report, without confirming it,'];
  if (c.verb === 'CONDEMNS' || c.verb === 'DENIES') return ['says', 'say'];
  const singular = c.verb.toLowerCase();
  return [singular, singular.replace(/s$/, '')];
}

const list = (names: string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

// Which of a source's citations speaks for it in the sentence: its strongest hedge.
const HEDGE_ORDER = (c: CitationRow) =>
  c.verb === 'ALLEGES' ? 0 : c.verb === 'SPECULATES' ? 1 : hedges(c.quote) ? 2 : c.credibility >= LOW_CREDIBILITY ? 3 : 4;

/** "Army Recognition alleges", "UK Defence Intelligence and NATO report": one clause per verb, sources in citation order. */
function claimants(bySource: CitationRow[][]): string {
  const byVerb = new Map<string, { verb: [string, string]; names: string[] }>();
  for (const cs of bySource) {
    const c = [...cs].sort((a, b) => HEDGE_ORDER(a) - HEDGE_ORDER(b))[0];
    const verb = verbOf(c);
    const group = byVerb.get(verb[0]) ?? byVerb.set(verb[0], { verb, names: [] }).get(verb[0])!;
    if (!group.names.includes(nameOf(c))) group.names.push(nameOf(c));
  }
  return list([...byVerb.values()].map(({ verb, names }) => `${list(names)} ${names.length > 1 ? verb[1] : verb[0]}`));
}

/** "Russia denies it.", "Russia and Iran deny it.": null when no source in scope denies it. */
export function denialOf(denials: CitationRow[]): string | null {
  const names = [...new Set(denials.map(nameOf))];
  return names.length ? `${list(names)} ${names.length > 1 ? 'deny' : 'denies'} it.` : null;
}

const period = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
// After "... that", a sentence's leading article is no longer its first word; a name keeps its capital.
const continued = (text: string) => text.replace(/^(The|A|An|This|These|Those|Its|Their|Some|Several|Few|Many)\b/, (w) => w.toLowerCase());

export interface Voice {
  /** The statement as the brief writes it, with who denies it. */
  sentence: string;
  /** True when it is written as what its sources claim (or deny) rather than as fact. */
  attributed: boolean;
}

/**
 * The sentence for a statement. `claim` is what its sources vouch for (a relation's "A: type of B"); `rest` follows it
 * unchanged (a relation's description). A judgment is never attributed; a relation is attributed after its claim.
 */
export function voiceOf(
  claim: string,
  rest: string | null,
  evidence: { supporting: CitationRow[]; denials: CitationRow[] },
  { judgment = false, relation = false } = {},
): Voice {
  const bySource = new Map<string, CitationRow[]>();
  for (const c of evidence.supporting) bySource.set(originOf(c).id, [...(bySource.get(originOf(c).id) ?? []), c]);
  const asserted = [...bySource.values()].some((cs) => !cs.some(hedged));
  const bare = claim.replace(/\.$/, '');
  const denial = denialOf(evidence.denials);
  let text = period(claim);
  let attributed = false;
  if (!judgment && !evidence.supporting.length && evidence.denials.length) {
    // Nothing in scope supports it: it stands only as what is denied, so the denial is the sentence.
    const names = [...new Set(evidence.denials.map(nameOf))];
    text = `${capital(list(names))} ${names.length > 1 ? 'deny' : 'denies'} that ${continued(bare)}.`;
    attributed = true;
  } else if (!judgment && !asserted && !hedges(claim)) {
    text = relation ? `${bare}, ${claimants([...bySource.values()])}.` : `${capital(claimants([...bySource.values()]))} that ${continued(bare)}.`;
    attributed = true;
  }
  const beside = attributed && !evidence.supporting.length ? null : denial;
  return { sentence: [text, rest, beside].filter((t): t is string => !!t).join(' '), attributed };
}
