# R timings for the Go benchmarks in stats/bench_test.go (not part of the
# reference values). Rerun from the repository root:
#   Rscript testdata/reference/stats/bench.R
# Prints seconds per call.
suppressPackageStartupMessages(library(MASS))
bw <- MASS::birthwt
per_call <- function(label, n, expr) {
  e <- substitute(expr)
  pf <- parent.frame()
  t <- system.time(for (i in seq_len(n)) eval(e, pf))[["elapsed"]]
  cat(sprintf("%-28s %12.3g s/call (%d calls)\n", label, t / n, n))
}
ftv <- table(bw$ftv, bw$low)
cg <- table(mtcars$cyl, mtcars$gear)
sl <- table(bw$smoke, bw$low)
per_call("fisher 6x2 (ftv x low)", 200, fisher.test(ftv))
per_call("fisher 3x3 (cyl x gear)", 500, fisher.test(cg))
per_call("fisher 2x2 (smoke x low)", 2000, fisher.test(sl))
x <- bw$bwt[1:90]; y <- bw$bwt[91:180]
per_call("wilcox n=180", 5000, wilcox.test(x, y, exact = FALSE, correct = TRUE))
per_call("t.test n=180", 5000, t.test(x, y))
per_call("chisq 6x2", 5000, suppressWarnings(chisq.test(ftv, correct = FALSE)))
ucb <- array(as.numeric(UCBAdmissions), dim = dim(UCBAdmissions))
per_call("mantelhaen 6 strata", 5000, mantelhaen.test(ucb, correct = FALSE))
suppressPackageStartupMessages(library(epiR))
per_call("epi.2by2 6 strata", 50, suppressWarnings(epi.2by2(as.table(ucb), method = "cross.sectional")))
cc <- matrix(c(20, 25, 15, 12, 10, 8, 31, 20, 16, 10, 9, 4), 6)
per_call("fisher 6x2 90/90", 200, fisher.test(cc))
