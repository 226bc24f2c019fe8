#!/bin/sh
# ccstudy against R, the same work on both sides, in one run (issue 14):
# each row runs the ccstudy side and the R side REPS times, alternating
# which goes first, and reports the medians of wall-clock seconds, user
# CPU seconds and peak RSS (/usr/bin/time -f "%e %U %M") and the ratio
# R wall / ccstudy wall (above 1: ccstudy is faster). Both sides are whole
# processes (start-up, reading the input, the computation), so R's
# start-up and library loading count, as ccstudy's do.
#
#   REPS=5 bench/compare.sh            the full comparison (minutes; use a
#                                      quiet machine: the numbers are only
#                                      worth what the machine's load allows)
#   REPS=1 SMALL=1 bench/compare.sh    smoke test: small n and B (a few minutes)
#   ONLY='gap|report' bench/compare.sh  only the rows whose name matches (grep -E)
#
# Prints a Markdown table on standard output (OUT=FILE also writes it
# there); bench/RESULTS.md records a run with its machine. Inputs are
# generated, seeded, into a scratch folder and removed afterwards (KEEP=1
# keeps them). Needs Rscript with data.table, MASS, car, pROC, cluster,
# fpc, metafor and jsonlite; run from anywhere inside the repository.
set -eu
REPS=${REPS:-5}
SMALL=${SMALL:-0}
cd "$(dirname "$0")/.."
command -v Rscript >/dev/null 2>&1 || { echo "compare.sh: Rscript not found: install R (README, Correctness and speed) to compare" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "compare.sh: /usr/bin/time not found (Debian package time)" >&2; exit 1; }

if [ "$SMALL" = 1 ]; then
  N_LOAD=10000 N_WALD=10000 N_PROF=2000 KM_CALLS=20 GAP_B=20 GAP_BENCH=GapB20 BOOT_B=200 REPORT_GAP_B=20 REPORT_BOOT_B=20
