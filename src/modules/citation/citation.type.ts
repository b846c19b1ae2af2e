import { sql } from '../../read/fragment';
import { compare, credibilityBound, markingAtMost, oneOf } from '../../read/filters';
import { byColumn, byParentKey, byTimestamps, one, TypeSpec } from '../../read/model';
import { STATEMENT_KINDS, statementKinds } from '../../registry/statement-kinds';
import { Citation } from './citation.entity';
import { CitationFilter } from './citation.filter';

export const citationType: TypeSpec<CitationFilter> = {
  typeName: 'Citation',
  plural: 'citations',
  table: 'citation',
  entity: Citation,
  fields: {
    source: one('Source', byParentKey('source_id')),
    relayedFrom: one('Source', byParentKey('relayed_from_id')),
    statement: {
      kind: 'either',
      options: statementKinds.map((kind) => {
        const { typeName, cited } = STATEMENT_KINDS[kind];
        return { target: typeName, when: (c) => sql`${c}.${sql.identifier(cited)} IS NOT NULL`, join: byParentKey(cited) };
      }),
    },
  },
  filter: {
    input: CitationFilter,
    conditions: (f, a) => [
      ...compare(a, 'credibility', '<=', credibilityBound(f.minCredibility, 'filter.minCredibility')),
      ...oneOf(a, 'verb', f.verbs, 'reporting_verb'),
      ...markingAtMost(a, f.markingAtMost),
    ],
  },
  orderFields: { CREDIBILITY: byColumn('credibility', 'smallint'), ...byTimestamps },
  defaultOrder: { field: 'CREDIBILITY', direction: 'ASC', description: 'most credible first' },
};
