#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for tests and benchmarks: Debian's postgresql package,
# `initdb` into DIR, listening only on a Unix socket in DIR (and on 127.0.0.1:PORT when a
# port is given), trust authentication for the user `podium`, database `podium`.
#
#   scripts/pg-cluster.sh start DIR [PORT]   prints the store URL on its last line
#   scripts/pg-cluster.sh stop DIR           fast shutdown
#   scripts/pg-cluster.sh pause DIR          stops the server, keeps the data (failure tests)
#   scripts/pg-cluster.sh resume DIR         starts it again with the same settings
#
# Run as root, the server runs as the `postgres` user (initdb refuses root).
set -euo pipefail
command=${1:?usage: pg-cluster.sh start|stop|pause|resume DIR [PORT]}
dir=${2:?usage: pg-cluster.sh start|stop|pause|resume DIR [PORT]}
port=${3:-}
bin=/usr/lib/postgresql/15/bin  # Debian's postgresql-15 (`dpkg -L postgresql-15 | grep bin/initdb`)
[ -x "$bin/initdb" ] || { echo "pg-cluster.sh: PostgreSQL 15 is not installed (apt-get install postgresql)" >&2; exit 1; }
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
options() {
    local p; p=$(cat "$dir/port")
    local listen="''"
    [ -f "$dir/tcp" ] && listen=127.0.0.1
    echo "-k $dir/socket -p $p -c listen_addresses=$listen -c fsync=on -c max_connections=200 -c shared_buffers=128MB"
}
case $command in
start)
    mkdir -p "$dir/socket"
    [ "$(id -u)" = 0 ] && chown -R postgres "$dir" && chmod 755 "$dir"
    if [ -n "$port" ]; then echo "$port" > "$dir/port"; touch "$dir/tcp"; else echo 5432 > "$dir/port"; fi
    [ "$(id -u)" = 0 ] && chown postgres "$dir/port"
    as_owner "$bin/initdb" -D "$dir/data" -U podium -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$(options)" -w -t 60 start >/dev/null
    as_owner "$bin/createdb" -h "$dir/socket" -p "$(cat "$dir/port")" -U podium podium
    if [ -n "$port" ]; then
        echo "postgres://podium@127.0.0.1:$port/podium"
    else
        echo "postgres://podium@/podium?host=$dir/socket&port=$(cat "$dir/port")"
    fi
    ;;
stop) [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true ;;
pause) as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
resume) as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$(options)" -w -t 60 start >/dev/null ;;
*) echo "pg-cluster.sh: unknown command $command" >&2; exit 2 ;;
esac
