import type { GraphQLError } from 'graphql';
import { badUserInput, conflict } from '../common/errors';
import { requestLog } from '../common/request-scope';

// The database holds the business rules (CHECK, UNIQUE, NOT NULL and foreign keys); a write that breaks one is the
// client's mistake, told as BAD_USER_INPUT naming the input field, never a 500. The write paths check most rules
// themselves first, with more precise messages: what reaches here is the rest, and races.

/** What a violated rule means to the client: the input field at fault, and why. */
interface Rule {
  field: string;
  message: string;
}

/** Named constraints (see common/checks.ts and the entities), by name: one name means one rule on every table. */
const RULES: Record<string, Rule> = {
  item_access_decidable: { field: 'input.marking', message: 'an AMBER_STRICT item needs an organisation, a RED one an audience' },
  organisation_format: { field: 'input.organisation', message: 'an organisation is a plain name: letters, digits and . _ @ -' },
  audience_only_red: { field: 'input.audience', message: 'only a RED item has an audience' },
  name_not_blank: { field: 'input.name', message: 'a name cannot be empty' },
  title_not_blank: { field: 'input.title', message: 'a title cannot be empty' },
  summary_not_blank: { field: 'input.summary', message: 'a summary cannot be empty' },
  statement_not_blank: { field: 'input.statement', message: 'a statement cannot be empty' },
  quote_not_blank: { field: 'input.citations', message: 'a quote cannot be empty: leave it out when the source has no quotable text' },
  page_not_blank: { field: 'input.citations', message: 'a page cannot be empty' },
  paragraph_not_blank: { field: 'input.citations', message: 'a paragraph cannot be empty' },
  citation_url_format: { field: 'input.citations', message: 'a citation’s address is http(s), without spaces or angle brackets' },
  citation_points_somewhere: { field: 'input.citations', message: 'a citation needs a quote or where to look: url, page, paragraph or accessedOn' },
  country_code_format: { field: 'input.countryCode', message: 'an ISO 3166-1 alpha-2 code such as KP' },
  quantity_ordered: { field: 'input.quantity', message: 'must satisfy low <= best <= high' },
  quantity_has_value: { field: 'input.quantity', message: 'needs at least one of low, best, high' },
  quantity_exact_one_value: { field: 'input.quantity.exact', message: 'an exact quantity has one value: best, with low and high absent or equal to it' },
  topic_slug_format: { field: 'input.slug', message: 'a slug is lowercase kebab-case' },
  topic_period_ordered: { field: 'input.endsOn', message: 'a topic cannot end before it begins' },
  actor_not_own_parent: { field: 'input.parent', message: 'an actor is not part of itself' },
  location_coordinates_valid: { field: 'input.latitude', message: 'give latitude (-90 to 90) and longitude (-180 to 180) together' },
  citation_credibility_range: { field: 'input.citations', message: 'credibility is graded 1 to 6' },
  citation_cites_one_statement: { field: 'input.citations', message: 'a citation supports exactly one statement' },
  citation_relays_another: { field: 'input.citations', message: 'a citation relays a source other than its own' },
  source_relays_another: { field: 'input.relays', message: 'a source does not relay itself' },
  event_date_fits_precision: { field: 'input.occurredOn', message: 'a MONTH date is the first of its month, a YEAR date 1 January' },
  relation_validity_ordered: { field: 'input.validTo', message: 'a relation cannot end before it begins' },
  relation_distinct_actors: { field: 'input.to', message: 'an actor has no relation to itself' },
  brief_definition_name_length: { field: 'input.name', message: 'a name has at most 200 characters' },
  brief_definition_formats_given: { field: 'input.formats', message: 'keep at least one rendering' },
  brief_definition_schedule_given: { field: 'input.cron', message: 'a schedule needs a cron expression and a time zone' },
  brief_definition_marking_is_clearance: { field: 'input.brief.clearance', message: 'a definition is marked with the clearance of its brief' },
  brief_definition_paused_not_due: { field: 'id', message: 'a paused definition has no next run' },
  brief_definition_keep_runs_range: { field: 'input.keepRuns', message: 'keepRuns is between 1 and 10000' },
  brief_definition_keep_days_range: { field: 'input.keepDays', message: 'keepDays is between 1 and 3660' },
  delivery_target_deliverable: { field: 'input.clearance', message: 'a delivery carries CLEAR, GREEN or AMBER only' },
  delivery_target_kind_fields: { field: 'input.recipients', message: 'a webhook needs its URL and secret, an e-mail its recipients' },
  api_key_name_format: { field: 'input.name', message: 'letters, digits and . _ @ - only, at most 128' },
  api_key_principal_of_name: { field: 'input.name', message: 'a key’s principal is its organisation and name' },
  release_reason_given: { field: 'input.releaseReason', message: 'a release needs the reason for it' },
  retraction_explained: { field: 'reason', message: 'a retracted item says why, and only a retracted one has a reason or a successor' },
  not_superseded_by_itself: { field: 'supersededBy', message: 'an item does not replace itself' },
  vocabulary_term_format: { field: 'term', message: 'a term is UPPER_SNAKE: a capital letter, then capitals, digits or _, 64 characters at most' },
  vocabulary_name_format: { field: 'vocabulary', message: 'a vocabulary is named in lowercase kebab-case' },
  vocabulary_label_not_blank: { field: 'label', message: 'a label cannot be empty' },
  vocabulary_stix_both_or_neither: { field: 'stixTerm', message: 'a STIX term comes with its STIX vocabulary' },
};

