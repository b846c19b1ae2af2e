import 'reflect-metadata';
import {
  getNamedType,
  GraphQLSchema,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
  type FieldNode,
  type GraphQLInputType,
  type OperationDefinitionNode,
} from 'graphql';
import { getMetadataArgsStorage } from 'typeorm';
import { Marking } from '../src/common/marking';
import { loadConfig } from '../src/config';
import { ANONYMOUS } from '../src/common/viewer';
import { Compiler } from '../src/read/compile';
import { compile } from '../src/read/fragment';
import { toGlobalId } from '../src/read/global-id';
import { SqlBuilder } from '../src/read/sql';
import { readModels, registry } from '../src/registry/registry';
import { kindOfType, STATEMENT_KINDS, statementKinds } from '../src/registry/statement-kinds';
import { buildDossierSchema } from '../src/server/schema';
import { dataOf, startTestServer } from './support/server';

// The registry is the one declaration of every stored type: these tests prove that every field of those types is
// served by it, every filter field changes the SQL, and every statement kind reaches each place that lists kinds.

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildDossierSchema();
});

const cleared = { ...ANONYMOUS, clearance: Marking.RED, organisation: 'org-a', principal: 'analyst@org-a' } as const;

/** The SQL a connection over `typeName` compiles to, for a root field selecting `selection` with `args`. */
function connectionSql(typeName: string, selection: string, args: Record<string, unknown> = {}): string {
  const document = parse(`query($args: String) { x: __typename ${selection} }`);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const nodes = operation.selectionSet.selections.slice(1) as FieldNode[];
  const q = new SqlBuilder(cleared, 100, 20);
  const compiler = new Compiler(schema, {}, {}, q, readModels);
  const field = schema.getQueryType()!.getFields()[listFieldOf(typeName)];
  return compile(compiler.connection(compiler.model(typeName), field, nodes, args)).text;
}

/** A root connection field over `typeName`, or a type's connection field of it (for types without a root list). */
function listFieldOf(typeName: string): string {
  const root = registry.get(typeName)?.root?.list?.name;
  if (!root) throw new Error(`${typeName} has no root list`);
  return root;
}

/** A selection of every field of `typeName`, one level deep: objects by __typename, connections by their count. */
function everyField(typeName: string): string {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  return Object.values(type.getFields())
    .map((f) => {
      const named = getNamedType(f.type);
      if (!isCompositeType(named)) return f.name;
      if (named.name.endsWith('Connection')) return `${f.name} { totalCount nodes { __typename } }`;
      return `${f.name} { __typename }`;
    })
    .join(' ');
}

