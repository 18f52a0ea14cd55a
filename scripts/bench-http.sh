#!/usr/bin/env bash
# Load test of the chart JSON endpoints on a database of many meetings:
# builds N variants of the bundled SC/12751 release (renumbered symbols and
# meeting numbers, so years are inferred across two decades), ingests them
# with the real pipeline, serves them, and runs wrk with 32 connections
# against each endpoint. Prints p50/p95/p99 latency and the server's peak
# memory. Traffic goes to 127.0.0.1 only.
#
#   scripts/bench-http.sh [MEETINGS=500] [SECONDS=10]
set -euo pipefail
N=${1:-500}
SECS=${2:-10}
command -v wrk >/dev/null || { echo "bench-http: wrk is required (apt-get install wrk)" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=

go build -o "$work/stancetrack" "$root/cmd/stancetrack"
mkdir -p "$work/docs"
seed="$root/sample/docs/SC-12751.txt"
for i in $(seq 1 "$N"); do
	meeting=$((4000 + i * 9))
	sed -e "s#SC/12751#SC/$((20000 + i))#" -e "s#^7898th Meeting#${meeting}th Meeting#" "$seed" >"$work/docs/r$i.txt"
done
start=$(date +%s.%N)
"$work/stancetrack" ingest --db "$work/bench.db" "$work/docs" >/dev/null
echo "ingested $N meetings in $(echo "$(date +%s.%N) - $start" | bc) s"

port=18181
"$work/stancetrack" serve --db "$work/bench.db" --addr "127.0.0.1:$port" 2>/dev/null &
pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

cat >"$work/p.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("%d requests, %.1f req/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, errors %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
LUA
for ep in purview map frames instruments blocs timeline; do
	printf '%-18s ' "/charts/$ep.json"
	wrk -t2 -c32 -d"${SECS}s" -s "$work/p.lua" "http://127.0.0.1:$port/charts/$ep.json" | tail -1
done
printf '%-18s ' "/statements?q=…"
wrk -t2 -c32 -d"${SECS}s" -s "$work/p.lua" "http://127.0.0.1:$port/statements?q=trafficking" | tail -1
echo "server peak memory (VmHWM): $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
