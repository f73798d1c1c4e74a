#!/usr/bin/env bash
# Benchmark `report --state DIR` (one night added to the state) against a full recompute (one
# run over every night's export so far), on a year of generated data cut into nights.
#
# Usage: bench/incremental.sh
#
# Environment: CARGO_TARGET_DIR (honoured), BENCH_DAYS=365 (nights), BENCH_TICKETS (default:
# the generator's default rate, 1000 tickets a 30 days, over BENCH_DAYS), BENCH_RUNS=5 (runs
# per measurement), BENCH_PROFILE=release (or debug: the binaries of target/debug, whose
# dependencies are optimised), BENCH_NO_BUILD=1 (use the binaries as they are), BENCH_GENERATOR
# (the generator binary to use), BENCH_WORK (scratch dir, default bench/work-incremental, deleted at the
# end unless BENCH_KEEP=1).
#
# With the fold (docs/state.md), a night reads the live tickets' events and the folded
# accumulators, not the archive: it also reports the state folder's size, what a night reads
# of it, the tickets folded and live, and how many nights had to re-derive.
#
# For night 2 and for the last night it measures, BENCH_RUNS times and interleaved: adding the
# night to a copy of the state of the nights before it, and one run over the exports of all
# the nights up to it (and over the same rows as one file). Each round runs back to back, so their ratios are measured under the same
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
PROFILE=${BENCH_PROFILE:-release}
TK=$TARGET/$PROFILE/ticketkpi
# The generator's output does not depend on how it was built.
GEN=${BENCH_GENERATOR:-$TARGET/$PROFILE/examples/generate}

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

if [[ ! -x /usr/bin/time ]]; then
    echo "incremental.sh: GNU time (/usr/bin/time) is needed: apt-get install time" >&2
    exit 1
fi
if [[ ${BENCH_NO_BUILD:-0} != 1 ]]; then
    log "building ($PROFILE): ticketkpi and the generator"
    if [[ $PROFILE == release ]]; then
        (cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo build --release --quiet --bin ticketkpi --example generate)
    else
        (cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo build --quiet --bin ticketkpi --example generate)
    fi
fi

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
STATE1_BYTES=$(du -sb "$WORK/state-1" | cut -f1)
log "state of $(( COUNT - 1 )) nights built in ${BUILD_SECONDS}s, $(( STATE_BYTES / 1024 )) KiB"

# what_it_reads STATE: "READ_KIB FOLDED LIVE REDERIVED": what a night that uses the fold reads
# of the state (the manifest, the live events, the fold file; not the archive), the tickets
# folded and live, and how many nights re-derived from the archive.
what_it_reads() {
    python3 - "$1" <<'PY'
import json, os, sys
state = sys.argv[1]
m = json.load(open(os.path.join(state, "state.json")))
files = ["state.json", m["live"]["file"]] + ([m["fold"]["file"]] if m.get("fold") else [])
read = sum(os.path.getsize(os.path.join(state, f)) for f in files)
folded = m["fold"]["tickets"] if m.get("fold") else 0
print(read // 1024, folded, m["live"]["tickets"], m["rederived"])
PY
}
read -r READ1 FOLDED1 LIVE1 _ < <(what_it_reads "$WORK/state-1")
read -r READ_LATE FOLDED_LATE LIVE_LATE REDERIVED < <(what_it_reads "$STATE")

# measure LABEL NIGHT_INDEX STATE_BEFORE: prints lines "state SECONDS KB" and "full SECONDS KB"
measure() {
    local index=$1 before=$2 run
    local files=("${NIGHTS[@]:0:$(( index + 1 ))}")
    # The same rows as one file: a recompute without the cost of opening many inputs.
    head -n 1 "${files[0]}" > "$WORK/through.csv"
    for file in "${files[@]}"; do tail -n +2 "$file" >> "$WORK/through.csv"; done
    for (( run = 0; run < RUNS; run++ )); do
        rm -rf "$WORK/try"
        cp -r "$before" "$WORK/try"
        /usr/bin/time -f "state %e %M" -o "$WORK/t" \
            "$TK" report "${NIGHTS[$index]}" --state "$WORK/try" --format json -q -o "$WORK/state.json"
        cat "$WORK/t"
        /usr/bin/time -f "full %e %M" -o "$WORK/t" \
            "$TK" report "${files[@]}" --format json -q -o "$WORK/full.json"
        cat "$WORK/t"
        /usr/bin/time -f "one %e %M" -o "$WORK/t" \
            "$TK" report "$WORK/through.csv" --format json -q -o /dev/null
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
# ratios FILE FIELD OTHER: the state run over the OTHER run of each round, "median (min-max)"
ratios() {
    awk -v field="$2" -v other="$3" '$1 == "state" { s = $field } $1 == other { printf "%.3f\n", s / $field }' "$1" |
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
    echo "median (min-max); ratios are state/full of runs made back to back. Profile: $PROFILE."
    echo
    echo "| night | --state: s | --state: peak RSS KiB | full, the nights' files: s | KiB | full, one file: s | KiB | time ratio state/files | state/one file | RSS ratio state/files |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for pair in "2:$WORK/night2.txt" "$COUNT:$WORK/late.txt"; do
        file=${pair#*:}
        echo "| ${pair%%:*} | $(summary "$file" state 2) | $(summary "$file" state 3) | $(summary "$file" full 2) | $(summary "$file" full 3) | $(summary "$file" one 2) | $(summary "$file" one 3) | $(ratios "$file" 2 full) | $(ratios "$file" 2 one) | $(ratios "$file" 3 full) |"
    done
    echo
    echo "Last night's report equals the full recompute's, byte for byte: $SAME."
    echo
    echo "| state before night | folder KiB | what a night reads of it, KiB (manifest, live events, fold) | tickets folded | live |"
    echo "|---|---|---|---|---|"
    echo "| 2 | $(( STATE1_BYTES / 1024 )) | $READ1 | $FOLDED1 | $LIVE1 |"
    echo "| $COUNT | $(( STATE_BYTES / 1024 )) | $READ_LATE | $FOLDED_LATE | $LIVE_LATE |"
    echo
    echo "Nights of the $(( COUNT - 1 )) built that re-derived from the archive (rows of a folded ticket): $REDERIVED."
} > "$OUT"
cat "$OUT"
if [[ ${BENCH_KEEP:-0} != 1 ]]; then rm -rf "$WORK"; fi
[[ $SAME == yes ]]
