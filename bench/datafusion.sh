#!/usr/bin/env bash
# Benchmark `ticketkpi-datafusion report` with 1, 2 and 4 partitions against
# `ticketkpi report` (the CLI) on generated exports: wall time and peak RSS (GNU time), median
# of BENCH_RUNS runs, and a check that every run's JSON equals the CLI's (jq -S, tool block
# included: both are the same library).
#
# Usage: bench/datafusion.sh
# Environment: BENCH_SIZES="140000" (tickets; 140000 is ~100 MB of CSV, 1400000 ~1 GB),
#   BENCH_RUNS=3, BENCH_WORK (scratch dir, default bench/work), CARGO_TARGET_DIR (honoured).
# Builds the release binaries once (the engine's clean release build takes ~20 minutes on 2
# cores). Prints a Markdown table; exit status 1 if a run fails or a JSON differs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${BENCH_WORK:-$ROOT/bench/work}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SIZES=${BENCH_SIZES:-"140000"}
RUNS=${BENCH_RUNS:-3}
SEED=7
mkdir -p "$WORK"
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

log "building release: ticketkpi, ticketkpi-datafusion, examples/generate"
(cd "$ROOT" && cargo build --release --locked -p ticketkpi --example generate \
    && cargo build --release --locked -p ticketkpi-datafusion) >&2
CLI=$TARGET/release/ticketkpi
ENGINE=$TARGET/release/ticketkpi-datafusion
GENERATE=$TARGET/release/examples/generate

# One run: prints "seconds peak_kb"; the JSON goes to $2.
measure() {
    local out=$1; shift
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >"$out"
    cat "$WORK/time"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

FAILED=0
echo "| tickets | CSV MB | tool | median s (min-max) | median peak RSS MB | time vs CLI |"
echo "|---|---|---|---|---|---|"
for tickets in $SIZES; do
    export_file=$WORK/df-$tickets.csv
    [[ -f $export_file ]] || { log "generating $tickets tickets"; "$GENERATE" --tickets "$tickets" --seed $SEED >"$export_file"; }
    mb=$(du -m "$export_file" | cut -f1)
    declare -A seconds=() spread=() memory=()
    tools=("cli" "df-1" "df-2" "df-4")
    for tool in "${tools[@]}"; do
        : >"$WORK/runs"
        for run in $(seq "$RUNS"); do
            case $tool in
                cli) command=("$CLI" report "$export_file" --by channel --format json) ;;
                df-*) command=("$ENGINE" report "$export_file" --by channel --format json --partitions "${tool#df-}") ;;
            esac
            log "$tool, $tickets tickets, run $run"
            measure "$WORK/$tool.json" "${command[@]}" >>"$WORK/runs" || { FAILED=1; continue; }
        done
        seconds[$tool]=$(cut -d' ' -f1 "$WORK/runs" | median)
        spread[$tool]=$(cut -d' ' -f1 "$WORK/runs" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')
        memory[$tool]=$(cut -d' ' -f2 "$WORK/runs" | median)
        if [[ $tool != cli ]] && ! cmp -s <(jq -S . "$WORK/cli.json") <(jq -S . "$WORK/$tool.json"); then
            log "$tool: the JSON differs from the CLI's"; FAILED=1
        fi
    done
    for tool in "${tools[@]}"; do
        ratio=$(awk -v a="${seconds[$tool]}" -v b="${seconds[cli]}" 'BEGIN { printf "%.2fx", a / b }')
        rss=$(awk -v k="${memory[$tool]}" 'BEGIN { printf "%.0f", k / 1024 }')
        echo "| $tickets | $mb | $tool | ${seconds[$tool]} (${spread[$tool]}) | $rss | $ratio |"
    done
    unset seconds spread memory
done
log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores shared with other engineers)"
exit $FAILED
