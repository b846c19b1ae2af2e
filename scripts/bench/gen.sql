-- Deterministic synthetic TLP:CLEAR data in Dossier's own tables (run by gen.sh on a copy of perf_dossier,
-- i.e. a database that Dossier has migrated and seeded; the seed topic stays).
--   psql -v T=<topics> -v S=<sources> -v EXTRA_ACTORS=<actors in no topic> -f gen.sql
-- Shape:
--   topic 1 ('perf-topic-0001'): 20 actors x (5 capabilities + 4 challenges), 10 implications, 10 events,
--     citations only to sources 1..100  -> identical content in the small and the large database;
--   topics 2..T: 100 actors x (10 capabilities + 8 challenges), 100 implications, 100 events (the heavy topics);
--   every statement has 1-3 citations (avg 2) to a source picked by hash; credibility 1-6; all rows marked CLEAR.
-- Ids are md5('perf:<kind>:<n>')::uuid, values come from hashint8 of the row number: the same on every run.
-- Rows are inserted in id order (i.e. randomly), so a topic's rows are scattered over the heap like real data.
\set ON_ERROR_STOP on
\timing on
set session_replication_role = replica;   -- no FK triggers during the load; integrity is checked at the end
set synchronous_commit = off;
set work_mem = '256MB';
set maintenance_work_mem = '1GB';

create function pg_temp.h(bigint) returns bigint language sql immutable parallel safe
  as 'select hashint8($1)::bigint & 2147483647';
create function pg_temp.uid(text, bigint) returns uuid language sql immutable parallel safe
  as $$select md5('perf:' || $1 || ':' || $2)::uuid$$;

-- secondary indexes of the loaded tables: drop now, recreate (same names and definitions) after the load
create temp table saved_idx as
  select i.indexname, i.indexdef from pg_indexes i
  where i.schemaname = 'public'
    and i.tablename in ('actor','topic','topic_actor','source','citation','capability','challenge','implication','event','event_actor','implication_actor')
    and i.indexname not in (select conname from pg_constraint);
do $$ declare r record; begin
  for r in select indexname from saved_idx loop execute format('drop index public.%I', r.indexname); end loop;
end $$;

-- kinds and categories are open vocabularies (vocabulary_term): the first terms of each, in order
create temp table vocab as select vocabulary, array_agg(term order by position) as terms from vocabulary_term group by vocabulary;

-- number plan -------------------------------------------------------------------------------------------
create temp table p_actor as
  select a::bigint as a,
         case when a <= 20 then 1 when a <= 20 + (:T - 1) * 100 then 2 + (a - 21) / 100 else null end as t
  from generate_series(1, 20 + (:T - 1) * 100 + :EXTRA_ACTORS) a;
create temp table p_topic as select t::bigint as t from generate_series(1, :T) t;

-- topics, actors, sources -------------------------------------------------------------------------------
insert into topic (id, marking, created_at, updated_at, slug, title, summary, starts_on)
select pg_temp.uid('topic', t), 'CLEAR', ts, ts, 'perf-topic-' || lpad(t::text, 4, '0'),
       'Synthetic topic ' || t,
       'Synthetic situation ' || t || ' for the performance bench: ' ||
       (case when t = 1 then '20 actors, 200 statements.' else '100 actors, 2,000 statements.' end),
       date '2024-01-01' + (pg_temp.h(t * 16 + 1) % 365)::int
from p_topic, lateral (select timestamptz '2025-01-01 00:00:00+00' + t * interval '1 second' as ts) x
order by 1;

insert into actor (id, marking, created_at, updated_at, name, kind, aliases, country_code, description)
select pg_temp.uid('actor', a), 'CLEAR', ts, ts,
       'Actor ' || lpad(a::text, 6, '0') || ' ' || substr(md5('name' || a), 1, 8),
       (select terms from vocab where vocabulary = 'actor-kind')[1 + pg_temp.h(a * 16 + 2) % 8],
       case when a % 3 = 0 then array['Alias ' || a] else '{}' end,
       chr(65 + (pg_temp.h(a * 16 + 3) % 26)::int) || chr(65 + (pg_temp.h(a * 16 + 4) % 26)::int),
       case when a % 2 = 0 then 'Synthetic actor ' || a || ', a participant in topic ' || coalesce(t::text, 'none') || '.' end
from p_actor, lateral (select timestamptz '2025-01-01 00:00:00+00' + a * interval '1 second' as ts) x
order by 1;

insert into topic_actor (topic_id, actor_id)
select pg_temp.uid('topic', t), pg_temp.uid('actor', a) from p_actor where t is not null order by 2;

