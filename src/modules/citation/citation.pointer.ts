import { badUserInput } from '../../common/errors';

/** What a citation points at its source with: the source's words, or where in it to look. */
export interface CitationPointer {
  quote: string | null;
  url: string | null;
  page: string | null;
  paragraph: string | null;
  accessedOn: string | null;
}

const URL_FORMAT = /^https?:\/\/[^\s<>]+$/;

/** Given text, trimmed; a blank one is a mistake, not an absence, and is refused. */
function given(value: string | null | undefined, path: string, why: string): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (!text) throw badUserInput(path, why);
  return text;
}

/**
 * The checked pointer of a citation input: a quote, or at least one locator (url, page, paragraph, accessedOn) for a
 * source without quotable text. Text is stored trimmed, as the table's checks hold it. Errors name the field under `path`.
 */
export function citationPointer(c: Partial<CitationPointer>, path: string): CitationPointer {
  const pointer: CitationPointer = {
    quote: given(c.quote, `${path}.quote`, 'a quote cannot be empty: leave it out when the source has no quotable text'),
    url: given(c.url, `${path}.url`, 'an address cannot be empty'),
    page: given(c.page, `${path}.page`, 'a page cannot be empty'),
    paragraph: given(c.paragraph, `${path}.paragraph`, 'a paragraph cannot be empty'),
    accessedOn: c.accessedOn ?? null,
  };
  if (pointer.url !== null && !(URL_FORMAT.test(pointer.url) && URL.canParse(pointer.url))) {
    throw badUserInput(`${path}.url`, 'an http(s) address, without spaces or angle brackets');
  }
  if (Object.values(pointer).every((v) => v === null)) {
    throw badUserInput(`${path}.quote`, 'a citation needs the words of its source or where in it to look: a quote, url, page, paragraph or accessedOn');
  }
  return pointer;
}
