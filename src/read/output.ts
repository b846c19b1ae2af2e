import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLString,
  getNamedType,
  getNullableType,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLLeafType,
  type GraphQLOutputType,
} from 'graphql';
import { sql, type Sql } from './fragment';
import { jsonObject } from './sql';

/**
 * How the compiler writes what it selects. `JSON_OUTPUT` builds PostgreSQL json keyed by response key, which
 * graphql-js then walks and serialises (the normal path). `TEXT_OUTPUT` builds the exact text graphql-js would send
 * for it: compact, in selection order, scalars printed as their GraphQL scalar prints them, `__typename` included.
 * Where the text cannot be sure to equal graphql-js's answer (a null in a non-null field, a value its scalar
 * refuses) it writes the byte `\x01`, which no JSON text holds raw: the fast path then runs the operation normally.
 */
export interface Output {
  readonly text: boolean;
  /** An object of its entries in order; `typename(key, name)` entries only appear in text. */
  object(entries: Array<[string, Sql]>): Sql;
  /** An aggregate over rows: the list of `element` in `orderBy` order, of the rows where `filter` holds. */
  list(element: Sql, orderBy: Sql, filter?: Sql): Sql;
  /** The value of a field of GraphQL type `type`: a leaf as its scalar prints it, an object or list as built, nulls checked. */
  value(value: Sql, type: GraphQLOutputType): Sql;
  /** A `__typename` entry, or undefined where graphql-js adds it itself. */
  typename(name: string): Sql | undefined;
  /** A string field read from a jsonb value (`value -> 'key'`). */
  jsonbString(value: Sql, type: GraphQLOutputType): Sql;
}

/** A selection the text mode cannot print exactly: the operation runs the normal way. */
export class NotCompiled extends Error {}

export const JSON_OUTPUT: Output = {
  text: false,
  object: jsonObject,
  list: (element, orderBy, filter) => sql`coalesce(json_agg(${element} ORDER BY ${orderBy})${filter ? sql` FILTER (WHERE ${filter})` : sql``}, '[]'::json)`,
  value: (value) => value,
  typename: () => undefined,
  jsonbString: (value) => value,
};

/** What no JSON text holds raw: the mark of a value that must be answered by the normal path. */
export const UNSURE = '\u0001';
const unsure = sql`chr(1)`;

/** Whether every value of the enum is its own name: then graphql-js prints the label PostgreSQL holds. */
const labelsOf = (type: GraphQLLeafType): string[] => {
  if (!isEnumType(type)) return [];
  const values = type.getValues();
  if (values.some((v) => v.value !== v.name)) throw new NotCompiled(`enum ${type.name} has values other than their names`);
  return values.map((v) => v.name);
};

/** The text graphql-js prints for a non-null value `v` of leaf type `type`; NULL for NULL. */
function leafText(v: Sql, type: GraphQLLeafType): Sql {
  switch (type.name) {
    case GraphQLString.name:
    case GraphQLID.name:
    case GraphQLBoolean.name:
    case GraphQLInt.name:
      // to_json writes exactly the json value the normal path reads, and its escaping is JSON.stringify's.
      return sql`to_json(${v})::text`;
    case GraphQLFloat.name:
      // Between 1e-4 and 1e15 PostgreSQL and JavaScript both print the shortest digits without exponent; with
      // extra_float_digits below 0 PostgreSQL rounds to fewer digits and takes the exponent form sooner.
      return sql`CASE WHEN ${v} IS NULL THEN NULL WHEN ${v}::float8 = 0 THEN '0' WHEN current_setting('extra_float_digits')::int < 0 THEN ${unsure}
        WHEN abs(${v}::float8) >= 1e-4 AND abs(${v}::float8) < 1e15 THEN (${v}::float8)::text ELSE ${unsure} END`;
    case 'DateTime':
      // graphql-scalars prints new Date(value).toISOString(): milliseconds, truncated, as to_char's MS is. It refuses
      // the json of a time whose offset in the session's TimeZone has seconds (local mean time, before about 1900), or
      // whose local year is not 1 to 9999: a day from either end, the offset can take it there.
      return sql`CASE WHEN ${v} IS NULL THEN NULL WHEN ${v} >= '0001-01-02T00:00:00Z'::timestamptz AND ${v} < '9999-12-31T00:00:00Z'::timestamptz
        AND extract(timezone FROM ${v})::int % 60 = 0
        THEN '"' || to_char(${v} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"' ELSE ${unsure} END`;
    case 'LocalDate':
      return sql`CASE WHEN ${v} IS NULL THEN NULL WHEN ${v} BETWEEN '0001-01-01'::date AND '9999-12-31'::date THEN to_json(${v})::text ELSE ${unsure} END`;
    default: {
      const labels = labelsOf(type);
      if (!labels.length) throw new NotCompiled(`no exact text for scalar ${type.name}`);
      const known = sql.join(
        labels.map((l) => sql.key(l)),
        ', ',
      );
      return sql`CASE WHEN ${v} IS NULL THEN NULL WHEN ${v}::text IN (${known}) THEN '"' || ${v}::text || '"' ELSE ${unsure} END`;
    }
  }
}

