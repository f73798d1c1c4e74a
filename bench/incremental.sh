#!/usr/bin/env bash
# Benchmark `report --state DIR` (one night added to the state) against a full recompute (one
# run over every night's export so far), on a year of generated data cut into nights.
#
# Usage: bench/incremental.sh
#
# Environment: CARGO_TARGET_DIR (honoured), BENCH_DAYS=365 (nights), BENCH_TICKETS (default:
# the generator's default rate, 1000 tickets a 30 days, over BENCH_DAYS), BENCH_RUNS=5 (runs
# per measurement), BENCH_WORK (scratch dir, default bench/work-incremental, deleted at the
# end unless BENCH_KEEP=1).
#
# For night 2 and for the last night it measures, BENCH_RUNS times and interleaved: adding the
# night to a copy of the state of the nights before it, and one run over the exports of all
# the nights up to it. Each pair runs back to back, so their ratio is measured under the same
# machine load; the medians and ranges (min-max) are printed with the load average. It also
# checks that the last night's report equals the full recompute's, byte for byte.
#
# Writes bench/results/incremental-<date>.md and prints it. Exit status 1 if a run fails or
# the reports differ.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WORK=${BENCH_WORK:-$BENCH/work-incremental}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DAYS=${BENCH_DAYS:-365}
TICKETS=${BENCH_TICKETS:-$(( DAYS * 1000 / 30 ))}
RUNS=${BENCH_RUNS:-5}
SEED=7
TK=$TARGET/release/ticketkpi
GEN=$TARGET/release/examples/generate

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

if [[ ! -x /usr/bin/time ]]; then
    echo "incremental.sh: GNU time (/usr/bin/time) is needed: apt-get install time" >&2
    exit 1
fi
log "building (release): ticketkpi and the generator"
(cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo build --release --quiet --bin ticketkpi --example generate)

rm -rf "$WORK"
mkdir -p "$WORK/nights" "$BENCH/results"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

log "generating $TICKETS tickets over $DAYS days (seed $SEED, time order)"
"$GEN" --tickets "$TICKETS" --days "$DAYS" --seed "$SEED" --order time > "$WORK/export.csv"
# One export a night: the rows of each day, each file with the header.
awk -F, -v dir="$WORK/nights" '
    NR == 1 { header = $0; next }
    { day = substr($2, 1, 10); file = dir "/" day ".csv"
      if (!(file in seen)) { print header > file; seen[file] = 1 }
      print >> file; close(file) }' "$WORK/export.csv"
mapfile -t NIGHTS < <(ls "$WORK/nights"/*.csv | sort)
COUNT=${#NIGHTS[@]}
ROWS=$(( $(wc -l < "$WORK/export.csv") - 1 ))
BYTES=$(stat -c %s "$WORK/export.csv")
log "$COUNT nights, $ROWS rows, $(( BYTES / 1024 )) KiB"

# The state of the first COUNT-1 nights, built night by night as the job would.
STATE=$WORK/state
BUILD_START=$(date +%s%N)
for (( i = 0; i < COUNT - 1; i++ )); do
    "$TK" report "${NIGHTS[$i]}" --state "$STATE" --format json -q -o /dev/null
    if (( i == 0 )); then cp -r "$STATE" "$WORK/state-1"; fi
done
BUILD_SECONDS=$(( ($(date +%s%N) - BUILD_START) / 1000000000 ))
STATE_BYTES=$(du -sb "$STATE" | cut -f1)
log "state of $(( COUNT - 1 )) nights built in ${BUILD_SECONDS}s, $(( STATE_BYTES / 1024 )) KiB"

# measure LABEL NIGHT_INDEX STATE_BEFORE: prints lines "state SECONDS KB" and "full SECONDS KB"
measure() {
    local index=$1 before=$2 run
    local files=("${NIGHTS[@]:0:$(( index + 1 ))}")
    for (( run = 0; run < RUNS; run++ )); do
        rm -rf "$WORK/try"
        cp -r "$before" "$WORK/try"
        /usr/bin/time -f "state %e %M" -o "$WORK/t" \
            "$TK" report "${NIGHTS[$index]}" --state "$WORK/try" --format json -q -o "$WORK/state.json"
        cat "$WORK/t"
        /usr/bin/time -f "full %e %M" -o "$WORK/t" \
            "$TK" report "${files[@]}" --format json -q -o "$WORK/full.json"
        cat "$WORK/t"
    done
}

log "night 2: $RUNS runs"
measure 1 "$WORK/state-1" > "$WORK/night2.txt"
log "night $COUNT: $RUNS runs"
measure $(( COUNT - 1 )) "$STATE" > "$WORK/late.txt"
SAME="yes"
cmp -s "$WORK/state.json" "$WORK/full.json" || SAME="NO"
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# summary FILE KIND FIELD: "median (min-max)"
summary() {
    awk -v kind="$2" -v field="$3" '$1 == kind { print $field }' "$1" | sort -g |
        awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%g (%g-%g)", m, v[1], v[NR] }'
}
# ratios FILE FIELD: the state run over the full run of each pair, "median (min-max)"
ratios() {
    awk -v field="$2" '$1 == "state" { s = $field } $1 == "full" { printf "%.3f\n", s / $field }' "$1" |
        sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%.2f (%.2f-%.2f)", m, v[1], v[NR] }'
}

OUT=$BENCH/results/incremental-$(date -u +%F).md
{
    echo "# Incremental state: one night vs a full recompute ($(date -u '+%F %H:%M UTC'))"
    echo
    echo "$TICKETS tickets over $DAYS days (seed $SEED), $ROWS rows, $(( BYTES / 1024 )) KiB of CSV,"
    echo "cut into $COUNT nightly exports. State of $(( COUNT - 1 )) nights: $(( STATE_BYTES / 1024 )) KiB,"
    echo "built night by night in $BUILD_SECONDS s. Machine: $(nproc) cores, load average $LOAD_START"
    echo "at the start and $LOAD_END at the end (other builds share the machine). $RUNS runs each;"
    echo "median (min-max); ratios are state/full of runs made back to back."
    echo
    echo "| night | --state: seconds | --state: peak RSS KiB | full: seconds | full: peak RSS KiB | time ratio | RSS ratio |"
    echo "|---|---|---|---|---|---|---|"
    for pair in "2:$WORK/night2.txt" "$COUNT:$WORK/late.txt"; do
        file=${pair#*:}
        echo "| ${pair%%:*} | $(summary "$file" state 2) | $(summary "$file" state 3) | $(summary "$file" full 2) | $(summary "$file" full 3) | $(ratios "$file" 2) | $(ratios "$file" 3) |"
    done
    echo
    echo "Last night's report equals the full recompute's, byte for byte: $SAME."
} > "$OUT"
cat "$OUT"
if [[ ${BENCH_KEEP:-0} != 1 ]]; then rm -rf "$WORK"; fi
[[ $SAME == yes ]]
