# Seeded inputs of bench/compare.sh, written to a scratch folder (never
# committed): load.csv (N_LOAD rows, the 12 columns of
# bench/load12.schema.json), wald.csv and profile.csv (N_WALD and N_PROF
# rows: outcome y and 9 standard-normal covariates X1..X9, the true betas
# of bench/logit.R; schema bench/logit1e6.schema.json).
# Usage: Rscript bench/compare_data.R DIR N_LOAD N_WALD N_PROF
suppressPackageStartupMessages({library(data.table)})
a <- commandArgs(trailingOnly = TRUE)
dir <- a[1]; n_load <- as.numeric(a[2]); n_wald <- as.numeric(a[3]); n_prof <- as.numeric(a[4])

set.seed(14)
n <- n_load
ld <- data.table(id = sprintf("r%07d", seq_len(n)), y = rbinom(n, 1, 0.3))
for (j in 1:6) set(ld, j = paste0("x", j), value = round(rnorm(n, 10 * j, j), 4))
ld[, n1 := rpois(n, 3)][, n2 := rpois(n, 40)]
ld[, c1 := sample(c("a", "b", "c"), n, TRUE)][, c2 := sample(c("low", "mid", "high"), n, TRUE)]
fwrite(ld, file.path(dir, "load.csv"))

logit_data <- function(n, seed) {
  set.seed(seed)
  beta <- c(-0.5, 0.4, -0.3, 0.2, 0.1, 0, 0.25, -0.15, 0.05, 0.3)
  X <- cbind(1, matrix(rnorm(n * 9), n, 9))
  d <- data.table(y = as.integer(runif(n) < plogis(X %*% beta)), X[, -1])
  setnames(d, c("y", paste0("X", 1:9)))
  d
}
fwrite(logit_data(n_wald, 20211), file.path(dir, "wald.csv"))
fwrite(logit_data(n_prof, 20212), file.path(dir, "profile.csv"))

