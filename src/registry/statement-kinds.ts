/**
 * Every kind of statement Dossier holds: each has its own table, a citation column pointing at it, a place in briefs
 * and stored runs, and a section of fixture files. Everything that lists statement kinds (citations, topic sources,
 * briefs, runs, deltas, fixtures, the access seam) is derived from this table, so a new kind starts here and a kind
 * missing elsewhere is a compile error (the per-kind maps are typed `Record<StatementKind, ...>`).
 */
export const STATEMENT_KINDS = {
  CAPABILITY: { typeName: 'Capability', table: 'capability', cited: 'capability_id', citedProperty: 'capabilityId', fixture: 'capabilities' },
  CHALLENGE: { typeName: 'Challenge', table: 'challenge', cited: 'challenge_id', citedProperty: 'challengeId', fixture: 'challenges' },
  IMPLICATION: { typeName: 'Implication', table: 'implication', cited: 'implication_id', citedProperty: 'implicationId', fixture: 'implications' },
  EVENT: { typeName: 'Event', table: 'event', cited: 'event_id', citedProperty: 'eventId', fixture: 'events' },
  RELATION: { typeName: 'ActorRelation', table: 'actor_relation', cited: 'relation_id', citedProperty: 'relationId', fixture: 'relations' },
} as const;

export type StatementKind = keyof typeof STATEMENT_KINDS;
type Kind = (typeof STATEMENT_KINDS)[StatementKind];
export type StatementTable = Kind['table'];
/** The citation column that points at statements of one kind. */
export type CitedColumn = Kind['cited'];
export type StatementTypeName = Kind['typeName'];

export const statementKinds = Object.keys(STATEMENT_KINDS) as StatementKind[];
export const statementTables = statementKinds.map((k) => STATEMENT_KINDS[k].table);
export const citedColumns = statementKinds.map((k) => STATEMENT_KINDS[k].cited);

/** The kind whose GraphQL type is `typeName`, if it is a statement. */
export const kindOfType = (typeName: string): StatementKind | undefined => statementKinds.find((k) => STATEMENT_KINDS[k].typeName === typeName);
