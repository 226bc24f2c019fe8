# R twin of `ccstudy report` on the embedded study, for bench/compare.sh:
# the same analyses with the same settings — describe (Table 1, products
# trend), cluster (k = 2..8, gap B = 500 with 25 restarts per fit,
# bootstrap B = 200), logit (the multivariable model and each covariate
# alone, profile CIs, fit statistics) and subgroup (the six default
# splits). Not in the twin: ccstudy's separation check (method auto), its
# figures (SVG) and its writing of report.md/html, tables and manifest.
# Usage: Rscript bench/report_twin.R [--gap-b B] [--boot-b B] [--k K] [--only STEP]
# (STEP: describe, cluster, logit or subgroup). Run from the repo root.
source("bench/twin_lib.R")
a <- commandArgs(trailingOnly = TRUE)
opt <- function(name, default) {
  i <- match(name, a)
  if (is.na(i)) default else a[i + 1]
}
gap_b <- as.integer(opt("--gap-b", 500)); boot_b <- as.integer(opt("--boot-b", 200))
k <- as.integer(opt("--k", 0)); only <- opt("--only", "")
st <- companies()
steps <- list(
  describe = function() describe_twin(st),
  cluster = function() cluster_twin(st, gap_b, boot_b, k),
  logit = function() logit_all(as_levels(st$d, st$schema), "case", study_covs, "profile"),
  subgroup = function() suppressWarnings(subgroup_twin(st)))
for (s in names(steps)) {
  if (only != "" && s != only) next
  set.seed(20211)
  t <- system.time(steps[[s]]())[["elapsed"]]
  message(sprintf("report_twin %s: %.3f s", s, t))
}
