#!/usr/bin/env bash
# Benchmark `ticketkpi report FILE --format json` against DuckDB computing the same KPIs
# (bench/duckdb_kpis.sql), with `xsv count` (CSV parsing alone) and `gzip -dc` (decompression
# alone) as floors, and check that ticketkpi and DuckDB agree on every KPI (differential test).
#
# Usage: bench/run.sh [--quick] [--keep]
#   --quick  small sizes only (14k and 70k tickets, 3 runs each): a couple of minutes
#   --keep   keep the generated exports in bench/work/ (deleted at the end by default)
#
# Environment: CARGO_TARGET_DIR (honoured), BENCH_SIZES="14000 140000" (tickets, overrides the
# size list), BENCH_RUNS=5 (runs per tool and size), BENCH_WORK (scratch dir, default bench/work),
# BENCH_JSONL_SIZE (tickets of the JSON Lines point, default the largest size), BENCH_GZ_SIZE
# (tickets of the gzip point, default the middle size, 0 for none),
# BENCH_STREAM_TICKETS (the streamed point, default 7000000 = ~5 GB, 0 = none; none with --quick),
# BENCH_NO_BUILD=1 (use the release binaries already built).
#
# Writes bench/results/<date>.md (<date>-quick.md with --quick) and prints it. Exit status 1 if
# ticketkpi and DuckDB disagree on any KPI or a tool fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WORK=${BENCH_WORK:-$BENCH/work}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
QUICK=0
KEEP=0
for arg in "$@"; do
    case $arg in
        --quick) QUICK=1 ;;
        --keep) KEEP=1 ;;
        -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

if [[ $QUICK == 1 ]]; then
    SIZES=${BENCH_SIZES:-"14000 70000"}
    RUNS=${BENCH_RUNS:-3}
    STREAM_TICKETS=${BENCH_STREAM_TICKETS:-0}
else
    SIZES=${BENCH_SIZES:-"14000 140000 1400000"}   # ~10 MB, ~100 MB, ~1 GB of CSV
    RUNS=${BENCH_RUNS:-5}
    STREAM_TICKETS=${BENCH_STREAM_TICKETS:-7000000}  # ~5 GB, generated into a pipe
