#!/bin/sh
# Load + validate of a 10^6-row, 12-column CSV: `ccstudy validate` against
# R's read.csv and data.table::fread(nThread = 2), alternating, in one
# run; prints the median of ROUNDS (default 5) and the ratios.
# ccstudy's time is the whole process (start-up, reading, checking every
# cell against the schema, the summary); R's is the read call alone.
set -eu
ROUNDS=${ROUNDS:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/ccstudy" ./cmd/ccstudy
go test -run '^$' -bench 'LoadWide$' -benchtime 1x ./dataset -args -bench-csv "$dir/wide.csv" >/dev/null
fread=no
Rscript -e 'library(data.table)' >/dev/null 2>&1 && fread=yes
now() { date +%s.%N; }
for i in $(seq "$ROUNDS"); do
  t0=$(now)
  "$dir/ccstudy" validate --data "$dir/wide.csv" --schema "$dir/wide.schema.json" --quiet >/dev/null
  t1=$(now)
  echo "ccstudy $(echo "$t1 - $t0" | bc)" >>"$dir/times"
  Rscript bench/load.R "$dir/wide.csv" read.csv >>"$dir/times"
  [ "$fread" = yes ] && Rscript bench/load.R "$dir/wide.csv" fread >>"$dir/times"
done
median() { grep "^$1 " "$dir/times" | awk '{print $2}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
c=$(median ccstudy); r=$(median read.csv)
echo "rounds: $ROUNDS; cores: $(nproc); $(uname -m)"
echo "ccstudy validate: $c s"
echo "read.csv:         $r s (ccstudy is $(echo "scale=2; $r / $c" | bc)x faster)"
if [ "$fread" = yes ]; then
  f=$(median fread)
  echo "fread(nThread=2): $f s (ccstudy is $(echo "scale=2; $f / $c" | bc)x as fast)"
fi
