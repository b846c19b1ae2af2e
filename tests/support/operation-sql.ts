import { format } from 'sql-formatter';
import { loadConfig } from '../../src/config';
import { Marking } from '../../src/common/marking';
import type { Viewer } from '../../src/common/viewer';
import { Role } from '../../src/modules/identity/role';
import type { RootFieldSql } from '../../src/read/operation-sql';

/** The reader the operations test asks as: an ADMIN of test-org at TLP:GREEN (see tests/support/server.ts). */
export const OPERATIONS_VIEWER: Viewer = {
  principal: 'test-org/operations-reader',
  organisation: 'test-org',
  role: Role.ADMIN,
  clearance: Marking.GREEN,
};

/** Page sizes of the test server: its configuration's defaults, as server/app.ts derives them. */
const config = loadConfig({ NODE_ENV: 'test' });
export const TEST_PAGE_SIZE = { max: config.MAX_PAGE_SIZE, default: Math.min(config.DEFAULT_PAGE_SIZE, config.MAX_PAGE_SIZE) };

/** A parameter value as an SQL literal, for the header of a statement. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]`;
  if (typeof value === 'string') {
    // A control character would break the comment line: such a value is shown JSON-escaped.
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
    return /[\u0000-\u001f]/.test(value) ? `E${JSON.stringify(value)}` : `'${value.replace(/'/g, "''")}'`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${JSON.stringify(value).replace(/'/g, "''")}'`;
}

/**
 * `text` laid out for review by sql-formatter, each json_build_object key beside its value. Only whitespace may
 * change: anything else is a formatter fault, and throws rather than show SQL that differs from what runs.
 */
export function layout(text: string): string {
  const laidOut = pairJsonKeys(format(text, { language: 'postgresql', tabWidth: 2, expressionWidth: 100, paramTypes: { numbered: ['$'] } }));
  const squeeze = (s: string) => s.replace(/\s+/g, '');
  if (squeeze(laidOut) !== squeeze(text)) throw new Error('the SQL layout changed more than whitespace');
  return laidOut;
}

/**
 * sql-formatter puts every argument of a long json_build_object on its own line; this joins each key (a
 * quoted name) with the first line of its value, so the object reads `'name', t1.name,`.
 */
function pairJsonKeys(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  const indent = (line: string) => line.length - line.trimStart().length;
  // Indent of the arguments of each json_build_object being read, and whether a key waits for its value.
  const open: Array<{ at: number; key: boolean }> = [];
  for (const line of lines) {
    while (open.length && line.trim() && indent(line) < open[open.length - 1].at) open.pop();
    const top = open[open.length - 1];
    const startsArgument = top && indent(line) === top.at && !/^(\)|END\b)/.test(line.trim());
    if (startsArgument && top.key) {
      out[out.length - 1] += ` ${line.trim()}`;
      top.key = false;
    } else {
      if (startsArgument) top.key = /^'[^']*',$/.test(line.trim());
      out.push(line);
    }
    if (/json_build_object\($/.test(line)) open.push({ at: indent(line) + 2, key: false });
  }
  return out.join('\n');
}

/** The reviewable SQL file of one operation: a header, then each root field's statement with its parameters. */
export function renderOperationSql(operationFile: string, fields: RootFieldSql[], variablesFile?: string): string {
  const { role, organisation, clearance } = OPERATIONS_VIEWER;
  const variables = variablesFile ? `the variables of ${variablesFile}` : "the operation's default variables";
  const header = [
    `-- The SQL that fixtures/operations/${operationFile} sends: one statement per root field, compiled`,
    `-- for an ${role} of organisation ${organisation} at clearance ${clearance} (the reader of tests/operations.test.ts),`,
    `-- with ${variables}. Laid out for review; only whitespace differs from the text sent.`,
    '-- UPDATE_EXPECTED=1 npx jest tests/operations.test.ts rewrites it.',
  ];
  const sections = fields.map(({ responseKey, field, statement }) => {
    const title = `-- Root field ${responseKey} (${field})`;
    if (!statement) return `${title}: no SQL`;
    const params = statement.params.map((value, i) => `-- $${i + 1} = ${literal(value)}`);
    return [title, ...params, `${layout(statement.text)};`].join('\n');
  });
  return `${[header.join('\n'), ...sections].join('\n\n')}\n`;
}
