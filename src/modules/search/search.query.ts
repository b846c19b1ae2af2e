import { badUserInput } from '../../common/errors';
import { sql, type Sql } from '../../read/fragment';

/** Longest query accepted: longer ones are BAD_USER_INPUT, not a slow statement. */
export const MAX_QUERY_LENGTH = 500;

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * A search query: web-search syntax (`"a phrase"`, `or`, `-word`) handed to websearch_to_tsquery, which accepts any
 * text; and prefix words (`kurs*`), which it does not support, taken out and given to to_tsquery as `word:*` made
 * of letters and digits only. Both enter as bind parameters, never as SQL text.
 */
export interface ParsedQuery {
  /** The text without its prefix words, for websearch_to_tsquery. */
  web: string;
  /** `w1:* & w2:*`, or empty. */
  prefix: string;
  /** The whole query as words, for trigram similarity on names. */
  plain: string;
}

export function parseQuery(query: string): ParsedQuery {
  const trimmed = query.normalize('NFC').trim();
  if (trimmed.length > MAX_QUERY_LENGTH) throw badUserInput('query', `at most ${MAX_QUERY_LENGTH} characters`);
  if (trimmed.includes('\u0000')) throw badUserInput('query', 'must not contain NUL');
  const words = trimmed.match(WORD) ?? [];
  if (!words.length) throw badUserInput('query', 'give at least one word (letters or digits)');
  const prefixes: string[] = [];
  // Outside quotes only: a starred word inside a phrase stays part of the phrase.
  const web = trimmed
    .split(/("[^"]*")/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/(^|\s)([\p{L}\p{N}][\p{L}\p{N}'-]*)\*+(?=\s|$)/gu, (_m, space: string, word: string) => {
            prefixes.push(...(word.match(WORD) ?? []).map((w) => `${w}:*`));
            return space;
          }),
    )
    .join('')
    .trim();
  return { web, prefix: prefixes.join(' & '), plain: words.join(' ') };
}

/** The tsquery of `parsed` for one text search configuration: the web part and the prefix part, both required. */
export function tsquery(parsed: ParsedQuery, config: 'english' | 'simple'): Sql {
  const cfg = config === 'english' ? sql`'english'::regconfig` : sql`'simple'::regconfig`;
  const parts: Sql[] = [];
  if (parsed.web) parts.push(sql`websearch_to_tsquery(${cfg}, ${sql.value(parsed.web)})`);
  if (parsed.prefix) parts.push(sql`to_tsquery(${cfg}, ${sql.value(parsed.prefix)})`);
  return parts.length === 2 ? sql`(${parts[0]} && ${parts[1]})` : parts[0];
}
