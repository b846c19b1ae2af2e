import { byParentKey, byTimestamps, one, TableModel } from '../../read/model';
import { credibilityBound, markingAtMost, oneOf } from '../../read/filters';
import type { CitationFilter } from './citation.inputs';

const statement = (target: string, column: string) => ({
  target,
  when: (c: string) => `${c}.${column} IS NOT NULL`,
  join: byParentKey(column),
});

export const citationModel: TableModel<CitationFilter> = {
  typeName: 'Citation',
  table: 'citation',
  fields: {
    source: one('Source', byParentKey('source_id')),
    statement: {
      kind: 'either',
      options: [
        statement('Capability', 'capability_id'),
        statement('Challenge', 'challenge_id'),
        statement('Implication', 'implication_id'),
        statement('Event', 'event_id'),
        statement('ActorRelation', 'relation_id'),
      ],
    },
  },
  filter: (f, a, sql) => {
    const credibility = credibilityBound(f.minCredibility, 'filter.minCredibility');
    return [
      ...(credibility !== null ? [`${a}.credibility <= ${sql.param(credibility)}`] : []),
      ...oneOf(a, 'verb', sql, f.verbs, 'reporting_verb'),
      ...markingAtMost(a, sql, f.markingAtMost),
    ];
  },
  orderFields: { CREDIBILITY: { sql: (a) => `${a}.credibility`, cast: 'smallint' }, ...byTimestamps },
  defaultOrder: { field: 'CREDIBILITY', direction: 'ASC' },
};
