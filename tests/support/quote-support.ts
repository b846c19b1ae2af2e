// Whether the quotes of a seed statement carry what it says, judged on words: the statement's key terms (content words,
// simply stemmed, leaving out the names of the scenario's actors and places, which its links check) must mostly appear
// in its quotes. A paraphrase passes; a statement whose claim comes from nowhere in its quotes does not.

const STOP_WORDS = new Set(
  `a about after against all also an and any are as at be because been before being between both but by can could did do does
  each either for from had has have he her his how if in into is it its itself may might more most much must neither no nor not
  now of on once only or other others our out over own same she should so some such than that the their them then there these
  they this those through to too under until up very was we were what when where which while who whom whose why will with
  would yet us`.split(/\s+/),
);

/** A crude suffix stemmer: enough for "deployed", "deployment" and "deploys" to meet. */
export function stem(word: string): string {
  let w = word.replace(/'s?$/, '');
  if (w.length <= 4) return w;
  w = w.replace(/(ities|ity|ations|ation|ments|ment|ingly|ings|ing|edly|ed|ies|es|s|ly|ised|ized|ise|ize|al|ive|ions|ion)$/, '');
  return w.replace(/(e|y|i)$/, '');
}

/** The words of a text, lower case, curly apostrophes straightened, hyphenated words split. */
export const wordsOf = (text: string) =>
  (
    text
      .toLowerCase()
      .replace(/’/g, "'")
      .match(/[a-z0-9][a-z0-9'-]*/g) ?? []
  )
    .flatMap((w) => w.split('-'))
    .filter((w) => w !== '');

/** The key terms of a statement: its stemmed content words that are not names of the scenario's actors and places. */
export function keyTerms(text: string, names: Set<string>): string[] {
  const terms = wordsOf(text)
    .filter((w) => !STOP_WORDS.has(w) && !/^\d+$/.test(w))
    .map(stem)
    .filter((w) => w !== '' && !names.has(w));
  return [...new Set(terms)];
}

export interface Support {
  terms: string[];
  /** Key terms that none of the quotes has. */
  missing: string[];
  supported: boolean;
}

/** At least half of the statement's key terms must appear in its quotes, taken together. */
export function quoteSupport(statement: string, quotes: string[], names: Set<string>): Support {
  const quoted = new Set(quotes.flatMap(wordsOf).map(stem));
  const terms = keyTerms(statement, names);
  const missing = terms.filter((t) => !quoted.has(t));
  return { terms, missing, supported: terms.length > 0 && missing.length * 2 <= terms.length };
}
