// Every statement of the seed says what its quotes say: the words are checked, the sense is the analyst's to read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { quoteSupport, stem, wordsOf } from './support/quote-support';

interface Citation {
  quote?: string;
}
interface Named {
  name: string;
  aliases?: string[];
}
interface Statement {
  key: string;
  statement?: string;
  title?: string;
  citations: Citation[];
}

const seed = parse(readFileSync(join(__dirname, '..', 'fixtures', 'seed', 'dprk-troops-in-russia.yaml'), 'utf8'));

// Names refer; the statement's links (actor, place) check them, not its quotes. "North Korean" names as "North Korea" does.
const names = new Set(
  [...(seed.actors as Named[]), ...(seed.locations as Named[])]
    .flatMap((n) => [n.name, ...(n.aliases ?? [])])
    .concat(['North Korean', 'Russian', 'Ukrainian'])
    .flatMap(wordsOf)
    .map(stem),
);

// A relation's claim is the typed link between two actors, which words cannot check; its description is context.
const statements: Array<[string, string, string[]]> = ['capabilities', 'challenges', 'implications', 'events'].flatMap((list) =>
  (seed[list] as Statement[]).map((s): [string, string, string[]] => [`${list}/${s.key}`, (s.statement ?? s.title)!, s.citations.map((c) => c.quote ?? '')]),
);

test('the seed has statements of every checked kind to check', () => {
  expect(statements.length).toBeGreaterThanOrEqual(40);
});

test.each(statements)('%s: its quotes carry most of its key terms', (_key, statement, quotes) => {
  const support = quoteSupport(statement, quotes, names);
  expect({ statement, missing: support.missing, supported: support.supported }).toEqual({ statement, missing: support.missing, supported: true });
});

// Statements the seed once carried, whose quotes did not say it: the check must refuse them.
test.each([
  [
    'Russian units receiving North Korean troops have too few Korean interpreters to bridge the language gap.',
    ['few North Korean soldiers are fluent in Russian'],
  ],
  [
    'Heavy North Korean losses in the Kursk region lead Pyongyang to send further troops rather than withdraw them.',
    ['the latter’s military forces now stand poised to bolster Russian campaigns in Ukraine'],
  ],
])('a statement its quotes do not carry is refused: %s', (statement, quotes) => {
  const support = quoteSupport(statement, quotes, names);
  expect(support.terms.length).toBeGreaterThan(2);
  expect(support.supported).toBe(false);
});

test('a paraphrase of its quote passes: stems meet across word forms', () => {
  const support = quoteSupport('North Korean troops were deployed in training.', ['the deployment of trained troops'], names);
  expect(support).toEqual({ terms: ['deplo', 'train'], missing: [], supported: true });
});
