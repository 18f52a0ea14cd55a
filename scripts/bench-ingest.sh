#!/usr/bin/env bash
# Ingest measured in one run against its two references (issue 13): the
# Python parse-and-tag script (scripts/bench/parse_tag.py) and the sqlite3
# shell importing the statements ingest produced, with an index and an FTS5
# index over the text. Corpora: N copies of the reference release under N
# symbols, and the 2020 UNSC Debates corpus (import unsc-debates).
#   scripts/bench-ingest.sh [N] [DEBATES_DIR]
set -euo pipefail
N=${1:-200}
DEBATES=${2:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus/unsc-debates-2020}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/stancetrack" "$root/cmd/stancetrack"
mkdir -p "$work/docs"
for i in $(seq 1 "$N"); do
	sed -e "s#SC/12751#SC/$((20000 + i))#" -e "s#^7898th Meeting#$((4000 + i * 9))th Meeting#" \
		"$root/sample/docs/SC-12751.txt" >"$work/docs/r$i.txt"
done

# run NAME CMD...: wall seconds and peak RSS (MB) of one command.
run() {
	local name=$1
	shift
	/usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
	read -r secs kb <"$work/time"
	printf '%-34s %7.2f s  peak RSS %4d MB\n' "$name" "$secs" $((kb / 1024))
	echo "$secs" >"$work/last"
}

floor() { # the sqlite3 shell imports the statements of DB
	local db=$1
	local out=$work/floor-$(basename "$db")
	sqlite3 -csv "$db" "SELECT meeting_id, seq, speaker, delegation, text FROM statements" >"$work/st.csv"
	rm -f "$out"
	run "  sqlite3 shell import (floor)" sqlite3 "$out" \
		"CREATE TABLE statements (meeting_id INTEGER, seq INTEGER, speaker TEXT, delegation TEXT, text TEXT)" \
		".import --csv $work/st.csv statements" \
		"CREATE INDEX statements_meeting_idx ON statements(meeting_id, seq)" \
		"CREATE VIRTUAL TABLE statements_fts USING fts5(text, content='statements', content_rowid='rowid')" \
		"INSERT INTO statements_fts(statements_fts) VALUES('rebuild')"
}

report() { # report NAME INPUT_BYTES DB SECS
	local bytes=$2 db=$3 secs=$4 n
	n=$(sqlite3 "$db" "SELECT count(*) FROM statements")
	printf '  %s: %d statements, %.1f MB input, %.2f MB/s, %d statements/s, database %.1f MB = %.2f x input\n' \
		"$1" "$n" "$(echo "$bytes / 1000000" | bc -l)" "$(echo "$bytes / 1000000 / $secs" | bc -l)" \
		"$(echo "$n / $secs" | bc)" "$(echo "$(stat -c %s "$db") / 1000000" | bc -l)" \
		"$(echo "$(stat -c %s "$db") / $bytes" | bc -l)"
}

bytes=$(cat "$work"/docs/*.txt | wc -c)
echo "== $N releases ($bytes bytes)"
run "python parse+tag (reference)" python3 "$root/scripts/bench/parse_tag.py" "$root/codebook/default.yaml" "$work/docs"
run "stancetrack ingest" "$work/stancetrack" ingest --db "$work/r.db" "$work/docs"
secs=$(cat "$work/last")
floor "$work/r.db"
report ingest "$bytes" "$work/r.db" "$secs"

if [ -d "$DEBATES" ]; then
	bytes=$(find "$DEBATES" -name '*.txt' -exec cat {} + | wc -c)
	echo "== $(basename "$DEBATES") ($bytes bytes)"
	run "python parse+tag (reference)" python3 "$root/scripts/bench/parse_tag.py" "$root/codebook/default.yaml" "$DEBATES"
	meta=()
	[ -f "$DEBATES/meta.tsv" ] && meta=(--meta "$DEBATES/meta.tsv")
	run "stancetrack import unsc-debates" "$work/stancetrack" import unsc-debates "$DEBATES" "${meta[@]}" --db "$work/d.db"
	secs=$(cat "$work/last")
	floor "$work/d.db"
	report import "$bytes" "$work/d.db" "$secs"
fi
