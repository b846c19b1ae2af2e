// How a brief puts things into words. Pure functions: the same value always gives the same text.
import type { Marking } from '../../common/marking';
import type { QuantityRow } from './brief.read';

/** ICD 203 likelihood terms with their probability ranges (ICD 203, Analytic Standards, 2015: its table of expressions of likelihood). */
export const LIKELIHOOD: Record<string, { term: string; range: string }> = {
  ALMOST_NO_CHANCE: { term: 'Almost no chance', range: '1-5%' },
  VERY_UNLIKELY: { term: 'Very unlikely', range: '5-20%' },
  UNLIKELY: { term: 'Unlikely', range: '20-45%' },
  ROUGHLY_EVEN_CHANCE: { term: 'Roughly even chance', range: '45-55%' },
  LIKELY: { term: 'Likely', range: '55-80%' },
  VERY_LIKELY: { term: 'Very likely', range: '80-95%' },
  ALMOST_CERTAIN: { term: 'Almost certain', range: '95-99%' },
};
export const LIKELIHOOD_ORDER = Object.keys(LIKELIHOOD);
export const CONFIDENCE_ORDER = ['LOW', 'MODERATE', 'HIGH'];

export const RELIABILITY_LABEL: Record<string, string> = {
  A: 'completely reliable',
  B: 'usually reliable',
  C: 'fairly reliable',
  D: 'not usually reliable',
  E: 'unreliable',
  F: 'reliability cannot be judged',
};

/** A likelihood term and its range, never with the confidence: ICD 203 keeps the two in separate sentences. */
export const judgmentPhrase = (likelihood: string, statement: string) => `${LIKELIHOOD[likelihood].term} (${LIKELIHOOD[likelihood].range}): ${statement}`;

/** The confidence sentence; a judgment whose source gives none says so rather than being given one. */
export const confidencePhrase = (confidence: string | null | undefined) =>
  confidence ? `We hold this judgment with ${confidence.toLowerCase()} confidence.` : 'Confidence not assessed.';

export const tlpLabel = (marking: Marking) => `TLP:${marking.replace('_', '+')}`;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A date as a person writes it at the precision it is known: "2024", "August 2024", "3 November 2024". */
export function dateAt(isoDate: string, precision: 'DAY' | 'MONTH' | 'YEAR' = 'DAY'): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  if (precision === 'YEAR') return String(year);
  if (precision === 'MONTH') return `${MONTHS[month - 1]} ${year}`;
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** When an event happened, never implying a day it does not have: "During 2024", "In August 2024", "On 3 November 2024". */
export function occurredPhrase(isoDate: string, precision: 'DAY' | 'MONTH' | 'YEAR'): string {
  const at = dateAt(isoDate, precision);
  return precision === 'YEAR' ? `During ${at}` : precision === 'MONTH' ? `In ${at}` : `On ${at}`;
}

// Fixed grouping, independent of the machine's locale.
const number = (n: number) => {
  const [whole, fraction] = String(Math.abs(n)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
};

/**
 * A quantity in words: an exact count as it is ("12 vessels"), a range as one ("9,000-12,000 troops", "about 10,000
 * troops", "at least 1,200,000 soldiers").
 */
export function quantityText(q: QuantityRow | null | undefined): string | null {
  if (!q) return null;
  const unit = q.unit ? ` ${q.unit}` : '';
  const range = q.low !== null && q.high !== null ? `${number(q.low)}-${number(q.high)}` : null;
  let text: string;
  if (q.exact && q.best !== null) text = number(q.best);
  else if (q.best !== null) text = range ? `about ${number(q.best)} (range ${range})` : `about ${number(q.best)}`;
  else if (range) text = range;
  else if (q.low !== null) text = `at least ${number(q.low)}`;
  else if (q.high !== null) text = `at most ${number(q.high)}`;
  else return null;
  return `${text}${unit}${q.asStated ? ` (stated as "${q.asStated}")` : ''}`;
}

/** Where in its source a citation points, in Markdown ("p. 12, para. 3, accessed 3 May 2025"); null without a locator. */
export function locatorText(c: { url: string | null; page: string | null; paragraph: string | null; accessedOn: string | null }): string | null {
  const parts = [
    c.page !== null ? `p. ${esc(c.page)}` : null,
    c.paragraph !== null ? `para. ${esc(c.paragraph)}` : null,
    // Checked on the way in: an http(s) address without spaces or angle brackets, safe as a Markdown autolink.
    c.url !== null ? `<${c.url}>` : null,
    c.accessedOn !== null ? `accessed ${dateAt(c.accessedOn)}` : null,
  ].filter((p) => p !== null);
  return parts.length ? parts.join(', ') : null;
}

/** Code-point order: unlike localeCompare it is the same on every machine, so renderings stay byte-identical. */
export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Data text must read as text, not as Markdown syntax, and stay on its line. */
export const esc = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);

/** How the brief says that `n` other sources passed an original's reporting on. */
export const relayedBy = (n: number) => `relayed by ${n} other source${n === 1 ? '' : 's'}`;
