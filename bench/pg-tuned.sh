#!/usr/bin/env bash
# A PostgreSQL server configured the way a dedicated database machine is (pgtune's advice for
# 24 GiB, 2 cores, SSD): the server `--only pg` is measured against beside the packaged default
# (shared_buffers 128 MB), whose buffer pool holds a twentieth of a million papers' search rows.
# Durability is left as packaged (fsync, synchronous_commit on): ingest figures stay honest.
#   bench/pg-tuned.sh start [DIR] [PORT]   (defaults: /tmp/paperboy-pg-tuned, 54330)
#   bench/pg-tuned.sh stop  [DIR]
# then: npm run bench -- --only pg --pg postgres://postgres@127.0.0.1:54330/postgres
set -euo pipefail
DIR="${2:-/tmp/paperboy-pg-tuned}"
PORT="${3:-54330}"
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || { echo "no PostgreSQL binaries under /usr/lib/postgresql" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    if [ ! -f "$DIR/PG_VERSION" ]; then
      mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_pg "$BIN/initdb" -D "$DIR" -U postgres --auth=trust >/dev/null
      cat >>"$DIR/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
shared_buffers = 6GB
effective_cache_size = 18GB
maintenance_work_mem = 1GB
work_mem = 16MB
wal_buffers = 16MB
max_wal_size = 4GB
min_wal_size = 1GB
checkpoint_completion_target = 0.9
random_page_cost = 1.1
effective_io_concurrency = 200
EOF
    fi
    as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/log" -w -o "-k $DIR" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$DIR" -m fast stop
    ;;
  *)
    echo "usage: bench/pg-tuned.sh start|stop [DIR] [PORT]" >&2
    exit 2
    ;;
esac
