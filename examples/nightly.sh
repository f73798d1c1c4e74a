#!/usr/bin/env bash
# The nightly KPI job: adds tonight's export to the state, writes the report of every night so
# far as JSON and HTML with the date in their names, compared with the previous night's, and
# exits with ticketkpi's code (4 when a threshold holds, so that cron or CI tells someone).
#
#   nightly.sh EXPORT [STATE_DIR [OUT_DIR]] [-- REPORT_OPTIONS...]
#
#   EXPORT       tonight's export (only the rows new since the last night; an export given
#                twice is told and not counted twice)
#   STATE_DIR    where ticketkpi keeps what the next night needs (default: ./ticketkpi-state)
#   OUT_DIR      where the reports go (default: ./reports): ticketkpi-YYYY-MM-DD.json and
#                .html, and latest.json, the baseline of the next night
#   REPORT_OPTIONS  passed to `ticketkpi report`, e.g. --fail-if 'sla.first_reply.attainment
#                < 90%' --by team; thresholds can also live in ticketkpi.toml ([[alerts]]),
#                read from the working directory as usual.
#
# Environment: TICKETKPI (the binary; default: ticketkpi on PATH), NIGHTLY_DATE (the date in
# the names; default: today in UTC).
#
# A crontab line (02:30 every night, after the export has landed):
#   30 2 * * * cd /srv/kpi && ./nightly.sh exports/$(date -u +\%F).csv >> nightly.log 2>&1
#
# Exit codes: ticketkpi's (0 fine, 1 input error, 2 usage error or a state that does not fit,
# 3 --strict data quality, 4 a threshold holds). On any code but 0 and 4 nothing was added to
# the state and no report of tonight was written, so the night can simply be run again.

set -euo pipefail

usage() {
    echo "usage: nightly.sh EXPORT [STATE_DIR [OUT_DIR]] [-- REPORT_OPTIONS...]" >&2
    exit 2
}

[[ $# -ge 1 ]] || usage
export_file=$1
shift
state_dir=./ticketkpi-state
out_dir=./reports
if [[ $# -gt 0 && $1 != -- ]]; then state_dir=$1; shift; fi
if [[ $# -gt 0 && $1 != -- ]]; then out_dir=$1; shift; fi
if [[ $# -gt 0 ]]; then
    [[ $1 == -- ]] || usage
    shift
fi
report_options=("$@")

ticketkpi=${TICKETKPI:-ticketkpi}
day=${NIGHTLY_DATE:-$(date -u +%F)}
json="$out_dir/ticketkpi-$day.json"
html="$out_dir/ticketkpi-$day.html"
latest="$out_dir/latest.json"
mkdir -p "$out_dir"

baseline=()
if [[ -f $latest ]]; then
    baseline=(--baseline "$latest")
fi

# The JSON run adds the night to the state (only once the report is written) and checks the
# thresholds: its code is the job's.
code=0
"$ticketkpi" report "$export_file" --state "$state_dir" --format json -q \
    "${baseline[@]}" "${report_options[@]}" -o "$json" || code=$?
if [[ $code -ne 0 && $code -ne 4 ]]; then
    echo "nightly.sh: ticketkpi failed (exit $code); the state is as it was" >&2
    exit "$code"
fi

# The HTML run reads the same state with the same options: tonight's rows are in it now, so
# ticketkpi recognises them and adds nothing. Its notes (that, and the thresholds the JSON
# run told already) are shown only if it fails.
notes=$(mktemp)
trap 'rm -f "$notes"' EXIT
html_code=0
"$ticketkpi" report "$export_file" --state "$state_dir" --format html -q \
    "${baseline[@]}" "${report_options[@]}" -o "$html" 2>"$notes" || html_code=$?
if [[ $html_code -ne 0 && $html_code -ne 4 ]]; then
    cat "$notes" >&2
    echo "nightly.sh: the HTML report failed (exit $html_code)" >&2
    exit "$html_code"
fi

cp "$json" "$latest.tmp" && mv "$latest.tmp" "$latest"
echo "nightly.sh: $day: $json, $html (exit $code)" >&2
exit "$code"
