import type { DataSource } from 'typeorm';
import { countryCode } from '../../common/country-code';
import { badUserInput } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { createItem, optionalText, requiredText, updateItem } from '../item/item.write';
import type { Dependent } from '../item/retraction';
import type { LocationInput, LocationPatch } from './location.write-inputs';
import { Vocabulary } from '../vocabulary/vocabularies';
import type { TermCheck } from '../vocabulary/vocabulary.service';

/** Both coordinates or neither, on the globe. */
function coordinates(latitude: number | null | undefined, longitude: number | null | undefined) {
  const [lat, lon] = [latitude ?? null, longitude ?? null];
  if ((lat === null) !== (lon === null)) throw badUserInput(lat === null ? 'input.latitude' : 'input.longitude', 'give latitude and longitude together');
  if (lat !== null && (lat < -90 || lat > 90)) throw badUserInput('input.latitude', 'a latitude is -90 to 90 degrees');
  if (lon !== null && (lon < -180 || lon > 180)) throw badUserInput('input.longitude', 'a longitude is -180 to 180 degrees');
  return { latitude: lat, longitude: lon };
}

const kindTerm = (kind: string): TermCheck => ({ vocabulary: Vocabulary.LOCATION_KIND, term: kind, path: 'input.kind' });

export function createLocation(dataSource: DataSource, viewer: Viewer, input: LocationInput): Promise<string> {
  return createItem(dataSource, viewer, {
    table: 'location',
    columns: {
      name: requiredText(input.name, 'input.name', 'a name'),
      kind: input.kind,
      country_code: countryCode(input.countryCode, 'input.countryCode'),
      ...coordinates(input.latitude, input.longitude),
      description: optionalText(input.description),
    },
    marking: input.marking,
    audience: input.audience,
    terms: [kindTerm(input.kind)],
  });
}

export function updateLocation(dataSource: DataSource, viewer: Viewer, globalId: string, patch: LocationPatch, version?: number | null) {
  const columns: Record<string, unknown> = {};
  if (patch.name != null) columns.name = requiredText(patch.name, 'input.name', 'a name');
  if (patch.kind != null) columns.kind = patch.kind;
  if (patch.countryCode !== undefined) columns.country_code = countryCode(patch.countryCode, 'input.countryCode');
  // Coordinates change together.
  if (patch.latitude !== undefined || patch.longitude !== undefined) Object.assign(columns, coordinates(patch.latitude, patch.longitude));
  if (patch.description !== undefined) columns.description = optionalText(patch.description);
  return updateItem(
    dataSource,
    viewer,
    { table: 'location', typeName: 'Location', globalId },
    { columns, access: patch, version, terms: patch.kind != null ? [kindTerm(patch.kind)] : [] },
  );
}

/** Events at a place: while any stands, the place is not retracted. */
export const locationDependents: Dependent[] = [{ plural: 'events', table: 'event', refersTo: (x) => `${x}.location_id = $1` }];