/** Unique keys a client can meet on a write path that does not check them first, by name. */
const TAKEN: Record<string, string> = {
  actor_external_id_taken: 'an identifier given names another actor already',
};

/** Input fields behind referencing columns, by `table.column` or by column alone. */
const REFERENCES: Record<string, string> = {
  topic_id: 'input.topic',
  actor_id: 'input.actor',
  'event_actor.actor_id': 'input.actors',
  'implication_actor.actor_id': 'input.affectedActors',
  from_actor_id: 'input.from',
  to_actor_id: 'input.to',
  location_id: 'input.location',
  source_id: 'input.citations',
  parent_id: 'input.parent',
  publisher_id: 'input.publisher',
  relays_id: 'input.relays',
  relayed_from_id: 'input.citations',
  superseded_by_id: 'supersededBy',
  definition_id: 'id',
};

const CHECK_VIOLATION = '23514';
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const NOT_NULL_VIOLATION = '23502';

/** The fields node-postgres gives a database error. */
interface DatabaseError {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
}

/** The input field behind a column: a reference by REFERENCES, any other by its camelCase name. */
const fieldOf = (table: string | undefined, column: string | undefined) =>
  !column ? 'input' : (REFERENCES[`${table}.${column}`] ?? REFERENCES[column] ?? `input.${column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}`);

/**
 * The client's error for a violated constraint, or null when `error` is no such violation. A constraint missing from
 * RULES is still the client's, but logged: it wants an entry.
 */
export function constraintError(error: unknown): GraphQLError | null {
  const db: DatabaseError | undefined = (error as { driverError?: DatabaseError } | null)?.driverError;
  switch (db?.code) {
    case CHECK_VIOLATION: {
      const rule = RULES[db.constraint ?? ''];
      if (rule) return badUserInput(rule.field, rule.message);
      requestLog().error(`constraint ${db.constraint} of ${db.table} has no rule in constraint-errors.ts`);
      return badUserInput('input', 'the input breaks a rule of the data');
    }
    // The unique names a client can meet are told apart where they are written (a brief definition's or a key's name).
    case UNIQUE_VIOLATION:
      return conflict(TAKEN[db.constraint ?? ''] ?? 'something with these values exists already');
    case FOREIGN_KEY_VIOLATION: {
      // "Key (actor_id)=(...) is not present in table "actor"."
      const column = /^Key \(([a-z_]+)\)=/.exec(db.detail ?? '')?.[1];
      return badUserInput(fieldOf(db.table, column), 'refers to something that does not exist (any more)');
    }
    case NOT_NULL_VIOLATION:
      return badUserInput(fieldOf(db.table, db.column), 'is required');
    case undefined: // not a database error
    default:
      return null;
  }
}
