import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { badUserInput } from '../../common/errors';

/** Registers that name actors; one actor holds an identifier of a scheme, never two actors the same one. */
export enum IdentifierScheme {
  WIKIDATA = 'WIKIDATA',
  ISO_3166 = 'ISO_3166',
  LEI = 'LEI',
  IMO = 'IMO',
  MMSI = 'MMSI',
  STIX = 'STIX',
}

registerEnumType(IdentifierScheme, {
  name: 'IdentifierScheme',
  description: 'A register that identifies actors.',
  valuesConfig: {
    WIKIDATA: { description: 'Wikidata item, "Q423".' },
    ISO_3166: { description: 'ISO 3166-1 alpha-2 country ("KP") or ISO 3166-2 subdivision ("UA-43") the actor is.' },
    LEI: { description: 'Legal Entity Identifier (ISO 17442) of a company: 20 characters with their check digits.' },
    IMO: { description: 'IMO ship number of a vessel: 7 digits with their check digit ("9074729").' },
    MMSI: { description: 'Maritime Mobile Service Identity of a vessel: 9 digits.' },
    STIX: { description: 'STIX 2.1 identifier of the object describing the actor ("threat-actor--<uuid>").' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'An identifier of an actor in a register (Wikidata, LEI, IMO ...).' })
export class ExternalId {
  @Field(() => IdentifierScheme, { description: 'The register.' })
  scheme: IdentifierScheme;

  @Field({ description: 'The identifier, as the register writes it.' })
  value: string;
}

@InputType({ description: 'An identifier of an actor in a register.' })
export class ExternalIdInput {
  @Field(() => IdentifierScheme, { description: 'The register.' })
  scheme: IdentifierScheme;

  @Field({ description: 'The identifier ("Q423", "9074729" ...).' })
  value: string;
}

const digits = (s: string) => [...s].map(Number);

/** ISO 7064 MOD 97-10, as IBANs and LEIs use it: letters count 10 to 35, and the whole is 1 modulo 97. */
const mod97 = (s: string) => [...s].reduce((rest, c) => (rest * (c >= 'A' ? 100 : 10) + parseInt(c, 36)) % 97, 0) === 1;

/** How each register writes its identifiers, and how to check one. */
const SCHEMES: Record<IdentifierScheme, { canonical: (v: string) => string; valid: (v: string) => boolean; form: string }> = {
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
  value: SCHEMES[id.scheme as IdentifierScheme]?.canonical(id.value.trim()) ?? id.value.trim(),
});

/** Identifiers given for an actor: each checked against its register's form (errors name `path[i].value`), without repeats. */
export function checkedExternalIds(ids: ExternalIdInput[] | null | undefined, path: string): ExternalId[] {
  const checked = new Map<string, ExternalId>();
  (ids ?? []).forEach((id, i) => {
    const { value } = canonicalExternalId(id);
    const scheme = SCHEMES[id.scheme];
    if (!scheme.valid(value)) throw badUserInput(`${path}[${i}].value`, `a ${id.scheme} identifier is ${scheme.form}`);
    checked.set(`${id.scheme}:${value}`, { scheme: id.scheme, value });
  });
  return [...checked.values()];
}
