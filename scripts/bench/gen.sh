#!/usr/bin/env bash
# (Re)creates database <prefix>_<size> as a copy of <prefix> (migrated and seeded by Dossier: scripts/bench/run.mjs
# does that first) and fills it with deterministic synthetic TLP:CLEAR data (gen.sql).
# Usage: scripts/bench/gen.sh small|large|<number of topics> [prefix]
#   small: a 20-actor topic (200 statements, 410 citations) and a 100-actor one (2,000 statements).
#   large: 1,000 topics, 100,000 actors, 2,000,000 statements, 4,000,000 citations (about 1.7 GB, 10-15 minutes).
#   N (a number of topics): N topics, N x 2,000 statements: a quicker "big" database.
# BENCH_PG (default postgres://postgres@127.0.0.1:5432) is the server.
set -euo pipefail
cd "$(dirname "$0")"
size=${1:?small, large or a number of topics}
prefix=${2:-perf_dossier}
case $size in
  small) T=2;    S=100;    EXTRA=0 ;;
  large) T=1000; S=200000; EXTRA=80 ;;
  *[!0-9]*|'') echo "small, large or a number of topics" >&2; exit 2 ;;
  *) T=$size; S=$(( size * 200 > 100 ? size * 200 : 100 )); EXTRA=0 ;;
esac
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PSQL="psql -X -q"
db=${prefix}_$size
$PSQL "$PG/postgres" -c "drop database if exists $db" -c "create database $db template $prefix"
# pg_stat_statements counts statements per request when the server preloads it; optional otherwise.
$PSQL "$PG/$db" -c "create extension if not exists pg_stat_statements" 2>/dev/null || echo "gen: pg_stat_statements unavailable: no statement counts" >&2
start=$(date +%s)
$PSQL "$PG/$db" -v T=$T -v S=$S -v EXTRA_ACTORS=$EXTRA -f gen.sql >/dev/null
$PSQL "$PG/$db" -c "vacuum (analyze)"
echo "gen $db: $(( $(date +%s) - start )) s" >&2
