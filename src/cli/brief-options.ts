// The brief command's scope flags, one per field of the BriefInput GraphQL input type, read from the committed SDL
// (schema/schema.graphql, which a test keeps equal to the code): a field added to BriefInput is a flag at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, type GraphQLInputType } from 'graphql';
import { ExitError } from './service-request';

export interface BriefFlag {
  /** The BriefInput field. */
  field: string;
  /** `--limit-per-section` for `limitPerSection`. */
  flag: string;
  /** A list field's flag is repeatable and takes comma-separated values; its singular (`--topic`) works too. */
  list: boolean;
  /** The GraphQL type of one value: `Int`, `LocalDate`, an enum ... */
  type: string;
  /** An enum's values, in the schema's order. */
  values: string[] | null;
  description: string;
}

const SCHEMA_FILE = join(__dirname, '..', '..', 'schema', 'schema.graphql');

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function isList(type: GraphQLInputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** Every field of BriefInput (or of another input type, `ScopeInput` for an export) as a flag, in the schema's order. */
export function briefFlags(sdl = readFileSync(SCHEMA_FILE, 'utf8'), typeName = 'BriefInput'): BriefFlag[] {
  const input = buildSchema(sdl).getType(typeName);
  if (!isInputObjectType(input)) throw new Error(`schema/schema.graphql has no input ${typeName}`);
  return Object.values(input.getFields()).map((field) => {
    const named = getNamedType(field.type);
    return {
      field: field.name,
      flag: kebab(field.name),
      list: isList(field.type),
      type: named.name,
      values: isEnumType(named) ? named.getValues().map((v) => v.value as string) : null,
      description: (field.description ?? '').replace(/\s+/g, ' ').replace(/`/g, ''),
    };
  });
}

/** The singular of a list flag (`--topic` for `--topics`), kept for single values. */
export const singular = (flag: BriefFlag) => (flag.list && flag.flag.endsWith('s') ? flag.flag.slice(0, -1) : null);

/** parseArgs options for the flags. */
export function parseArgsOptions(flags: BriefFlag[]): Record<string, { type: 'string'; multiple?: boolean }> {
  const options: Record<string, { type: 'string'; multiple?: boolean }> = {};
  for (const f of flags) {
    options[f.flag] = f.list ? { type: 'string', multiple: true } : { type: 'string' };
    const one = singular(f);
    if (one) options[one] = { type: 'string', multiple: true };
  }
  return options;
}

function valueOf(f: BriefFlag, raw: string): string | number {
  const value = raw.trim();
  if (f.values && !f.values.includes(value)) throw new ExitError(`--${f.flag} "${raw}" is not one of ${f.values.join(', ')}`, 2);
  if (f.type === 'Int') {
    if (!/^-?\d+$/.test(value)) throw new ExitError(`--${f.flag} "${raw}" is not a whole number`, 2);
    return Number(value);
  }
  if (f.type === 'LocalDate' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new ExitError(`--${f.flag} "${raw}" is not a date (YYYY-MM-DD)`, 2);
  return value;
}

/** The BriefInput the parsed flags give: only the fields given, each value checked against its type. */
export function briefInputOf(flags: BriefFlag[], values: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of flags) {
    const one = singular(f);
    const own = values[f.flag] as string[] | string | undefined;
    const given = [...(typeof own === 'string' ? [own] : (own ?? [])), ...((one ? (values[one] as string[] | undefined) : undefined) ?? [])];
    if (!given.length) continue;
    if (f.list) input[f.field] = given.flatMap((v) => v.split(',')).map((v) => valueOf(f, v));
    else input[f.field] = valueOf(f, given[0]);
  }
  return input;
}

/** Help lines for the flags: each with its values or type and its description from the schema. */
export function flagHelp(flags: BriefFlag[]): string {
  return flags
    .map((f) => {
      const arg = f.values ? f.values.join('|') : f.type === 'Int' ? 'n' : f.type === 'LocalDate' ? 'YYYY-MM-DD' : 'value';
      const one = singular(f);
      const name = `--${f.flag} <${arg}>${f.list ? ` (repeatable, or comma-separated${one ? `; --${one}` : ''})` : ''}`;
      return `  ${name}\n      ${f.description}`;
    })
    .join('\n');
}