fi
read -r -a SIZE_LIST <<<"$SIZES"
# The gzip variant uses the middle size (the larger one of two); JSON Lines the largest.
GZ_SIZE=${BENCH_GZ_SIZE:-${SIZE_LIST[$(( ${#SIZE_LIST[@]} / 2 ))]}}
JSONL_SIZE=${BENCH_JSONL_SIZE:-${SIZE_LIST[$(( ${#SIZE_LIST[@]} - 1 ))]}}
SEED=7

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
human() { # tickets -> 14k / 1.4M
    awk -v n="$1" 'BEGIN { if (n >= 1e6) printf "%gM", n / 1e6; else if (n >= 1e3) printf "%gk", n / 1e3; else print n }'
}

mkdir -p "$WORK/out" "$BENCH/results"
STARTED=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
NOTES=()
FAILED=0

# --- prerequisites -------------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
    log "installing GNU time (/usr/bin/time is missing)"
    SUDO=""; [[ $(id -u) != 0 ]] && SUDO=sudo
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time >/dev/null
fi
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import duckdb' 2>/dev/null; then
    log "installing DuckDB's Python package"
    "$PYTHON" -m pip install --quiet duckdb
fi
DUCKDB_VERSION=$("$PYTHON" -c 'import duckdb; print(duckdb.__version__)')

XSV=$(command -v xsv || true)
if [[ -z $XSV ]]; then
    log "installing xsv (cargo install xsv)"
    if cargo install xsv >"$WORK/xsv-install.log" 2>&1; then
        XSV=$(command -v xsv || echo "${CARGO_HOME:-$HOME/.cargo}/bin/xsv")
    else
        XSV=""
        NOTES+=("xsv could not be installed (see bench/work/xsv-install.log): the \`xsv count\` rows are skipped.")
    fi
fi

log "building ticketkpi and the generator (release, CARGO_TARGET_DIR=$TARGET)"
built=0
# BENCH_NO_BUILD=1: measure the release binaries already in $TARGET (while another build of the
# tree holds cargo's lock, say).
[[ ${BENCH_NO_BUILD:-0} == 1 && -x $TARGET/release/ticketkpi && -x $TARGET/release/examples/generate ]] && built=1
for (( attempt = 1; attempt <= 5 && built == 0; attempt++ )); do
    if (cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo build --release --quiet --bins --example generate); then
        built=1; break
    fi
    log "build failed (attempt $attempt; someone may be mid-edit), retrying in 60 s"
    sleep 60
done
[[ $built == 1 ]] || { echo "run.sh: cannot build ticketkpi" >&2; exit 1; }
TK=$TARGET/release/ticketkpi
GEN=$TARGET/release/examples/generate
TK_REV=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(cd "$ROOT" && git status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null) ]]; then
    TK_REV="$TK_REV + uncommitted changes in src/"
fi

# --- measuring -----------------------------------------------------------------------------------
RAW=$WORK/raw.tsv
: >"$RAW"
DATA_FILES=()
cleanup() {
    if [[ $KEEP == 0 && ${#DATA_FILES[@]} -gt 0 ]]; then rm -f "${DATA_FILES[@]}"; fi
}
trap cleanup EXIT

# measure CASE TICKETS ROWS FILE CSV_BYTES TOOL RUN OUT -- CMD...: one timed run, appended to RAW.
measure() {
    local case=$1 tickets=$2 rows=$3 file=$4 csv_bytes=$5 tool=$6 run=$7 out=$8
    shift 9
    local tfile=$WORK/time.txt err=$WORK/stderr.txt start end rc=0
    start=$(date +%s%N)
    /usr/bin/time -v -o "$tfile" "$@" >"$out" 2>"$err" || rc=$?
    end=$(date +%s%N)
    if [[ $rc != 0 ]]; then
        log "FAILED ($rc): $*"; sed 's/^/    /' "$err" | tail -n 20 >&2
        FAILED=1
        return
    fi
    local rss cpu
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tfile")
    cpu=$(awk -F': ' '/User time \(seconds\)/ { u = $2 } /System time \(seconds\)/ { s = $2 } END { print u + s }' "$tfile")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$tickets" "$rows" "$(stat -c %s "$file")" \
        "$csv_bytes" "$tool" "$run" "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')" \
        "$rss" "$cpu" >>"$RAW"
}

# check LABEL DUCKDB_JSON TICKETKPI_JSON: the differential test.
CHECKS=()
check() {
    local label=$1 line
    if line=$("$PYTHON" "$BENCH/compare.py" --label "$label" "$2" "$3"); then
        CHECKS+=("$line")
        log "$line"
    else
        CHECKS+=("$line")
        printf '%s\n' "$line" >&2
        FAILED=1
    fi
}

# wait_for_memory TICKETS: DuckDB needs about 6 KB of RAM per ticket of this export (ticketkpi
# less). On a shared machine, wait (up to 10 min) for that much to be available rather than push
# the kernel into killing someone's process.
wait_for_memory() {
    local need_kb=$(( $1 * 7 )) avail waited=0
    while avail=$(awk '/MemAvailable/ { print $2 }' /proc/meminfo); (( avail < need_kb )); do
        if (( waited >= 600 )); then
            NOTES+=("only $(( avail / 1024 )) MB of RAM were available (other processes) for a case that needs ~$(( need_kb / 1024 )) MB.")
            return
        fi
        (( waited % 60 == 0 )) && log "waiting for ~$(( need_kb / 1024 )) MB of free RAM ($(( avail / 1024 )) MB available)"
        sleep 10; waited=$(( waited + 10 ))
    done
}

# bench_case CASE TICKETS FILE CSV_BYTES ROWS KIND(csv/gz/jsonl)
# Per run, interleaved: ticketkpi on both threads (the default) and on one; DuckDB's exact query
# (duckdb_kpis.sql, compared) and its straightforward one (duckdb_simple.sql, timed only) on CSV;
# the floors: `xsv count` on CSV, `gzip -dc` alone and `gzip -dc |` into ticketkpi on gzip.
LOADS=()
bench_case() {
    local case=$1 tickets=$2 file=$3 csv_bytes=$4 rows=$5 kind=$6 i tag
    tag=$(echo "$case" | tr -c 'A-Za-z0-9.\n' '_')
    wait_for_memory "$tickets"
    LOADS+=("$case: $(cut -d' ' -f1 /proc/loadavg)")
    log "$case: $rows rows, $(( $(stat -c %s "$file") / 1000000 )) MB on disk, $RUNS runs per tool"
    for (( i = 1; i <= RUNS; i++ )); do
        measure "$case" "$tickets" "$rows" "$file" "$csv_bytes" ticketkpi "$i" "$WORK/out/$tag.ticketkpi.json" -- \
            "$TK" report "$file" --format json
        measure "$case" "$tickets" "$rows" "$file" "$csv_bytes" "ticketkpi 1 thread" "$i" "$WORK/out/$tag.ticketkpi1.json" -- \
            "$TK" report "$file" --format json --threads 1
        if [[ $kind != jsonl ]]; then
            measure "$case" "$tickets" "$rows" "$file" "$csv_bytes" "duckdb" "$i" "$WORK/out/$tag.duckdb.json" -- \
                "$PYTHON" "$BENCH/duckdb_kpis.py" "$file" --threads 2
        fi
        if [[ $kind == csv ]]; then
            measure "$case" "$tickets" "$rows" "$file" "$csv_bytes" "duckdb simple" "$i" "$WORK/out/$tag.simple.json" -- \
                "$PYTHON" "$BENCH/duckdb_simple.py" "$file" --threads 2
        fi
        if [[ $kind == gz ]]; then
            measure "$case" "$tickets" "$rows" "$file" "$csv_bytes" "gzip -dc" "$i" /dev/null -- gzip -dc "$file"
            measure "$case" "$tickets" "$rows" "$file" "$csv_bytes" "gzip -dc | ticketkpi" "$i" "$WORK/out/$tag.piped.json" -- \
                bash -c 'gzip -dc "$1" | "$2" report - --format json' _ "$file" "$TK"
        elif [[ $kind == csv && -n $XSV ]]; then
            measure "$case" "$tickets" "$rows" "$file" "$csv_bytes" "xsv count" "$i" "$WORK/out/$tag.xsv.txt" -- \
                "$XSV" count "$file"
        fi
    done
    # One thread and two give the same report, byte for byte.
    if ! cmp -s "$WORK/out/$tag.ticketkpi.json" "$WORK/out/$tag.ticketkpi1.json"; then
        CHECKS+=("$case: the reports of 1 and 2 threads differ"); FAILED=1
    fi
    if [[ $kind != jsonl ]]; then
        check "$case" "$WORK/out/$tag.duckdb.json" "$WORK/out/$tag.ticketkpi.json"
    else
        # The same rows as CSV: DuckDB's numbers for the CSV must hold for the JSON Lines.
        check "$case (vs DuckDB on the CSV)" "$WORK/out/$(echo "$7" | tr -c 'A-Za-z0-9.\n' '_').duckdb.json" \
            "$WORK/out/$tag.ticketkpi.json"
    fi
}

# stream_case TICKETS: the largest point, generated and piped straight into ticketkpi (never
# kept on disk), once; `generate` alone is timed too, since the pipe includes it.
stream_case() {
    local n=$1 case rows_file=$WORK/stream-rows.txt
    case="$(human "$n") tickets streamed"
    wait_for_memory "$(( n / 4 ))"
    LOADS+=("$case: $(cut -d' ' -f1 /proc/loadavg)")
    log "$case: generate --tickets $n | ticketkpi report - (once)"
    measure "$case" "$n" 0 /dev/null 0 "generate | wc" 1 "$rows_file" -- \
        bash -c '"$1" --tickets "$2" --seed "$3" | wc -lc' _ "$GEN" "$n" "$SEED"
    local rows bytes
    read -r rows bytes <"$rows_file"
    rows=$(( rows - 1 ))
    measure "$case" "$n" "$rows" /dev/null "$bytes" "generate | ticketkpi" 1 "$WORK/out/stream.ticketkpi.json" -- \
        bash -c '"$1" --tickets "$2" --seed "$3" | "$4" report - --format json' _ "$GEN" "$n" "$SEED" "$TK"
    # Rows and sizes were unknown when measured: fill them in.
    awk -F'\t' -v OFS='\t' -v c="$case" -v r="$rows" -v b="$bytes" \
        '$1 == c { $3 = r; $5 = b } { print }' "$RAW" >"$RAW.tmp" && mv "$RAW.tmp" "$RAW"
    "$PYTHON" - "$WORK/out/stream.ticketkpi.json" "$rows" "$n" <<'PY' >>"$WORK/stream-check.txt" || FAILED=1
import json, sys
report, rows, tickets = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
got = (report["input"]["rows"], report["input"]["tickets"])
print(f"streamed: ticketkpi read {got[0]:,} rows, {got[1]:,} tickets (generated: {rows:,}, {tickets:,})")
sys.exit(0 if got == (rows, tickets) else 1)
PY
    CHECKS+=("$(tail -n1 "$WORK/stream-check.txt") (no DuckDB run: the file is not kept, and DuckDB's exact query would need ~6 KB per ticket)")
}

# --- extra differential checks (not timed) -------------------------------------------------------
log "differential checks: bench/fixtures/edge.csv and a time-ordered export"
"$PYTHON" "$BENCH/duckdb_kpis.py" "$BENCH/fixtures/edge.csv" --verify-order >"$WORK/out/edge.duckdb.json"
"$TK" report "$BENCH/fixtures/edge.csv" --format json >"$WORK/out/edge.ticketkpi.json"
check "fixtures/edge.csv" "$WORK/out/edge.duckdb.json" "$WORK/out/edge.ticketkpi.json"
TIMEORD=$WORK/events-20000-time.csv
DATA_FILES+=("$TIMEORD")
"$GEN" --tickets 20000 --seed $SEED --order time >"$TIMEORD"
"$PYTHON" "$BENCH/duckdb_kpis.py" "$TIMEORD" --verify-order >"$WORK/out/time-order.duckdb.json"
"$TK" report "$TIMEORD" --format json >"$WORK/out/time-order.ticketkpi.json"
check "20k tickets, --order time" "$WORK/out/time-order.duckdb.json" "$WORK/out/time-order.ticketkpi.json"
rm -f "$TIMEORD"

# Python + `import duckdb` start-up, included in every DuckDB time below.
PY_START=$( for (( i = 0; i < 5; i++ )); do
        s=$(date +%s%N); "$PYTHON" -c 'import duckdb' ; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
    done | sort -n | sed -n 3p )

# --- the benchmark -------------------------------------------------------------------------------
for n in "${SIZE_LIST[@]}"; do
    file=$WORK/events-$n.csv
    DATA_FILES+=("$file")
    log "generating $n tickets (seed $SEED)"
    "$GEN" --tickets "$n" --seed $SEED >"$file"
    rows=$(( $(wc -l <"$file") - 1 ))
    bytes=$(stat -c %s "$file")
    # The row order of the smallest export is checked against Python's csv module once (not
    # past 200k tickets: Python's csv module would take minutes).
    if [[ $n == "${SIZE_LIST[0]}" && $n -le 200000 ]]; then
        "$PYTHON" "$BENCH/duckdb_kpis.py" "$file" --verify-order >/dev/null
    fi
    bench_case "$(human "$n") tickets" "$n" "$file" "$bytes" "$rows" csv
    if [[ $n == "$GZ_SIZE" ]]; then
        log "compressing $(human "$n") tickets with gzip -6"
        DATA_FILES+=("$file.gz")
        gzip -6 -c "$file" >"$file.gz"
        bench_case "$(human "$n") tickets .gz" "$n" "$file.gz" "$bytes" "$rows" gz
    fi
    if [[ $n == "$JSONL_SIZE" ]]; then
        log "generating $(human "$n") tickets as JSON Lines"
        DATA_FILES+=("$WORK/events-$n.jsonl")
        "$GEN" --tickets "$n" --seed $SEED --format jsonl >"$WORK/events-$n.jsonl"
        bench_case "$(human "$n") tickets .jsonl" "$n" "$WORK/events-$n.jsonl" \
            "$(stat -c %s "$WORK/events-$n.jsonl")" "$rows" jsonl "$(human "$n") tickets"
    fi
    [[ $KEEP == 1 ]] || rm -f "$file" "$file.gz" "$WORK/events-$n.jsonl"
done
[[ -n $STREAM_TICKETS && $STREAM_TICKETS != 0 ]] && stream_case "$STREAM_TICKETS"

# --- report --------------------------------------------------------------------------------------
ELAPSED=$(( $(date +%s) - STARTED ))
mem_gib=$(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
cpu_model=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
os_name=$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || uname -s)
suffix=""; [[ $QUICK == 1 ]] && suffix="-quick"
RESULT=$BENCH/results/$(date +%F)$suffix.md
{
    echo "# ticketkpi vs DuckDB — $(date '+%F %H:%M %Z')$([[ $QUICK == 1 ]] && echo ' (--quick)')"
    echo
    echo "- machine: $(nproc) CPUs ($cpu_model), $mem_gib GiB RAM, $os_name, kernel $(uname -r)"
    echo "- ticketkpi $TK_REV (release build); DuckDB $DUCKDB_VERSION (Python, \`SET threads = 2\`)" \
         "$([[ -n $XSV ]] && echo "; $("$XSV" --version 2>/dev/null | head -n1 | sed 's/^/xsv /')")"
    echo "- inputs: \`generate --tickets N --seed $SEED\` (canonical event CSV), warm page cache;" \
         "$RUNS runs per tool and size, medians"
    echo "- DuckDB times include Python start-up and \`import duckdb\` (median $PY_START ms)"
    echo "- total script time: $(( ELAPSED / 60 )) min $(( ELAPSED % 60 )) s"
    echo "- load average (1/5/15 min) at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg);" \
         "1-min load before each case: $(IFS=';'; echo "${LOADS[*]}" | sed 's/;/; /g')" \
         "(anything well above 0 means other processes shared the $(nproc) CPUs)"
    echo
    "$PYTHON" "$BENCH/table.py" "$RAW"
    echo
    echo "KPI check (ticketkpi vs DuckDB, relative tolerance 1e-6):"
    echo
    for c in "${CHECKS[@]}"; do printf -- '- %s\n' "$(head -n1 <<<"$c")"; tail -n +2 <<<"$c" | sed 's/^/    /'; done
    for n in "${NOTES[@]+"${NOTES[@]}"}"; do echo; echo "Note: $n"; done
} >"$RESULT"
cat "$RESULT"
log "written $RESULT"
exit $FAILED
