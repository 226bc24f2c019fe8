#!/usr/bin/env bash
# Re-run every R reference script (not the timing scripts *bench*.R) from
# the repository root. Needs R and the packages listed in README.md. The
# outputs are committed; Go tests compare against them without R.
set -euo pipefail
cd "$(dirname "$0")/../.."
find testdata/reference -name '*.R' ! -name '*bench*.R' ! -name 'fulljson.R' ! -name 'exact_profile.R' -print | sort | while read -r script; do
  echo "== $script"
  Rscript "$script"
done
