import type { DataSource } from 'typeorm';
import type { Marking } from '../../common/marking';
import { live } from '../../read/filters';
import { compile, sql, type Sql } from '../../read/fragment';
import type { SqlBuilder } from '../../read/sql';
import { STATEMENT_KINDS, statementKinds } from '../../registry/statement-kinds';
import type { BriefData } from '../brief/brief.read';
import { Vocabulary } from '../vocabulary/vocabularies';

// What a STIX export needs beyond what the brief reads (descriptions, aliases, timestamps, the topic of each
// statement), read by id for the items the brief read returned, in one SQL statement. Every row passes the access
// seam again, so a row the reader may not see is missing here whatever the ids say.

export interface Stamped {
  id: string;
  marking: Marking;
  createdAt: string;
  updatedAt: string;
}

/** Who may read an item besides its marking: an AMBER+STRICT item's organisation, a RED item's audience. */
export interface Access {
  id: string;
  organisation: string | null;
  audience: string[];
}

export interface TopicDetail extends Stamped {
  slug: string;
  title: string;
  summary: string;
  startsOn: string | null;
  endsOn: string | null;
  /** Its actors the reader may see and that stand. */
  actorIds: string[];
}

export interface ActorDetail extends Stamped {
  name: string;
  kind: string;
  aliases: string[];
  countryCode: string | null;
  description: string | null;
  externalIds: Array<{ scheme: string; value: string }>;
  parentId: string | null;
}

export interface LocationDetail extends Stamped {
  name: string;
  kind: string;
  countryCode: string | null;
  latitude: number | null;
  longitude: number | null;
  description: string | null;
}

export interface SourceDetail extends Stamped {
  description: string | null;
}

export interface StixDetails {
  topics: TopicDetail[];
  actors: ActorDetail[];
  locations: LocationDetail[];
  sources: SourceDetail[];
  /** Creation times of the citations. */
  citations: Array<{ id: string; createdAt: string }>;
  /** The organisation and audience of every item read: exported where the marking gives them meaning. */
  access: Access[];
  /** The topic each statement belongs to. */
  statementTopics: Array<{ id: string; topicId: string }>;
  /** Terms with a STIX spelling: `vocabulary/term` -> its STIX vocabulary and term. */
  stixTerms: Array<{ vocabulary: string; term: string; stixVocabulary: string; stixTerm: string }>;
}

const stamps = (x: Sql) => sql`'id', ${x}.id, 'marking', ${x}.marking, 'createdAt', ${x}.created_at, 'updatedAt', ${x}.updated_at`;
const list = (row: Sql, from: Sql) => sql`(SELECT coalesce(json_agg(${row}), '[]'::json) FROM ${from})`;

/** The ids the brief read names, by table. */
function idsOf(data: BriefData) {
  const actors = new Set<string>(data.actors.map((a) => a.id));
  const locations = new Set<string>();
  const sources = new Set<string>();
  const citations = new Set<string>();
  for (const s of data.statements) {
    for (const a of [s.actor, s.counterpart, ...(s.affectedActors ?? [])]) if (a) actors.add(a.id);
    if (s.location) locations.add(s.location.id);
    for (const c of s.citations) {
      citations.add(c.id);
      sources.add(c.source.id);
      if (c.source.publisherId) actors.add(c.source.publisherId);
    }
  }
  return { actors: [...actors], locations: [...locations], sources: [...sources], citations: [...citations] };
}

