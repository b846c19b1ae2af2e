import { uuidOfDigest, uuidV5 as uuidv5, v5Hash } from '../../common/uuid-v5';

/**
 * The namespace of every STIX id Dossier derives (UUID v5 of "dossier.stix" in the URL namespace, computed once and
 * fixed here): the same Dossier item always gets the same STIX id, so exports are stable and can be re-imported.
 */
export const DOSSIER_STIX_NAMESPACE = '9f128b0d-a312-5411-8af1-ef94070bd83f';

/**
 * The STIX id of Dossier item `dossierId` as an object of STIX type `type` ("identity--<uuid v5>"). The UUID depends on
 * the Dossier id alone (Dossier ids are UUIDs, unique across tables), so an actor whose kind moves it from identity to
 * threat-actor keeps its UUID.
 */
export const stixId = (type: string, dossierId: string) => `${type}--${uuidv5(dossierId, DOSSIER_STIX_NAMESPACE)}`;

/** A STIX id named by a fixed key rather than a row (Dossier's own identity, its extension definitions). */
export const fixedStixId = (type: string, key: string) => `${type}--${uuidv5(`dossier:${key}`, DOSSIER_STIX_NAMESPACE)}`;

/** The STIX type an id names ("note" for "note--..."). */
export const typeOfStixId = (id: string) => id.slice(0, id.indexOf('--'));

/** An RFC 3339 timestamp with milliseconds in UTC, as STIX writes them, from a PostgreSQL timestamp or a date. */
export function stixTimestamp(value: string): string {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00.000Z`) : new Date(value);
  if (Number.isNaN(time.getTime())) throw new Error(`not a timestamp: ${value}`);
  return time.toISOString();
}

/**
 * UUID v5 of a name written in pieces (the same UUID `uuidv5(pieces.join(''), namespace)` gives): for a name as long
 * as a whole bundle, which is hashed as it goes rather than copied into one buffer first.
 */
export function uuidV5Writer(namespace: string) {
  const hash = v5Hash(namespace);
  return {
    write: (piece: string) => void hash.update(piece, 'utf8'),
    uuid: (): string => uuidOfDigest(hash.digest()),
  };
}
