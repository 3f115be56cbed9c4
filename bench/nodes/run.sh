#!/usr/bin/env bash
# Drives uitweg-load against N uitweg nodes on one PostgreSQL database: one node straight, or
# several behind HAProxy with deploy/haproxy/uitweg.cfg (docs/operations.md, "Capacity").
#
# Usage: bench/nodes/run.sh NODES [uitweg-load options]
#   e.g. bench/nodes/run.sh 3 --visitors 1000 --counsellors 100 --saturate --window 4 --duration 10
# env: BUILD (default build), POSTGRES_URL (postgresql://USER@127.0.0.1:PORT, a server where the
#      script may create and drop a database; default: a durable PostgreSQL 15 started in a
#      temporary folder and stopped at the end), BASE_PORT (default 18080: the balancer; nodes
#      take the ports after it), NODE_CPU (e.g. 0.3: hold each node to that many cores in a
#      cgroup of its own, as if each ran on a machine of its own, so that one node and three can
#      be compared on a small machine; PostgreSQL, HAProxy and the load generator stay unbounded).
# Prints uitweg-load's report, with the CPU time of the nodes, of PostgreSQL (when the script
# started it) and of HAProxy per million messages; the nodes' logs stay in the work folder it
# names.
set -euo pipefail
cd "$(dirname "$0")/../.."
nodes=${1:?usage: bench/nodes/run.sh NODES [uitweg-load options]}
shift
case "$nodes" in 1 | 2 | 3) ;; *) echo "NODES: 1 to 3 (deploy/haproxy/uitweg.cfg names three)" >&2; exit 2 ;; esac
build=$(cd "${BUILD:-build}" && pwd)
base=${BASE_PORT:-18080}
pg_bin=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/uitweg-nodes-XXXXXX)
pids=()
costs=()  # uitweg-load's --cost-pid options: what each part of the deployment spends

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${db:-}" ]; then "$pg_bin/psql" "$POSTGRES_URL/postgres" -qtA -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true; fi
  for group in "${cgroups[@]}"; do rmdir "$group" 2>/dev/null || true; done
  if [ -d "$work/pg" ]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null || true; rm -rf "$work/pg"; fi
}
trap cleanup EXIT

# Makes the cgroup that node $1 runs in when NODE_CPU is set and names it in $group: cgroup v2's
# cpu.max, or v1's CFS quota. A 10 ms period keeps a held node's pauses short: latency counts too.
cgroups=()
node_cgroup() {
  local period=10000 quota
  quota=$(awk -v cores="$NODE_CPU" 'BEGIN { printf "%d", cores * 10000 }')
  if grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    group=/sys/fs/cgroup/uitweg-bench-$$-$1
    mkdir "$group" && echo "$quota $period" >"$group/cpu.max"
  elif [ -d /sys/fs/cgroup/cpu ]; then
    group=/sys/fs/cgroup/cpu/uitweg-bench-$$-$1
    mkdir "$group" && echo "$period" >"$group/cpu.cfs_period_us" && echo "$quota" >"$group/cpu.cfs_quota_us"
  else
    echo "NODE_CPU needs the cgroup cpu controller" >&2
    return 1
  fi
  cgroups+=("$group")
}

wait_for() {
  for _ in $(seq 300); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "nothing answers on port $1" >&2
  return 1
}

if [ -z "${POSTGRES_URL:-}" ]; then
  # PostgreSQL refuses to run as root; Debian's postgres user runs it, fsync on as in production.
  chmod 711 "$work" && mkdir -p "$work/pg" && chown postgres "$work/pg"
  runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg/data" -U uitweg --auth=trust --no-locale -E UTF8 >/dev/null
  pg_port=$((base + 100))
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -o \
    "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  POSTGRES_URL=postgresql://uitweg@127.0.0.1:$pg_port
  costs+=(--cost-pid "postgresql:$(head -1 "$work/pg/data/postmaster.pid")")
fi
db=bench_nodes_$$
"$pg_bin/psql" "$POSTGRES_URL/postgres" -qtA -c "CREATE DATABASE $db"
export UITWEG_DATABASE=$POSTGRES_URL/$db
UITWEG_MASTER_KEY=$(head -c 32 /dev/urandom | base64 -w0)
export UITWEG_MASTER_KEY

# A node behind a balancer sees only the balancer's address; the limits meant for people are
# lifted as in bench/peers/uitweg.toml.
cat > "$work/node.toml" <<'TOML'
opening_hours = "always"
[limits]
max_connections_per_address = 0
visitor_messages_per_minute = 0
visitor_messages_while_waiting = 0
max_waiting = 100000
visitor_starts_per_minute = 100000
visitor_events_per_minute = 100000
TOML
for n in $(seq "$nodes"); do
  mkdir -p "$work/node$n"
  group=
  if [ -n "${NODE_CPU:-}" ]; then node_cgroup "$n"; fi
  # The node enters its cgroup before it starts, so every thread it makes is held to the budget.
  sh -c 'if [ -n "$1" ]; then echo $$ >"$1/cgroup.procs"; fi; shift; exec "$@"' node "$group" \
    "$build/uitweg" serve --config "$work/node.toml" --listen "127.0.0.1:$((base + n))" \
    --data "$work/node$n" --log-level warn 2>"$work/node$n/log" >/dev/null &
  pids+=($!)
  costs+=(--cost-pid "nodes:$!")
done
for n in $(seq "$nodes"); do wait_for $((base + n)); done

target=$((base + 1))
if [ "$nodes" -gt 1 ]; then
  # Every load-generator counsellor comes from 127.0.0.1: lift the per-client limits. HAProxy
  # takes two descriptors a connection, and a process here may hold 20,000.
  export UITWEG_LB_BIND=127.0.0.1:$base UITWEG_CHECK_INTERVAL=1s UITWEG_LB_MAXCONN=9000 \
    UITWEG_LB_CLIENT_CONNECTIONS=1000000 UITWEG_LB_CLIENT_REQUESTS=100000000 \
    UITWEG_LB_CLIENT_EVENTS=1000000
  for n in 1 2 3; do export "UITWEG_NODE$n=127.0.0.1:$((base + (n <= nodes ? n : 1)))"; done
  haproxy -f deploy/haproxy/uitweg.cfg -db 2>"$work/haproxy.log" &
  pids+=($!)
  costs+=(--cost-pid "haproxy:$!")
  wait_for "$base"
  target=$base
fi
echo "bench/nodes: $nodes node(s)${NODE_CPU:+ of $NODE_CPU cores each} on $POSTGRES_URL/$db, work folder $work" >&2
# CPU and memory figures are node 1's alone.
"$build/bench/load/uitweg-load" --url "http://127.0.0.1:$target" --data "$work/node1" \
  --server-pid "${pids[0]}" "${costs[@]}" "$@"
