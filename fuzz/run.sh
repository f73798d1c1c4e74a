#!/usr/bin/env bash
# Runs every fuzz target for a bounded time each: fuzz/run.sh [SECONDS] [TARGET...]
# (default 60 seconds, every target). Seeds each corpus from tests/fixtures and
# tests/reference/cases first. Crashes land in fuzz/artifacts/<target>/, each run's output in
# fuzz/artifacts/logs/<target>.log. Exits non-zero when any target found a crash.
set -uo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
shift $(($# > 0 ? 1 : 0))
targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=(csv_input json_array_input jsonl_input gzip_input line_endings timestamp output_paths)
fi

# cargo-fuzz passes nightly-only flags (-Z sanitizer=...); RUSTC_BOOTSTRAP lets a stable
# toolchain accept them when no nightly one is installed.
if ! rustc --version | grep -q nightly; then
    export RUSTC_BOOTSTRAP=1
fi

# Seeds: the CSV fixtures as they are, converted to JSON arrays and JSON Lines, gzipped (with
# the steering byte gzip_input expects), and their timestamps (with the zone byte of the
# timestamp target).
python3 - ../tests/fixtures/*.csv ../tests/reference/cases/*.csv <<'PY'
import csv, gzip, json, os, sys

def put(target, name, data):
    os.makedirs(f"corpus/{target}", exist_ok=True)
    with open(f"corpus/{target}/seed-{name}", "wb") as f:
        f.write(data)

for path in sys.argv[1:]:
    name = os.path.splitext(os.path.basename(path))[0]
    raw = open(path, "rb").read()
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    put("csv_input", name, raw)
    # line_endings: a seed byte, then the body under its own canonical header.
    body = raw.split(b"\n", 1)[1] if b"\n" in raw else b""
    put("line_endings", name, bytes([len(raw) % 256]) + body.replace(b"\r\n", b"\n"))
    put("json_array_input", name, json.dumps(rows, indent=1).encode())
    put("jsonl_input", name, "".join(json.dumps(row) + "\n" for row in rows).encode())
    put("gzip_input", name + "-plain", b"\x00" + raw)
    put("gzip_input", name + "-compressed", b"\x01" + raw)
    put("gzip_input", name + "-gzip-as-is", b"\x04" + gzip.compress(raw))
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key.lower() == "timestamp" and value:
                put("timestamp", f"{name}-{i}", bytes([i]) + value.encode())

# output_paths reads five steering bytes: every combination is a seed, so each run starts
# from the whole space of choices (20,480 inputs of 5 bytes).
import itertools
for combo in itertools.product(range(5), range(16), range(16), range(4), range(4)):
    put("output_paths", "-".join(map(str, combo)), bytes(combo))
PY

mkdir -p artifacts/logs
failed=()
for target in "${targets[@]}"; do
    echo "== $target: ${seconds}s"
    mkdir -p "corpus/$target"
    # -detect_leaks=0: LeakSanitizer blames the first use of a thread-local in a run (glibc's
    # __cxa_thread_atexit_impl allocates its destructor list once per thread and key), which
    # does not reproduce on its own. A leak that matters grows memory: -rss_limit_mb catches it.
    cargo fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -detect_leaks=0 \
        -print_final_stats=1 >"artifacts/logs/$target.log" 2>&1
    status=$?
    grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|Done [0-9]+ runs)' \
        "artifacts/logs/$target.log"
    if ((status != 0)); then
        echo "!! $target failed (exit $status); see fuzz/artifacts/logs/$target.log"
        failed+=("$target")
    fi
done

if ((${#failed[@]} > 0)); then
    echo "crashes or errors in: ${failed[*]}"
    exit 1
fi
echo "every target ran ${seconds}s clean"
