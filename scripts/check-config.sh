#!/bin/bash
# check-config.sh CONFIG FRAGMENT...
# Fail unless every value the fragments request is in the final .config.
# A symbol set in several fragments takes the value of the last one, as
# merge_config does.
set -euo pipefail
config=$1; shift
awk '
FNR == 1 { fragfile = (NR == FNR) ? "" : FILENAME }
NR == FNR { final[$0] = 1; next }
/^CONFIG_[A-Za-z0-9_]+=/ {
	sym = $0; sub(/=.*/, "", sym); want[sym] = $0; src[sym] = FILENAME; next
}
/^# CONFIG_[A-Za-z0-9_]+ is not set/ {
	sym = $2; want[sym] = "unset"; src[sym] = FILENAME; next
}
END {
	bad = 0
	for (sym in want) {
		if (want[sym] == "unset") {
			for (l in final)
				if (index(l, sym "=") == 1) {
					printf "check-config: %s requested off by %s, got %s\n", sym, src[sym], l
					bad++
				}
		} else if (!(want[sym] in final)) {
			got = "not set"
			for (l in final)
				if (index(l, sym "=") == 1)
					got = l
			printf "check-config: %s requested by %s, got %s\n", want[sym], src[sym], got
			bad++
		}
	}
	if (bad) {
		printf "check-config: %d requested option(s) missing from the final .config\n", bad
		exit 1
	}
}' "$config" "$@"
