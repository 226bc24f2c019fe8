#!/usr/bin/env bash
# Re-run every foreign-data reference script from the repository root: each
# writes its dataset's CSV and R reference JSON (the schemas are edited by
# hand and only read). Needs R with jsonlite, lpSolve, brglm2, MASS,
# survival and AER (Debian: r-cran-jsonlite r-cran-lpsolve r-cran-brglm2
# r-cran-mass r-cran-survival r-cran-aer). Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
for script in testdata/foreign/*/*.R; do
  echo "== $script"
  Rscript "$script"
done