else
  N_LOAD=1000000 N_WALD=1000000 N_PROF=100000 KM_CALLS=200 GAP_B=500 GAP_BENCH=Gap BOOT_B=200 REPORT_GAP_B=500 REPORT_BOOT_B=200
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ccstudy-compare.XXXXXX")
cleanup() { [ "${KEEP:-0}" = 1 ] && echo "kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT INT TERM

echo "compare.sh: building ccstudy and the cluster benchmarks; writing inputs to $work" >&2
go build -o "$work/ccstudy" ./cmd/ccstudy
go test -c -o "$work/cluster.test" ./cluster
Rscript bench/compare_data.R "$work" "$N_LOAD" "$N_WALD" "$N_PROF" 2>/dev/null
cc="$work/ccstudy"
: >"$work/times"
# The cluster benchmarks (cluster/bench_test.go) as a binary; they find
# testdata/ from the repository root.
gb="$work/cluster.test"

# measure ROW SIDE CMD...: one timed run, appended to $work/times as
# "ROW<TAB>SIDE<TAB>wall user rss". The command's own output is discarded;
# a failing command stops the script with its error.
measure() {
  row=$1 side=$2; shift 2
  if ! /usr/bin/time -f "%e %U %M" -o "$work/t" "$@" >"$work/out" 2>"$work/err"; then
    echo "compare.sh: $row ($side) failed:" >&2; tail -5 "$work/err" >&2; exit 1
  fi
  printf '%s\t%s\t%s\n' "$row" "$side" "$(tail -1 "$work/t")" >>"$work/times"
}

# row NAME CCSTUDY_CMD -- R_CMD: REPS alternating runs of both sides.
row() {
  name=$1; shift
  if [ -n "${ONLY:-}" ] && ! printf '%s\n' "$name" | grep -Eq -- "$ONLY"; then return 0; fi
  gocmd=""; while [ "$1" != "--" ]; do gocmd="$gocmd '$1'"; shift; done; shift
  rcmd=""; for a in "$@"; do rcmd="$rcmd '$a'"; done
  echo "compare.sh: $name" >&2
  i=1
  while [ "$i" -le "$REPS" ]; do
    if [ $((i % 2)) = 1 ]; then
      eval measure "\"\$name\"" ccstudy "$gocmd"; eval measure "\"\$name\"" R "$rcmd"
    else
      eval measure "\"\$name\"" R "$rcmd"; eval measure "\"\$name\"" ccstudy "$gocmd"
    fi
    i=$((i + 1))
  done
}

nl() { awk -v n="$1" 'BEGIN { if (n >= 1e6 && n % 1e6 == 0) printf "%g·10^6", n / 1e6; else if (n >= 1e5 && n % 1e5 == 0 && n < 1e6) printf "10^5%s", (n == 1e5 ? "" : "·" n / 1e5); else printf "%d", n }'; }

row "validate $(nl $N_LOAD)×12 CSV vs read.csv" \
  "$cc" validate --data "$work/load.csv" --schema bench/load12.schema.json --quiet -- \
  Rscript bench/compare_r.R read.csv "$work/load.csv"
row "validate $(nl $N_LOAD)×12 CSV vs data.table::fread(nThread = 2)" \
  "$cc" validate --data "$work/load.csv" --schema bench/load12.schema.json --quiet -- \
  Rscript bench/compare_r.R fread "$work/load.csv"
row "logit --ci wald, $(nl $N_WALD)×10 (full model + each covariate alone) vs glm + summary + fit statistics" \
  "$cc" logit --data "$work/wald.csv" --schema bench/logit1e6.schema.json --ci wald --format json -- \
  Rscript bench/compare_r.R logit "$work/wald.csv" wald
row "logit (profile CIs), $(nl $N_PROF)×10 vs glm + confint (profile) + fit statistics" \
  "$cc" logit --data "$work/profile.csv" --schema bench/logit1e6.schema.json --format json -- \
  Rscript bench/compare_r.R logit "$work/profile.csv" profile
row "k-means k = 4, nstart = 25, 180×20 (bench.R input), $KM_CALLS calls: Go benchmark vs kmeans" \
  "$gb" -test.run '^$' -test.bench '^BenchmarkKMeans$' -test.benchtime "${KM_CALLS}x" -- \
  Rscript bench/compare_r.R kmeans "$KM_CALLS"
row "gap statistic B = $GAP_B, nstart = 25, K.max = 8, 180×20: Go benchmark vs clusGap" \
  "$gb" -test.run '^$' -test.bench "^Benchmark$GAP_BENCH\$" -test.benchtime 1x -- \
  Rscript bench/compare_r.R clusgap "$GAP_B"
row "bootstrap stability B = $BOOT_B, k = 4, 180×20: Go benchmark vs fpc::clusterboot" \
  "$gb" -test.run '^$' -test.bench '^BenchmarkClusterBoot$' -test.benchtime 1x -- \
  Rscript bench/compare_r.R clusterboot "$BOOT_B"
row "cluster --k 4 --boot-b 1 on the embedded data vs its R twin (report_twin.R --only cluster)" \
  "$cc" cluster --k 4 --boot-b 1 --format json -- \
  Rscript bench/report_twin.R --only cluster --k 4 --boot-b 1
row "whole report (gap B = $REPORT_GAP_B, bootstrap B = $REPORT_BOOT_B) vs bench/report_twin.R" \
  "$cc" report --out-dir "$work/report" --force --quiet --gap-b "$REPORT_GAP_B" --boot-b "$REPORT_BOOT_B" -- \
  Rscript bench/report_twin.R --gap-b "$REPORT_GAP_B" --boot-b "$REPORT_BOOT_B"

# One logistic fit, per fit (issue 14: "within 2× of statsmodels per
# fit"): logit's BenchmarkIRLSFromCSV (IRLS and the covariance) against
# bench/statsmodels_fit.py (GLM(Binomial).fit() and its bse) on the same
# wald.csv, each timing its own fits after reading the file untimed;
# REPS alternating runs of 3 fits each, medians of the per-fit seconds.
# Needs Debian's python3-statsmodels; skipped without it.
fitrow=""
if { [ -z "${ONLY:-}" ] || printf 'statsmodels\n' | grep -Eq -- "$ONLY"; } &&
  /usr/bin/python3 -c 'import statsmodels' 2>/dev/null; then
  echo "compare.sh: one fit vs statsmodels" >&2
  go test -c -o "$work/logit.test" ./logit
  i=1
  while [ "$i" -le "$REPS" ]; do
    CCSTUDY_FIT_CSV="$work/wald.csv" "$work/logit.test" -test.run '^$' -test.bench '^BenchmarkIRLSFromCSV$' -test.benchtime 3x |
      awk '/^BenchmarkIRLSFromCSV/ { print $3 / 1e9 }' >>"$work/fit_go"
    /usr/bin/python3 bench/statsmodels_fit.py "$work/wald.csv" 3 >>"$work/fit_py"
    i=$((i + 1))
  done
  fitrow=$(awk 'function median(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    FNR == NR { g[++ng] = $1 + 0; next } { q[++nq] = $1 + 0; it = $2; ver = $3 }
    END { gm = median(g, ng); qm = median(q, nq)
      printf "| one logistic fit (IRLS + covariance), %s×10: Go benchmark vs statsmodels %s GLM(Binomial).fit() (%d iterations) | %.3f | %.3f | %.2f |\n", N, ver, it, gm, qm, qm / gm }' \
    N="$(nl $N_WALD)" "$work/fit_go" "$work/fit_py")
fi

table() {
  echo "| work | ccstudy wall s | ccstudy user s | ccstudy peak RSS MB | R wall s | R user s | R peak RSS MB | R wall / ccstudy wall |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F '\t' '
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    {
      if (!($1 in seen)) { seen[$1] = 1; order[++rows] = $1 }
      split($3, v, " ")
      k = $1 SUBSEP $2
      wall[k] = wall[k] " " v[1]; user[k] = user[k] " " v[2]; rss[k] = rss[k] " " v[3]
    }
    END {
      for (r = 1; r <= rows; r++) {
        g = order[r] SUBSEP "ccstudy"; q = order[r] SUBSEP "R"
        gw = median(wall[g]); rw = median(wall[q])
        printf "| %s | %.2f | %.2f | %.0f | %.2f | %.2f | %.0f | %s |\n", order[r], gw, median(user[g]), median(rss[g]) / 1024,
          rw, median(user[q]), median(rss[q]) / 1024, (gw > 0 ? sprintf("%.2f", rw / gw) : "n/a")
      }
    }' "$work/times"
  if [ -n "$fitrow" ]; then
    echo
    echo "| work | ccstudy s per fit | statsmodels s per fit | statsmodels / ccstudy |"
    echo "|---|---|---|---|"
    echo "$fitrow"
  fi
  echo
  echo "REPS=$REPS SMALL=$SMALL; medians; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(go version | cut -d' ' -f3); $(Rscript -e 'cat(R.version.string)' 2>/dev/null); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}
if [ -n "${OUT:-}" ]; then table | tee "$OUT"; else table; fi
