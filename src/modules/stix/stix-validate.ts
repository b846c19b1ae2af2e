import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

// The OASIS STIX 2.1 JSON schemas, vendored in schema/stix-2.1 (with their licence): a bundle is checked against
// them as published, so what Dossier writes is what other STIX tools accept.
const SCHEMA_DIR = join(__dirname, '..', '..', '..', 'schema', 'stix-2.1');
const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

interface Validators {
  /** The bundle schema without its rule for objects: the envelope. */
  envelope: ValidateFunction;
  /** By STIX type: the schema of that type; `core` for any other (an extension's new SDO). */
  byType: Map<string, ValidateFunction>;
  core: ValidateFunction;
}

let validators: Validators | undefined;

const readSchema = (folder: string, file: string) =>
  JSON.parse(readFileSync(join(SCHEMA_DIR, folder, file), 'utf8')) as { properties?: Record<string, unknown> };

function compile(): Validators {
  // The schemas' patterns are written for non-Unicode regular expressions; idn-hostname has no checker here.
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, formats: { 'idn-hostname': true } });
  addFormats(ajv);
  const typed: Array<[string, string]> = [];
  for (const folder of ['common', 'sdos', 'sros', 'observables']) {
    for (const file of readdirSync(join(SCHEMA_DIR, folder))
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      ajv.addSchema(readSchema(folder, file));
      if (folder !== 'common' || ['marking-definition.json', 'extension-definition.json', 'language-content.json'].includes(file)) {
        typed.push([file.replace(/\.json$/, ''), `${BASE}${folder}/${file}`]);
      }
    }
  }
  // bundle.json lists only some SDO types and sends every other object (note, location, opinion, grouping,
  // extension-definition, new SDOs) to a branch that must match exactly one of core and cyber-observable-core, which
  // every SDO matches both of: so the bundle's envelope is checked by its schema, and each object by its type's.
  const bundle = readSchema('common', 'bundle.json');
  const envelope = { ...bundle, $id: `${BASE}common/bundle-envelope.json`, properties: { ...bundle.properties, objects: { type: 'array', minItems: 1 } } };
  return {
    envelope: ajv.compile(envelope),
    byType: new Map(typed.map(([type, id]) => [type, ajv.getSchema(id)!])),
    core: ajv.getSchema(`${BASE}common/core.json`)!,
  };
}

/**
 * The schema errors of a parsed STIX bundle against the OASIS STIX 2.1 schemas: the envelope against the bundle's,
 * each object against its type's (core for a type an extension defines). Errors name the object and property at fault.
 */
export function stixBundleErrors(bundle: unknown): Array<ErrorObject & { objectId?: string }> {
  validators ??= compile();
  const { envelope, byType, core } = validators;
  if (!envelope(bundle)) return envelope.errors ?? [];
  const objects = (bundle as { objects?: Array<{ id?: string; type?: string } | null> }).objects ?? [];
  return objects.flatMap((o, i) => {
    const [validate, objectId] = [byType.get(String(o?.type)) ?? core, o?.id];
    if (validate(o)) return [];
    return (validate.errors ?? []).map((e) => ({ ...e, instancePath: `/objects/${i}${e.instancePath}`, objectId }));
  });
}
