#!/usr/bin/env python3
"""Contact-centre figures of the Anonymous Bank call log, computed from the raw file with the
standard library only, from the definitions in docs/metrics.md and the data's own
documentation (SOURCE.md), not from ticketkpi's code.

Usage: callcentre_ref.py data_anonymous_bank_february.txt [service level seconds]
Prints one JSON object. tests/contact_centre.rs runs it and compares with the report.

- PHANTOM rows are not calls (the data's documentation).
- answered = outcome AGENT; abandoned = outcome HANG; a HANG call with no q_start
  ("0:00:00") hung up in the voice menu (IVR), the others in the queue.
- wait = q_time (seconds in the queue); an answered call that never queued waited 0. A call
  is queued when it has a q_start or a q_time above 0 (a queue entered at midnight reads
  "0:00:00", the mark of "did not happen").
- ASA: mean, median and p90 (linear interpolation between closest ranks) of the answered
  calls' waits.
- service level (abandon policy "count"): answered with wait <= T / (answered + abandoned
  in the queue).
"""

import csv
import json
import sys


def percentile(values, q):
    if not values:
        return None
    position = (len(values) - 1) * q
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def main():
    path = sys.argv[1]
    threshold = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
    answered_waits = []
    ivr = queue = 0
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            outcome = row["outcome"]
            # "0:00:00" marks a queue step that did not happen, but a queue entered at
            # midnight prints the same (call AA0102 31056 waited 27 s from 0:00:00).
            queued = row["q_start"] != "0:00:00" or int(row["q_time"]) > 0
            if outcome == "AGENT":
                answered_waits.append(float(row["q_time"]) if queued else 0.0)
            elif outcome == "HANG":
                if queued:
                    queue += 1
                else:
                    ivr += 1
    answered_waits.sort()
    answered = len(answered_waits)
    abandoned = ivr + queue
    offered = answered + abandoned
    met = sum(1 for wait in answered_waits if wait <= threshold)
    print(json.dumps({
        "offered": offered,
        "answered": answered,
        "abandoned": abandoned,
        "abandoned_in_ivr": ivr,
        "abandoned_in_queue": queue,
        "abandonment_rate": abandoned / offered,
        "asa_mean": sum(answered_waits) / answered,
        "asa_median": percentile(answered_waits, 0.5),
        "asa_p90": percentile(answered_waits, 0.9),
        "service_level_met": met,
        "service_level_considered": answered + queue,
        "service_level": met / (answered + queue),
    }))


if __name__ == "__main__":
    main()
