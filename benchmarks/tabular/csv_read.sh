#!/usr/bin/env bash
# How fast `mesa predict` reads a large CSV table, and its peak memory (issue 17, item 11).
#
# Generates seeded tables of ROWS rows x 31 columns in /tmp (22 normal features with 1 % blank
# cells, printed with 6 significant digits; 2 columns of 17-digit numbers; a count; 5 categorical
# columns, one with quoted fields holding commas and doubled quotes; a 3-class label), builds mesa
# in release mode, then times under GNU time:
#   read     mesa predict --train FILE --describe   (read, column detection, notes, the 50/50 split; no model)
#   predict  mesa predict --train FILE --test 10-rows --ensemble 1 --local-context 0   (model load and one forward pass included)
# and prints the median wall time of REPEATS runs and the largest peak resident memory.
#   benchmarks/tabular/csv_read.sh                  # 100,000 and 1,000,000 rows
#   benchmarks/tabular/csv_read.sh 250000           # other sizes
#   SEED=3 REPEATS=3 MODES=read benchmarks/tabular/csv_read.sh
# State the machine beside the numbers: they are absolute times.
set -euo pipefail
cd "$(dirname "$0")/../.."
seed="${SEED:-0}"; repeats="${REPEATS:-1}"; modes="${MODES:-read predict}"
sizes=("$@"); [ "${#sizes[@]}" -gt 0 ] || sizes=(100000 1000000)
/usr/bin/time -v true >/dev/null 2>&1 || { echo "csv_read.sh: needs GNU time (/usr/bin/time -v; apt-get install time)" >&2; exit 1; }
scripts/setup
scripts/build-release
mesa=.build/release/mesa

generate() {  # rows seed file
    awk -v rows="$1" -v seed="$2" 'BEGIN {
        srand(seed)
        split("red green blue yellow black white", colours, " ")
        header = ""
        for (j = 1; j <= 22; j++) header = header "x" j ","
        print header "precise1,precise2,count,colour,city,grade,size,comment,label"
        for (i = 0; i < rows; i++) {
            line = ""
            for (j = 1; j <= 22; j++) {
                u1 = rand(); u2 = rand(); if (u1 < 1e-12) u1 = 1e-12
                z = sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2)
                line = line (rand() < 0.01 ? "," : sprintf("%.6g,", z * j))
            }
            line = line sprintf("%.17g,%.17g,%d,", rand() * 1000, -rand() * 1e-3, int(rand() * 500))
            line = line colours[1 + int(rand() * 6)] ",city" int(rand() * 40) "," substr("ABCDE", 1 + int(rand() * 5), 1) ","
            line = line (rand() < 0.5 ? "small" : "large") ","
            r = rand(); line = line (r < 0.1 ? "\"late, rerun\"" : r < 0.2 ? "\"said \"\"ok\"\"\"" : "") ","
            print line "class" int(rand() * 3)
        }
    }' > "$3"
}

# run FILE ARGS...: prints "seconds peak-kB" of one run
run() {
    local log; log=$(mktemp)
    /usr/bin/time -v "$mesa" predict "$@" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
                /Maximum resident set size/ { m = $2 } END { printf "%.2f %d\n", s, m }' "$log"
    rm -f "$log"
}

printf "%-9s %-8s %9s %9s %11s %9s\n" rows mode "file MB" seconds "peak MB" "peak/file"
for rows in "${sizes[@]}"; do
    file="/tmp/mesa-csv-read-$rows-seed$seed.csv"
    [ -s "$file" ] || generate "$rows" "$seed" "$file"
    head -11 "$file" > "/tmp/mesa-csv-read-test-seed$seed.csv"
    size_kb=$(( $(stat -c %s "$file") / 1024 ))
    for mode in $modes; do
        if [ "$mode" = read ]; then args=(--train "$file" --describe)
        else args=(--train "$file" --test "/tmp/mesa-csv-read-test-seed$seed.csv" --ensemble 1 --local-context 0 --output /tmp/mesa-csv-read-predictions.csv); fi
        times=(); peak=0
        for _ in $(seq "$repeats"); do
            read -r seconds kb < <(run "${args[@]}")
            times+=("$seconds"); [ "$kb" -gt "$peak" ] && peak=$kb
        done
        median=$(printf "%s\n" "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
        awk -v r="$rows" -v m="$mode" -v f="$size_kb" -v s="$median" -v p="$peak" \
            'BEGIN { printf "%-9s %-8s %9.1f %9s %11.1f %9.2f\n", r, m, f / 1024, s, p / 1024, p / f }'
    done
done
