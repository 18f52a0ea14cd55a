#!/usr/bin/env bash
# Load test of the dashboard on a database of many meetings: builds N
# variants of the bundled SC/12751 release (renumbered symbols and meeting
# numbers, so years are inferred across two decades), ingests them with the
# real pipeline, serves them, and prints per endpoint:
#
#   first   the first request after the server starts (cold process,
#           empty SQLite page cache, empty response cache);
#   nocache the median of 5 sequential requests sent with
#           "Cache-Control: no-cache", which makes the server compute the
#           answer instead of serving its response cache (X-Cache: bypass);
#   wrk     p50/p95/p99 with 32 connections for SECONDS, response cache on;
#
# and the server's peak resident memory (VmHWM) over the whole run. Traffic
# goes to 127.0.0.1 only. Set KEEP=DIR to keep the database in DIR (and
# reuse it on the next run).
#
#   scripts/bench-http.sh [MEETINGS=500] [SECONDS=10]
set -euo pipefail
N=${1:-500}
SECS=${2:-10}
command -v wrk >/dev/null || { echo "bench-http: wrk is required (apt-get install wrk)" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pid=
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=; }
trap 'stop; rm -rf "$work"' EXIT
db=${KEEP:-$work}/bench.db
port=18181
url="http://127.0.0.1:$port"

go build -o "$work/stancetrack" "$root/cmd/stancetrack"
if [ ! -s "$db" ]; then
	mkdir -p "$work/docs" "$(dirname "$db")"
	seed="$root/sample/docs/SC-12751.txt"
	for i in $(seq 1 "$N"); do
		meeting=$((4000 + i * 9))
		sed -e "s#SC/12751#SC/$((20000 + i))#" -e "s#^7898th Meeting#${meeting}th Meeting#" "$seed" >"$work/docs/r$i.txt"
	done
	start=$(date +%s.%N)
	"$work/stancetrack" ingest --db "$db" "$work/docs" >/dev/null
	echo "ingested $N meetings in $(echo "$(date +%s.%N) - $start" | bc) s"
fi

serve() {
	"$work/stancetrack" serve --db "$db" --addr "127.0.0.1:$port" 2>/dev/null &
	pid=$!
	for _ in $(seq 100); do curl -sf "$url/healthz" >/dev/null && return; sleep 0.05; done
	echo "bench-http: server did not start" >&2
	exit 1
}
ms() { curl -s -o /dev/null -w '%{time_total}' "$@" | awk '{printf "%.1f", $1 * 1000}'; }

endpoints=(
	/charts/purview.json /charts/map.json /charts/frames.json /charts/instruments.json
	/charts/blocs.json /charts/timeline.json
	/charts/purview /charts/map /charts/frames /charts/instruments /charts/blocs /charts/timeline
	/ "/statements?q=trafficking"
	"/charts/frames.json?from=2005-03-01&to=2012-06-30" "/charts/blocs.json?group=P5"
)

declare -A first
for ep in "${endpoints[@]}"; do
	serve
	first[$ep]=$(ms "$url$ep")
	stop
done

cat >"$work/p.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("%.0f req/s  p50 %.1f  p95 %.1f  p99 %.1f ms  errors %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
LUA
serve
printf '%-52s %8s %8s   %s\n' endpoint first nocache "wrk -c32 (cached)"
for ep in "${endpoints[@]}"; do
	runs=$(for _ in 1 2 3 4 5; do ms -H 'Cache-Control: no-cache' "$url$ep"; echo; done | sort -n | sed -n 3p)
	load=$(wrk -t2 -c32 -d"${SECS}s" -s "$work/p.lua" "$url$ep" | tail -1)
	printf '%-52s %8s %8s   %s\n' "$ep" "${first[$ep]}" "$runs" "$load"
done
echo "server peak memory (VmHWM): $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
