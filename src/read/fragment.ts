/**
 * SQL fragments, after pg-sql2: a statement is built only from fragments, never from plain strings. Text comes from
 * template literals written in code, values enter only as bind parameters (`sql.value`), identifiers only through
 * `sql.identifier`, which accepts plain lower-case names. Interpolating a plain string is a compile error (and a
 * runtime error for untyped callers), so client input can never become SQL text by accident.
 */

type Part = { text: string } | { value: unknown; cast?: string };

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** A GraphQL name (response keys, type names): what `sql.key` accepts as a JSON key literal. */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const CAST = /^[a-z_][a-z0-9_]*(\[\])?$/;

/** A fragment. Only this module makes them (their parts are kept here, frozen), so holding one proves its origin. */
export class Sql {
  /** Makes the type nominal: a string or a look-alike object is not a fragment. */
  private readonly brand = 'sql';

  private constructor() {}
}

const PARTS = new WeakMap<Sql, readonly Part[]>();

function make(parts: readonly Part[]): Sql {
  const fragment = Object.create(Sql.prototype) as Sql;
  PARTS.set(fragment, Object.freeze(parts.map((part) => Object.freeze(part))));
  return fragment;
}

function partsOf(fragment: Sql): readonly Part[] {
  const parts = PARTS.get(fragment);
  if (!parts) throw new Error(`only SQL fragments may be interpolated into SQL, not ${typeof fragment}`);
  return parts;
}

const text = (t: string) => make([{ text: t }]);

/** `sql\`SELECT ... ${fragment}\``: every interpolation must itself be a fragment. */
export function sql(strings: TemplateStringsArray, ...fragments: Sql[]): Sql {
  const parts: Part[] = [];
  strings.forEach((s, i) => {
    if (s) parts.push({ text: s });
    if (i < fragments.length) {
      parts.push(...partsOf(fragments[i]));
    }
  });
  return make(parts);
}

/** A bind parameter, with an optional cast (`$3::uuid`). */
sql.value = (value: unknown, cast?: string): Sql => {
  if (cast !== undefined && !CAST.test(cast)) throw new Error(`not a type name: ${cast}`);
  return make([{ value, cast }]);
};

/** A table, column or alias name chosen by code. */
sql.identifier = (name: string): Sql => {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) throw new Error(`not an identifier: ${name}`);
  return text(name);
};

/** A string literal of a GraphQL name (a JSON key, a type name): inlined, since it is checked to hold no quote. */
sql.key = (name: string): Sql => {
  if (!GRAPHQL_NAME.test(name)) throw new Error(`not a GraphQL name: ${name}`);
  return text(`'${name}'`);
};

/**
 * A string literal, quoted. Only for values the service itself checked (the viewer's clearance, organisation and
 * principal, checked when the key or token was accepted): the access seam inlines them so every plan sees them.
 */
sql.literal = (value: string): Sql => {
  if (typeof value !== 'string' || value.includes('\u0000')) throw new Error('a literal is a string without NUL');
  // An escape string, with its colons escaped too: query builders that take the text read `:name` as a parameter.
  const escaped = value.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/:/g, '\\x3a');
  return text(escaped === value ? `'${value}'` : `E'${escaped}'`);
};

/** JSON punctuation and GraphQL names (the keys and brackets the fast path writes): inlined, it holds no quote. */
const JSON_PUNCTUATION = /^[{}[\],:"_A-Za-z0-9]*$/;
sql.jsonText = (value: string): Sql => {
  if (!JSON_PUNCTUATION.test(value)) throw new Error(`not JSON punctuation and names: ${value}`);
  return text(`'${value}'`);
};

/** An integer inlined as text (a LIMIT, a page size already checked to be an integer). */
sql.int = (value: number): Sql => {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return text(String(value));
};

/** What fragments may be joined with. */
type Separator = ', ' | ' AND ' | ' OR ' | ' ' | ' || ' | '\nUNION ALL\n';

sql.join = (fragments: readonly Sql[], separator: Separator): Sql =>
  make(fragments.flatMap((f, i) => (i === 0 ? partsOf(f) : [{ text: separator }, ...partsOf(f)])));

export const TRUE = sql`TRUE`;

/** All conditions; TRUE when there are none. */
export const and = (conditions: readonly Sql[]) => (conditions.length ? sql.join(conditions, ' AND ') : TRUE);

/**
 * The statement text with $n placeholders, and its parameters in order. A fragment used twice (a filter in a page
 * and in its count) binds its values once: the same parameter is referred to again.
 */
export function compile(fragment: Sql): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const numbers = new Map<Part, number>();
  let out = '';
  for (const part of partsOf(fragment)) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    let n = numbers.get(part);
    if (n === undefined) {
      values.push(part.value);
      n = values.length;
      numbers.set(part, n);
    }
    out += `$${n}${part.cast ? `::${part.cast}` : ''}`;
  }
  return { text: out, values };
}

/** The text of a fragment that carries no parameters, for query builders that take a string condition. */
export function textOf(fragment: Sql): string {
  const { text: t, values } = compile(fragment);
  if (values.length) throw new Error('this fragment carries parameters: run it with compile()');
  return t;
}