/** A list of leaves from a PostgreSQL array. */
function leafListText(v: Sql, item: GraphQLOutputType): Sql {
  const type = getNamedType(item) as GraphQLLeafType;
  const nullItems = isNonNullType(item) ? sql` OR array_position(${v}, NULL) IS NOT NULL` : sql``;
  if (type.name === GraphQLString.name || type.name === GraphQLID.name) {
    return sql`CASE WHEN ${v} IS NULL THEN NULL WHEN array_ndims(${v}) > 1${nullItems} THEN ${unsure} ELSE to_json(${v})::text END`;
  }
  const e = sql`e`;
  const element = sql`coalesce(${leafText(e, type)}, ${isNonNullType(item) ? unsure : sql`'null'`})`;
  return sql`CASE WHEN ${v} IS NULL THEN NULL WHEN array_ndims(${v}) > 1 THEN ${unsure}
    ELSE (SELECT '[' || coalesce(string_agg(${element}, ',' ORDER BY n), '') || ']' FROM unnest(${v}) WITH ORDINALITY u(e, n)) END`;
}

const jsonText = sql.jsonText;

/** NULL becomes `null`, or the unsure mark in a non-null field (graphql-js would answer an error there). */
const present = (value: Sql, type: GraphQLOutputType) => sql`coalesce(${value}, ${isNonNullType(type) ? unsure : sql`'null'`})`;

/**
 * `a || b || c ...` as balanced halves, `(a || b) || (c || d)`: PostgreSQL copies both operands at every `||`, so a left-deep
 * chain copies an object's text so far once per entry after it (a long nested list once for each later field).
 */
function concatenation(parts: Sql[]): Sql {
  if (parts.length === 1) return parts[0];
  const half = Math.ceil(parts.length / 2);
  return sql`(${concatenation(parts.slice(0, half))} || ${concatenation(parts.slice(half))})`;
}

export const TEXT_OUTPUT: Output = {
  text: true,
  object(entries) {
    if (!entries.length) return jsonText('{}');
    const parts: Sql[] = [];
    entries.forEach(([key, value], i) => {
      parts.push(jsonText(`${i === 0 ? '{' : ','}"${key}":`), value);
    });
    parts.push(jsonText('}'));
    return concatenation(parts);
  },
  list: (element, orderBy, filter) =>
    sql`('[' || coalesce(string_agg(${element}, ',' ORDER BY ${orderBy})${filter ? sql` FILTER (WHERE ${filter})` : sql``}, '') || ']')`,
  value(value, type) {
    const nullable = getNullableType(type);
    if (isListType(nullable) && isLeafType(getNamedType(nullable))) return present(leafListText(value, nullable.ofType), type);
    if (isLeafType(nullable)) return present(leafText(value, nullable), type);
    return present(value, type);
  },
  typename: (name) => jsonText(`"${name}"`),
  jsonbString(value, type) {
    const name = getNamedType(type).name;
    if (isListType(getNullableType(type)) || (name !== GraphQLString.name && name !== GraphQLID.name)) {
      throw new NotCompiled(`no exact text for ${String(type)} read from jsonb`);
    }
    const text = sql`CASE WHEN ${value} IS NULL OR jsonb_typeof(${value}) = 'null' THEN NULL WHEN jsonb_typeof(${value}) = 'string' THEN (${value})::text ELSE ${unsure} END`;
    return present(text, type);
  },
};
