#!/bin/sh
# The physical reference of issue 15: how fast this machine's PostgreSQL loads rows with COPY, plain and into a table
# with a (point, ts) primary key, on the embedded server's own binaries and settings (shared_buffers 256MB).
#   bench/scripts/copy_reference.sh [rows] [port]
# Starts a throw-away cluster under /tmp, loads `rows` rows shaped like point_sample (point, ts, 10 reals, one double,
# a flag, a receive time) from a file, prints rows/s for each case, and removes the cluster.
set -e
ROWS=${1:-2000000}
PORT=${2:-55330}
PG=$(ls -d /tmp/embedded-pg/PG-*/bin | head -1)
[ -x "$PG/initdb" ] || { echo "no embedded PostgreSQL unpacked under /tmp/embedded-pg (start the platform once)"; exit 1; }
DIR=$(mktemp -d /tmp/copyref.XXXXXX)
chown nobody "$DIR" 2>/dev/null || true
RUN() { if [ "$(id -u)" = 0 ]; then su nobody -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
RUN "$PG/initdb -D $DIR/data -U postgres -A trust >/dev/null"
RUN "$PG/pg_ctl -D $DIR/data -o '-p $PORT -c shared_buffers=256MB -c synchronous_commit=on' -l $DIR/log -w start >/dev/null"
trap 'RUN "$PG/pg_ctl -D $DIR/data -m fast stop" >/dev/null; rm -rf $DIR' EXIT
Q() { psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atq "$@"; }
Q -c "copy (select (i % 25000)::bigint, timestamptz '2026-12-01 00:00+08' + (i / 25000) * interval '1 minute',
                    random()*100, random()*100, random(), random()*50, random()*50, random()*50, 220+random(), 220+random(),
                    220+random(), random()*1e6, null, false, now()
             from generate_series(1, $ROWS) i) to '$DIR/rows.tsv'"
chmod a+r "$DIR/rows.tsv" 2>/dev/null || true
COLS="point_id bigint, ts timestamptz, p real, q real, pf real, ia real, ib real, ic real, ua real, ub real, uc real, e double precision, extra jsonb, invalid boolean, received_at timestamptz"
time_copy() { # table, label
  start=$(date +%s.%N)
  Q -c "copy $1 from '$DIR/rows.tsv'"
  end=$(date +%s.%N)
  echo "$2: $(echo "$ROWS / ($end - $start)" | bc) rows/s ($ROWS rows, $(echo "$end - $start" | bc) s)"
}
Q -c "create table plain ($COLS)"
time_copy plain "COPY, plain table"
Q -c "create unlogged table plain_unlogged ($COLS)"
time_copy plain_unlogged "COPY, unlogged plain table"
Q -c "create table keyed ($COLS, primary key (point_id, ts))"
time_copy keyed "COPY, table with a (point, ts) primary key"
Q -c "create temp table stage ($COLS); create table upserted ($COLS, primary key (point_id, ts))" >/dev/null
start=$(date +%s.%N)
Q -c "begin; create temp table stage (like keyed) on commit drop; copy stage from '$DIR/rows.tsv';
      insert into upserted select * from stage on conflict (point_id, ts) do nothing; commit"
end=$(date +%s.%N)
echo "COPY to a staging table + INSERT … ON CONFLICT into a (point, ts) keyed table: $(echo "$ROWS / ($end - $start)" | bc) rows/s"
