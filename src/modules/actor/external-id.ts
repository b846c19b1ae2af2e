import { Field, InputType, ObjectType } from 'type-graphql';
import { badUserInput } from '../../common/errors';
import type { TermCheck } from '../vocabulary/vocabulary.service';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';

@ObjectType({ simpleResolvers: true, description: 'An identifier of an actor in a register (Wikidata, LEI, IMO ...).' })
export class ExternalId {
  @Field(() => String, { description: ofVocabulary(Vocabulary.IDENTIFIER_SCHEME, 'The register (WIKIDATA, LEI, IMO ...).') })
  scheme: string;

  @Field({ description: 'The identifier, as the register writes it.' })
  value: string;
}

@InputType({ description: 'An identifier of an actor in a register.' })
export class ExternalIdInput {
  @Field(() => String, { description: ofVocabulary(Vocabulary.IDENTIFIER_SCHEME, 'The register (WIKIDATA, LEI, IMO ...).') })
  scheme: string;

  @Field({ description: 'The identifier ("Q423", "9074729" ...).' })
  value: string;
}

const digits = (s: string) => [...s].map(Number);
const anyText = { canonical: (v: string) => v, valid: (v: string) => v.length > 0, form: 'not blank' };

/** ISO 7064 MOD 97-10, as IBANs and LEIs use it: letters count 10 to 35, and the whole is 1 modulo 97. */
const mod97 = (s: string) => [...s].reduce((rest, c) => (rest * (c >= 'A' ? 100 : 10) + parseInt(c, 36)) % 97, 0) === 1;

/**
 * How the registers Dossier knows write their identifiers, and how to check one. A scheme an ADMIN added to the
 * identifier-scheme vocabulary has no known form: its identifiers are kept as given (trimmed, not blank).
 */
const SCHEMES: Record<string, { canonical: (v: string) => string; valid: (v: string) => boolean; form: string }> = {
  WIKIDATA: { canonical: (v) => v.toUpperCase(), valid: (v) => /^Q[1-9]\d*$/.test(v), form: 'Q and a number, "Q423"' },
  ISO_3166: { canonical: (v) => v.toUpperCase(), valid: (v) => /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(v), form: 'a code such as "KP" or "UA-43"' },
  LEI: { canonical: (v) => v.toUpperCase(), valid: (v) => /^[A-Z0-9]{18}\d{2}$/.test(v) && mod97(v), form: '20 characters whose check digits hold' },
  IMO: {
    canonical: (v) => v.replace(/^IMO\s*/i, ''),
    valid: (v) => /^\d{7}$/.test(v) && digits(v.slice(0, 6)).reduce((sum, d, i) => sum + d * (7 - i), 0) % 10 === Number(v[6]),
    form: '7 digits whose check digit holds, "9074729"',
  },
  MMSI: { canonical: (v) => v, valid: (v) => /^\d{9}$/.test(v), form: '9 digits' },
  STIX: {
    canonical: (v) => v.toLowerCase(),
    valid: (v) => /^[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v),
    form: '"<type>--<uuid>", "threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"',
  },
};

/** An identifier as its register writes it (trimmed, in its case), for comparing and storing. */
export const canonicalExternalId = (id: { scheme: string; value: string }) => ({
  scheme: id.scheme,
  value: SCHEMES[id.scheme]?.canonical(id.value.trim()) ?? id.value.trim(),
});

/**
 * Identifiers given for an actor: each checked against its register's form (errors name `path[i].value`), without
 * repeats. Their schemes are terms of the identifier-scheme vocabulary: `schemeTerms` gives the checks of them.
 */
export function checkedExternalIds(ids: ExternalIdInput[] | null | undefined, path: string): ExternalId[] {
  const checked = new Map<string, ExternalId>();
  (ids ?? []).forEach((id, i) => {
    const { value } = canonicalExternalId(id);
    const scheme = Object.hasOwn(SCHEMES, id.scheme) ? SCHEMES[id.scheme] : anyText;
    if (!scheme.valid(value)) throw badUserInput(`${path}[${i}].value`, `a ${id.scheme} identifier is ${scheme.form}`);
    checked.set(`${id.scheme}:${value}`, { scheme: id.scheme, value });
  });
  return [...checked.values()];
}

/** The vocabulary checks of the schemes of identifiers given at `path`. */
export const schemeTerms = (ids: ExternalIdInput[] | null | undefined, path: string): TermCheck[] =>
  (ids ?? []).map((id, i) => ({ vocabulary: Vocabulary.IDENTIFIER_SCHEME, term: id.scheme, path: `${path}[${i}].scheme` }));
