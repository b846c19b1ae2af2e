import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errors';
import { markingOfStixId } from './stix-markings';

// A STIX bundle as it arrives: checked for size before it is parsed (depth, string length, object count, read off the
// text in one pass), so a hostile bundle costs no more memory than its text; then for ids and references.

export const STIX_LIMITS = { objects: 50_000, depth: 24, stringLength: 100_000 };

export type RawObject = { type: string; id: string } & Record<string, unknown>;

/** BAD_USER_INPUT on the document, with the problems found (each with its object). */
export const badBundle = (message: string, problems: Array<{ path: string; message: string }> = []) =>
  new GraphQLError(`Invalid argument "document": ${message}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName: 'document', problems: problems.slice(0, 50) },
  });

/** A STIX timestamp in milliseconds (NaN for none): timestamps of other precisions compare as times, not as text. */
export const timeOf = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : NaN);

const STIX_ID = /^[a-z0-9][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Nesting, strings and objects of the text, without parsing it: refused past the limits. */
function checkShape(text: string): void {
  let depth = 0;
  let objects = 0;
  const containers: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92 /* \ */) i++;
      if (i - start - 1 > STIX_LIMITS.stringLength) throw badBundle(`holds a string longer than ${STIX_LIMITS.stringLength} characters`);
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth > STIX_LIMITS.depth) throw badBundle(`is nested deeper than ${STIX_LIMITS.depth} levels`);
      // An object of the bundle's list: the third level, inside an array.
      if (c === 123 && depth === 3 && containers[1] === 91 && ++objects > STIX_LIMITS.objects) {
        throw badBundle(`has more than ${STIX_LIMITS.objects} objects: split it into several bundles`);
      }
      containers[depth - 1] = c;
    } else if (c === 125 || c === 93) depth--;
  }
}

/** A STIX timestamp (RFC 3339 in UTC, section 3.2 of STIX 2.1) that is a time. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const TIMED = new Set(['identity', 'threat-actor', 'intrusion-set', 'location', 'report', 'note', 'opinion', 'relationship']);

/** The common properties the import writes as they come: times, and confidence (an integer 0-100). */
function propertyProblems(o: RawObject, path: string): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  for (const key of ['created', 'modified'] as const) {
    const v = o[key];
    if (v !== undefined && !(typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v))))
      problems.push({ path: `${path}.${key}`, message: 'not a STIX timestamp (YYYY-MM-DDTHH:MM:SS[.s]Z)' });
  }
  // What becomes an item keeps its times (cyber observables have none, and become nothing).
  if (o.created === undefined && o.modified === undefined && (TIMED.has(o.type) || o.type.startsWith('dossier-')))
    problems.push({ path, message: 'has neither created nor modified' });
  const c = o.confidence;
  if (c !== undefined && !(typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 100))
    problems.push({ path: `${path}.confidence`, message: 'confidence is an integer from 0 to 100' });
  return problems;
}

/** The references an object holds (`*_ref`, `*_refs`, at any depth), with where. */
export function referencesOf(object: RawObject): Array<{ ref: string; path: string }> {
  const found: Array<{ ref: string; path: string }> = [];
  const walk = (value: unknown, path: string, key: string) => {
    if (typeof value === 'string' && (key.endsWith('_ref') || key.endsWith('_refs'))) found.push({ ref: value, path });
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, k);
  };
  walk(object, '', '');
  return found;
}

/**
 * The objects of a bundle, one per id (the newest `modified` where a bundle holds several versions), and the older
 * versions left. BAD_USER_INPUT for what is not a bundle, for ids given twice at one version, and for references to
 * objects the bundle does not hold (the standard TLP marking definitions aside).
 */
export function parseBundle(text: string): { objects: RawObject[]; older: RawObject[] } {
  checkShape(text);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw badBundle(`not valid JSON: ${(error as Error).message}`);
  }
  const bundle = raw as { type?: unknown; objects?: unknown };
  if (!bundle || typeof bundle !== 'object' || bundle.type !== 'bundle') throw badBundle('is not a STIX bundle (type "bundle")');
  const list = bundle.objects ?? [];
  if (!Array.isArray(list)) throw badBundle('objects must be a list');
  const problems: Array<{ path: string; message: string }> = [];
  const newest = new Map<string, RawObject>();
  const older: RawObject[] = [];
  list.forEach((o: unknown, i) => {
    const object = o as RawObject;
    if (!object || typeof object !== 'object' || typeof object.type !== 'string' || typeof object.id !== 'string' || !STIX_ID.test(object.id)) {
      problems.push({ path: `objects[${i}]`, message: 'not a STIX object: needs a type and an id "<type>--<uuid>"' });
      return;
    }
    if (!object.id.startsWith(`${object.type}--`))
      problems.push({ path: `objects[${i}] (${object.id})`, message: `its id does not name its type ${object.type}` });
    problems.push(...propertyProblems(object, `objects[${i}] (${object.id})`));
    const seen = newest.get(object.id);
    if (!seen) return void newest.set(object.id, object);
    const [a, b] = [timeOf(seen.modified), timeOf(object.modified)];
    if (a === b || (Number.isNaN(a) && Number.isNaN(b)))
      problems.push({ path: `objects[${i}] (${object.id})`, message: 'the same object (id and modified) is in the bundle twice' });
    else if (b > a) {
      older.push(seen);
      newest.set(object.id, object);
    } else older.push(object);
  });
  for (const object of newest.values()) {
    for (const { ref, path } of referencesOf(object)) {
      if (!newest.has(ref) && !markingOfStixId(ref))
        problems.push({ path: `${object.id}.${path}`, message: `refers to ${ref}, which the bundle does not hold` });
    }
  }
  if (problems.length) throw badBundle(`has ${problems.length} problem(s): ${problems[0].path}: ${problems[0].message}`, problems);
  return { objects: [...newest.values()], older };
}
