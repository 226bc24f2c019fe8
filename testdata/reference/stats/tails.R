# Reference values for two-sided normal tail p-values far out in the tail
# (|z| = 10, 20, 35; the normal tail also at 37 and 37.5, p down to 9e-308), where 1 - pnorm(|z|) loses every digit and only the
# lower tail 2 * pnorm(-|z|) keeps full relative precision.
#
# Rerun from the repository root:
#   Rscript testdata/reference/stats/tails.R
# It rewrites testdata/reference/stats/tails.json. Requires metafor, jsonlite.
suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

# Rank-sum test (normal approximation with continuity correction, as
# stats.Wilcoxon): x entirely above y (z > 0) and entirely below (z < 0),
# with n chosen so that |z| is about 10, 20 and 35.
wilcoxon <- list()
for (n in c(67, 270, 820)) {
  lo <- seq_len(n)
  hi <- n + seq_len(n)
  for (dir in c("x_higher", "x_lower")) {
    x <- if (dir == "x_higher") hi else lo
    y <- if (dir == "x_higher") lo else hi
    w <- wilcox.test(x, y, exact = FALSE, correct = TRUE)
    wilcoxon[[length(wilcoxon) + 1]] <- list(name = sprintf("%s_n%d", dir, n), x = x, y = y,
      statistic = unname(w$statistic), p_value = w$p.value)
  }
}

# Fixed-effect pooling (stats.CochranQ): two estimates whose pooled z is
# about 10, 20 and 35.
pooled <- list()
for (zt in c(10, 20, 35)) {
  se <- c(0.1, 0.1)
  yi <- c(0.9, 1.1) * zt * 0.1 / sqrt(2)
  r <- rma(yi = yi, sei = se, method = "FE")
  pooled[[length(pooled) + 1]] <- list(name = sprintf("z%g", zt), est = yi, se = se,
    z = r$zval, p_value = r$pval)
}

normal <- lapply(c(10, 20, 35, 37, 37.5, -10, -20, -35, -37), function(z) list(z = z, p_value = 2 * pnorm(-abs(z))))

write_json(list(wilcoxon = wilcoxon, pooled = pooled, normal = normal),
  "testdata/reference/stats/tails.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