test('every field of every registered type has a read spec, and only registered types are read from tables', () => {
  const unserved: string[] = [];
  for (const [typeName, model] of readModels) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is registered but not an object type of the schema`);
    for (const field of Object.values(type.getFields())) {
      const spec = model.fields[field.name];
      if (!spec) unserved.push(`${typeName}.${field.name}`);
      else if (spec.kind === 'connection' || spec.kind === 'one' || spec.kind === 'list') {
        const named = getNamedType(field.type).name;
        const expected = spec.kind === 'connection' ? `${spec.target}Connection` : spec.target;
        if (named !== expected) unserved.push(`${typeName}.${field.name}: declared ${expected}, typed ${named}`);
      }
    }
  }
  expect(unserved).toEqual([]);
  // Every object type that implements Item is stored, so it must be registered.
  const items = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && t.getInterfaces().some((i) => i.name === 'Item'));
  const unregistered = items.map((t) => t.name).filter((name) => !readModels.has(name) && !['BriefDefinition', 'BriefRun', 'Release'].includes(name));
  expect(unregistered).toEqual([]);
});

test('a field without a read spec is refused when compiled, never guessed as a column', () => {
  const model = readModels.get('Actor')!;
  const { name: _dropped, ...fields } = model.fields;
  const without = new Map(readModels).set('Actor', { ...model, fields });
  const document = parse('{ actors { nodes { name } } }');
  const nodes = (document.definitions[0] as OperationDefinitionNode).selectionSet.selections as FieldNode[];
  const compiler = new Compiler(schema, {}, {}, new SqlBuilder(cleared, 100, 20), without);
  const field = schema.getQueryType()!.getFields().actors;
  expect(() => compiler.connection(without.get('Actor')!, field, nodes, {})).toThrow('Actor.name has no read spec in the registry');
});

test('every registered type with a root list compiles a selection of all its fields', () => {
  for (const [typeName, spec] of registry) {
    if (!spec.root?.list) continue;
    const text = connectionSql(typeName, `${spec.root.list.name} { nodes { ${everyField(typeName)} } }`);
    expect(text).toContain(`FROM ${spec.table} `);
  }
});

/** A value for a filter field of input type `type`, valid for `typeName`'s ids where it is an id. */
function sampleOf(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return sampleOf(type.ofType, name);
  if (isListType(type)) return [sampleOf(type.ofType, name)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return 2;
      case 'ID': {
        const target = { parent: 'Actor', publisher: 'Actor', location: 'Location' }[name] ?? 'Actor';
        return toGlobalId(target, '00000000-0000-4000-8000-000000000001');
      }
      case 'LocalDate':
        return '2024-10-01';
      default:
        return 'dprk';
    }
  }
  throw new Error(`no sample for ${String(type)}`);
}

test('every field of every filter changes the SQL it compiles to', () => {
  const unhandled: string[] = [];
  let checked = 0;
  for (const [typeName, spec] of registry) {
    if (!spec.filter || !spec.root?.list) continue;
    const selection = `${spec.root.list.name} { totalCount }`;
    const unfiltered = connectionSql(typeName, selection);
    const filterArg = schema
      .getQueryType()!
      .getFields()
      [spec.root.list.name].args.find((a) => a.name === 'filter');
    const input = filterArg && getNamedType(filterArg.type);
    const fields = isInputObjectType(input) ? Object.values(input.getFields()) : [];
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) {
      const filtered = connectionSql(typeName, selection, { filter: { [field.name]: sampleOf(field.type, field.name) } });
      if (filtered === unfiltered) unhandled.push(`${typeName} filter.${field.name}`);
      checked += 1;
    }
  }
  expect(unhandled).toEqual([]);
  expect(checked).toBeGreaterThan(40);
});

test('the filters of types without a root list are checked too', () => {
  // Citations are listed only under a source: their filter is declared on the registry all the same.
  const citation = registry.get('Citation')!;
  expect(citation.filter).toBeDefined();
  const input = schema.getType('CitationFilter');
  expect(isInputObjectType(input) && Object.keys(input.getFields()).sort()).toEqual(['markingAtMost', 'minCredibility', 'verbs']);
});

test('every statement kind is a registered type with its table, its citation column and its mutations', () => {
  const mutations = schema.getMutationType()!.getFields();
  const citation = getMetadataArgsStorage().filterColumns(readModels.get('Citation')!.entity);
  for (const kind of statementKinds) {
    const { typeName, table, cited } = STATEMENT_KINDS[kind];
    const spec = registry.get(typeName);
    expect({ kind, table: spec?.table, writes: Boolean(spec?.writes) }).toEqual({ kind, table, writes: true });
    expect(citation.some((c) => c.propertyName === STATEMENT_KINDS[kind].citedProperty)).toBe(true);
    const name = spec!.writes!.name;
    expect([`create${name}`, `update${name}`, `delete${name}`].filter((m) => !mutations[m])).toEqual([]);
    expect(cited).toMatch(/_id$/);
  }
  const statementEnum = schema.getType('StatementKind');
  expect(
    isEnumType(statementEnum) &&
      statementEnum
        .getValues()
        .map((v) => v.name)
        .sort(),
  ).toEqual([...statementKinds].sort());
});

test('every registered type is written through the API, with the same mutations, and only statements are deleted for good', () => {
  const mutations = schema.getMutationType()!.getFields();
  for (const spec of registry.values()) {
    // Citations are written with their statement, added to it and taken off it: addCitation, removeCitation.
    if (spec.typeName === 'Citation') {
      expect(['addCitation', 'removeCitation', 'updateCitation'].filter((m) => !mutations[m])).toEqual([]);
      continue;
    }
    const name = spec.writes?.name;
    expect({ type: spec.typeName, writes: Boolean(name) }).toEqual({ type: spec.typeName, writes: true });
    const missing = ['create', 'update', 'retract', 'restore'].map((verb) => `${verb}${name}`).filter((m) => !mutations[m]);
    expect({ type: spec.typeName, missing }).toEqual({ type: spec.typeName, missing: [] });
    expect({ type: spec.typeName, deleted: Boolean(mutations[`delete${name}`]) }).toEqual({ type: spec.typeName, deleted: Boolean(kindOfType(spec.typeName)) });
    // Every change takes the version read and a comment.
    for (const verb of ['update', 'retract', 'restore']) {
      expect(mutations[`${verb}${name}`].args.map((a) => a.name)).toEqual(expect.arrayContaining(['id', 'version', 'comment']));
    }
  }
  const writes = Object.values(mutations).filter(
    (m) => /^(create|update|retract|restore|delete|add|remove|merge)/.test(m.name) && !/BriefDefinition|ApiKey/.test(m.name),
  );
  expect(writes.filter((m) => !m.args.some((a) => a.name === 'comment')).map((m) => m.name)).toEqual([]);
});

test('every registered entity is the table the registry names', () => {
  const tables = getMetadataArgsStorage().tables;
  for (const spec of registry.values()) {
    const table = tables.find((t) => t.target === spec.entity);
    expect({ type: spec.typeName, table: table?.name ?? spec.table }).toEqual({ type: spec.typeName, table: spec.table });
  }
});

test('every field of every registered type reads from the database as declared', async () => {
  const server = await startTestServer();
  try {
    for (const [typeName, spec] of registry) {
      const [row] = await server.dataSource.query(`SELECT id FROM ${spec.table} WHERE marking = 'CLEAR' ORDER BY id LIMIT 1`);
      expect({ typeName, seeded: Boolean(row) }).toEqual({ typeName, seeded: true });
      const body = await server.gqlAs(null, `query($id: ID!) { node(id: $id) { ... on ${typeName} { ${everyField(typeName)} } } }`, {
        id: toGlobalId(typeName, row.id),
      });
      expect({ typeName, errors: body.body.errors }).toEqual({ typeName, errors: undefined });
      expect(dataOf(body).node).not.toBeNull();
    }
  } finally {
    await server.close();
  }
});

test('every `first` argument describes the page size a connection really has without it', () => {
  const pageArgs = Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .flatMap((t) => Object.values(t.getFields()).flatMap((f) => f.args.filter((a) => a.name === 'first').map((a) => `${t.name}.${f.name}: ${a.description}`)));
  expect(pageArgs.length).toBeGreaterThan(20);
  const { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } = loadConfig({});
  expect(
    pageArgs.filter((d) => !d.includes(`DEFAULT_PAGE_SIZE (${DEFAULT_PAGE_SIZE} unless`) || !d.includes(`MAX_PAGE_SIZE (${MAX_PAGE_SIZE} unless`)),
  ).toEqual([]);
});
