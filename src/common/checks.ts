// SQL of CHECK constraints that several tables share. Entities declare them with @Check; the migration that added
// them holds the same text. A violation reaches the client as BAD_USER_INPUT (server/constraint-errors.ts).

/** Text with something in it and no whitespace at either end (the write paths trim what they store). */
export const trimmedText = (column: string) => `${column} ~ '^\\S(.*\\S)?$'`;

/** Organisations are plain names, as keys and tokens give them (modules/identity/api-key.service.ts NAME). */
export const ORGANISATION_FORMAT = `organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$'`;

/** Only a RED item has an audience: lowering the marking drops it. */
export const AUDIENCE_ONLY_RED = `marking = 'RED' OR cardinality(audience) = 0`;

/** ISO 3166-1 alpha-2. */
export const COUNTRY_CODE_FORMAT = `country_code ~ '^[A-Z]{2}$'`;

/** A range reads low <= best <= high, whichever of them are given. */
export const QUANTITY_ORDERED = `quantity_low <= quantity_best AND quantity_best <= quantity_high AND quantity_low <= quantity_high`;

/** A unit or the source's words go with a number. */
export const QUANTITY_HAS_VALUE = `num_nonnulls(quantity_unit, quantity_as_stated) = 0 OR num_nonnulls(quantity_low, quantity_best, quantity_high) > 0`;

/** An exact quantity has one value: `best`, with `low` and `high` absent or equal to it. */
export const QUANTITY_EXACT_ONE_VALUE = `NOT quantity_exact OR (quantity_best IS NOT NULL AND coalesce(quantity_low, quantity_best) = quantity_best AND coalesce(quantity_high, quantity_best) = quantity_best)`;

/** A web address a brief can print as a link: http(s), with nothing in it that would end the link. */
export const urlFormat = (column: string) => `${column} ~ '^https?://[^\\s<>]+$'`;

/** A retracted item says why; a live one has no reason and no successor. */
export const RETRACTION_EXPLAINED = `(retracted_at IS NULL AND retraction_reason IS NULL AND superseded_by_id IS NULL) OR (retracted_at IS NOT NULL AND ${trimmedText('retraction_reason')})`;