insert into source (id, marking, created_at, updated_at, name, kind, url, published_on, reliability, description)
select pg_temp.uid('source', s), 'CLEAR', ts, ts,
       'Source ' || lpad(s::text, 6, '0') || ': report ' || substr(md5('src' || s), 1, 12),
       (select terms from vocab where vocabulary = 'source-kind')[1 + pg_temp.h(s * 16 + 5) % 7],
       'https://example.org/report/' || s,
       case when s % 5 <> 0 then date '2023-01-01' + (pg_temp.h(s * 16 + 6) % 900)::int end,
       (enum_range(null::source_reliability))[1 + pg_temp.h(s * 16 + 7) % 6],
       case when s % 4 = 0 then 'Synthetic source ' || s end
from generate_series(1, :S) s, lateral (select timestamptz '2025-01-01 00:00:00+00' + s * interval '1 second' as ts) x
order by 1;

-- statements (numbered per kind) ---------------------------------------------------------------------------
create temp table p_cap as
  select (a - 1) * 10 + k as n, a, t from p_actor, generate_series(1, case when t = 1 then 5 else 10 end) k where t is not null;
create temp table p_chal as
  select (a - 1) * 8 + k as n, a, t from p_actor, generate_series(1, case when t = 1 then 4 else 8 end) k where t is not null;
create temp table p_impl as
  select (t - 1) * 100 + k as n, t from p_topic, generate_series(1, case when t = 1 then 10 else 100 end) k;
create temp table p_event as
  select (t - 1) * 100 + k as n, t from p_topic, generate_series(1, case when t = 1 then 10 else 100 end) k;

insert into capability (id, marking, created_at, updated_at, topic_id, actor_id, category, statement,
                        quantity_low, quantity_best, quantity_high, quantity_unit, quantity_as_stated)
select pg_temp.uid('cap', n), 'CLEAR', ts, ts, pg_temp.uid('topic', t), pg_temp.uid('actor', a),
       (select terms from vocab where vocabulary = 'capability-category')[1 + pg_temp.h(n * 16 + 8) % 10],
       'Actor ' || a || ' can field capability ' || n || ' (' || substr(md5('cap' || n), 1, 16) || ') in the theatre of topic ' || t || '.',
       q.low, q.best, q.high, q.unit, q.stated
from p_cap,
  lateral (select timestamptz '2025-01-01 00:00:00+00' + n * interval '1 second' as ts) x,
  lateral (select case when n % 3 = 0 then (pg_temp.h(n * 16 + 9) % 10000)::float8 end as best) b,
  lateral (select case when n % 6 = 0 then b.best * 0.8 end as low, b.best, case when n % 6 = 0 then b.best * 1.2 end as high,
                  case when n % 3 = 0 then 'troops' end as unit, case when n % 3 = 0 then 'about ' || b.best end as stated) q
order by 1;

insert into challenge (id, marking, created_at, updated_at, topic_id, actor_id, category, statement, quantity_best, quantity_unit)
select pg_temp.uid('chal', n), 'CLEAR', ts, ts, pg_temp.uid('topic', t), pg_temp.uid('actor', a),
       (select terms from vocab where vocabulary = 'challenge-category')[1 + pg_temp.h(n * 16 + 10) % 10],
       'Actor ' || a || ' is held back by challenge ' || n || ' (' || substr(md5('chal' || n), 1, 16) || ').',
       case when n % 4 = 0 then (pg_temp.h(n * 16 + 11) % 500)::float8 end, case when n % 4 = 0 then 'vehicles' end
from p_chal, lateral (select timestamptz '2025-01-01 00:00:00+00' + n * interval '1 second' as ts) x
order by 1;

insert into implication (id, marking, created_at, updated_at, topic_id, statement, likelihood, confidence, scope, horizon)
select pg_temp.uid('impl', n), 'CLEAR', ts, ts, pg_temp.uid('topic', t),
       'Judgment ' || n || ' on topic ' || t || ': ' || substr(md5('impl' || n), 1, 24) || ' will likely follow.',
       (enum_range(null::likelihood))[1 + pg_temp.h(n * 16 + 12) % 7],
       (enum_range(null::analytic_confidence))[1 + pg_temp.h(n * 16 + 13) % 3],
       (enum_range(null::implication_scope))[1 + pg_temp.h(n * 16 + 14) % 5],
       (enum_range(null::time_horizon))[1 + pg_temp.h(n * 16 + 15) % 4]
from p_impl, lateral (select timestamptz '2025-01-01 00:00:00+00' + n * interval '1 second' as ts) x
order by 1;

insert into event (id, marking, created_at, updated_at, topic_id, title, description, occurred_on, precision)
select pg_temp.uid('event', n), 'CLEAR', ts, ts, pg_temp.uid('topic', t),
       'Event ' || n || ' in topic ' || t || ': ' || substr(md5('event' || n), 1, 20),
       case when n % 2 = 0 then 'What happened in event ' || n || '.' end,
       case p when 'DAY' then d when 'MONTH' then date_trunc('month', d)::date else date_trunc('year', d)::date end,
       p::date_precision