export function detailsQuery(q: SqlBuilder, data: BriefData): Sql {
  const ids = idsOf(data);
  const uuids = (values: string[]) => sql.value(values, 'uuid[]');
  const scopeTopics = uuids(data.topics.map((t) => t.id));
  const statementTopics = sql.join(
    statementKinds.map((kind) => {
      const x = q.alias();
      const statementIds = uuids(data.statements.filter((s) => s.kind === kind).map((s) => s.id));
      return sql`SELECT ${x}.id, ${x}.topic_id, ${x}.organisation, ${x}.audience FROM ${sql.identifier(STATEMENT_KINDS[kind].table)} ${x}
        WHERE ${x}.id = ANY(${statementIds}) AND ${q.visible(x, STATEMENT_KINDS[kind].table)}`;
    }),
    '\nUNION ALL\n',
  );
  const [t, a, ta, taa, l, s, c, st] = [q.alias(), q.alias(), q.alias(), q.alias(), q.alias(), q.alias(), q.alias(), q.alias()];
  const topicActors = sql`coalesce((SELECT array_agg(${taa}.id ORDER BY ${taa}.id) FROM topic_actor ${ta} JOIN actor ${taa} ON ${taa}.id = ${ta}.actor_id
      WHERE ${ta}.topic_id = ${t}.id AND ${t}.id = ANY(${scopeTopics}) AND ${q.visible(taa, 'actor')} AND ${live(taa)}), '{}')`;
  const actorIds = sql`(${a}.id = ANY(${uuids(ids.actors)}) OR ${a}.id IN (SELECT ${ta}.actor_id FROM topic_actor ${ta}
      WHERE ${ta}.topic_id = ANY(${scopeTopics}) AND ${live(a)}))`;
  return sql`WITH statement_topic AS (${statementTopics})
    SELECT json_build_object(
      'topics', ${list(
        sql`json_build_object(${stamps(t)}, 'slug', ${t}.slug, 'title', ${t}.title, 'summary', ${t}.summary,
          'startsOn', ${t}.starts_on, 'endsOn', ${t}.ends_on, 'actorIds', ${topicActors})`,
        sql`topic ${t} WHERE (${t}.id = ANY(${scopeTopics}) OR ${t}.id IN (SELECT topic_id FROM statement_topic)) AND ${q.visible(t, 'topic')}`,
      )},
      'actors', ${list(
        sql`json_build_object(${stamps(a)}, 'name', ${a}.name, 'kind', ${a}.kind, 'aliases', ${a}.aliases, 'countryCode', ${a}.country_code,
          'description', ${a}.description, 'externalIds', ${a}.external_ids, 'parentId', ${a}.parent_id)`,
        sql`actor ${a} WHERE ${actorIds} AND ${q.visible(a, 'actor')}`,
      )},
      'locations', ${list(
        sql`json_build_object(${stamps(l)}, 'name', ${l}.name, 'kind', ${l}.kind, 'countryCode', ${l}.country_code,
          'latitude', ${l}.latitude, 'longitude', ${l}.longitude, 'description', ${l}.description)`,
        sql`location ${l} WHERE ${l}.id = ANY(${uuids(ids.locations)}) AND ${q.visible(l, 'location')}`,
      )},
      'sources', ${list(
        sql`json_build_object(${stamps(s)}, 'description', ${s}.description)`,
        sql`source ${s} WHERE ${s}.id = ANY(${uuids(ids.sources)}) AND ${q.visible(s, 'source')}`,
      )},
      'citations', ${list(
        sql`json_build_object('id', ${c}.id, 'createdAt', ${c}.created_at)`,
        sql`citation ${c} WHERE ${c}.id = ANY(${uuids(ids.citations)}) AND ${q.visible(c, 'citation')}`,
      )},
      'statementTopics', ${list(sql`json_build_object('id', ${st}.id, 'topicId', ${st}.topic_id)`, sql`statement_topic ${st}`)},
      'access', ${list(
        sql`json_build_object('id', ${st}.id, 'organisation', ${st}.organisation, 'audience', ${st}.audience)`,
        sql`(SELECT * FROM (SELECT id, organisation, audience FROM statement_topic
          UNION ALL SELECT ${t}.id, ${t}.organisation, ${t}.audience FROM topic ${t} WHERE ${t}.id = ANY(${scopeTopics}) AND ${q.visible(t, 'topic')}
          UNION ALL SELECT ${a}.id, ${a}.organisation, ${a}.audience FROM actor ${a} WHERE ${actorIds} AND ${q.visible(a, 'actor')}
          UNION ALL SELECT ${l}.id, ${l}.organisation, ${l}.audience FROM location ${l} WHERE ${l}.id = ANY(${uuids(ids.locations)}) AND ${q.visible(l, 'location')}
          UNION ALL SELECT ${s}.id, ${s}.organisation, ${s}.audience FROM source ${s} WHERE ${s}.id = ANY(${uuids(ids.sources)}) AND ${q.visible(s, 'source')}
          UNION ALL SELECT ${c}.id, ${c}.organisation, ${c}.audience FROM citation ${c} WHERE ${c}.id = ANY(${uuids(ids.citations)}) AND ${q.visible(c, 'citation')}) u
          WHERE u.organisation IS NOT NULL OR cardinality(u.audience) > 0) ${st}`,
      )},
      'stixTerms', ${list(
        sql`json_build_object('vocabulary', vt.vocabulary, 'term', vt.term, 'stixVocabulary', vt.stix_vocabulary, 'stixTerm', vt.stix_term)`,
        sql`vocabulary_term vt WHERE vt.stix_term IS NOT NULL AND vt.vocabulary = ANY(${sql.value(
          [Vocabulary.ACTOR_KIND, Vocabulary.RELATION_TYPE, Vocabulary.SOURCE_KIND],
          'text[]',
        )})`,
      )}
    ) AS result`;
}

/** The details of what `data` names, as `q`'s viewer may see them. */
export async function readStixDetails(dataSource: DataSource, q: SqlBuilder, data: BriefData): Promise<StixDetails> {
  const statement = compile(detailsQuery(q, data));
  const rows: Array<{ result: StixDetails }> = await dataSource.query(statement.text, statement.values);
  return rows[0].result;
}