from p_event,
  lateral (select timestamptz '2025-01-01 00:00:00+00' + n * interval '1 second' as ts,
                  date '2023-06-01' + (pg_temp.h(n * 16 + 16) % 700)::int as d,
                  (array['DAY','DAY','DAY','MONTH','YEAR'])[1 + pg_temp.h(n * 16 + 17) % 5] as p) x
order by 1;

-- each implication bears on one actor of its topic, each event involves one (for the composed brief)
insert into implication_actor (implication_id, actor_id)
select pg_temp.uid('impl', n),
       pg_temp.uid('actor', case when t = 1 then 1 + pg_temp.h(n * 16 + 18) % 20 else 21 + (t - 2) * 100 + pg_temp.h(n * 16 + 18) % 100 end)
from p_impl order by 1;
insert into event_actor (event_id, actor_id)
select pg_temp.uid('event', n),
       pg_temp.uid('actor', case when t = 1 then 1 + pg_temp.h(n * 16 + 19) % 20 else 21 + (t - 2) * 100 + pg_temp.h(n * 16 + 19) % 100 end)
from p_event order by 1;

-- citations: 1-3 per statement; topic 1 cites sources 1..100 only -------------------------------------------
create temp table p_stmt as
  select 'cap' as kind, 1 as k, n, t from p_cap
  union all select 'chal', 2, n, t from p_chal
  union all select 'impl', 3, n, t from p_impl
  union all select 'event', 4, n, t from p_event;

insert into citation (id, marking, created_at, updated_at, source_id, verb, quote, credibility,
                      capability_id, challenge_id, implication_id, event_id)
select pg_temp.uid('cit:' || kind, n * 4 + j), 'CLEAR', ts, ts,
       pg_temp.uid('source', 1 + pg_temp.h((n * 8 + k) * 4 + j) % (case when t = 1 then least(100, :S) else :S end)),
       (enum_range(null::reporting_verb))[1 + pg_temp.h((n * 8 + k) * 4 + j + 7) % 9],
       'Quote ' || j || ' on ' || kind || ' ' || n || ': "' || substr(md5('q' || kind || n || j), 1, 20) || '"',
       (1 + pg_temp.h((n * 8 + k) * 4 + j + 11) % 6)::smallint,
       case when k = 1 then pg_temp.uid(kind, n) end,
       case when k = 2 then pg_temp.uid(kind, n) end,
       case when k = 3 then pg_temp.uid(kind, n) end,
       case when k = 4 then pg_temp.uid(kind, n) end
from p_stmt,
  lateral generate_series(1, 1 + (pg_temp.h(n * 8 + k) % 3)::int) j,
  lateral (select timestamptz '2025-01-01 00:00:00+00' + (n * 4 + j) * interval '1 second' as ts) x
order by 1;

-- recreate the secondary indexes ----------------------------------------------------------------------------
do $$ declare r record; begin
  for r in select indexdef from saved_idx loop execute r.indexdef; end loop;
end $$;
reset session_replication_role;

-- every FK must hold (the load skipped the FK triggers): each count must be 0
select 'orphans' as check,
  (select count(*) from topic_actor x where not exists (select 1 from topic p where p.id = x.topic_id)) +
  (select count(*) from topic_actor x where not exists (select 1 from actor p where p.id = x.actor_id)) +
  (select count(*) from capability x where not exists (select 1 from topic p where p.id = x.topic_id)) +
  (select count(*) from capability x where not exists (select 1 from actor p where p.id = x.actor_id)) +
  (select count(*) from challenge x where not exists (select 1 from topic p where p.id = x.topic_id)) +
  (select count(*) from challenge x where not exists (select 1 from actor p where p.id = x.actor_id)) +
  (select count(*) from implication x where not exists (select 1 from topic p where p.id = x.topic_id)) +
  (select count(*) from event x where not exists (select 1 from topic p where p.id = x.topic_id)) +
  (select count(*) from implication_actor x where not exists (select 1 from implication p where p.id = x.implication_id)) +
  (select count(*) from implication_actor x where not exists (select 1 from actor p where p.id = x.actor_id)) +
  (select count(*) from event_actor x where not exists (select 1 from event p where p.id = x.event_id)) +
  (select count(*) from event_actor x where not exists (select 1 from actor p where p.id = x.actor_id)) +
  (select count(*) from citation x where not exists (select 1 from source p where p.id = x.source_id)) +
  (select count(*) from citation x where x.capability_id is not null and not exists (select 1 from capability p where p.id = x.capability_id)) +
  (select count(*) from citation x where x.challenge_id is not null and not exists (select 1 from challenge p where p.id = x.challenge_id)) +
  (select count(*) from citation x where x.implication_id is not null and not exists (select 1 from implication p where p.id = x.implication_id)) +
  (select count(*) from citation x where x.event_id is not null and not exists (select 1 from event p where p.id = x.event_id))
  as n;
