# Timings of the R counterparts of the Go benchmarks in logit/bench_firth_test.go
# (for the Go/R ratio; prints, writes nothing).
#   Rscript testdata/reference/logit/firth/bench.R
# Reports user CPU and elapsed seconds per call.
suppressPackageStartupMessages({ library(brglm2); library(survival); library(MASS) })
bw <- MASS::birthwt
bw$race <- factor(bw$race, labels = c("white", "black", "other"))
f <- low ~ age + lwt + race + smoke + ptl + ht + ui + ftv
per <- function(label, n, expr) {
  t <- system.time(for (i in seq_len(n)) eval.parent(substitute(expr)))
  cat(sprintf("%-45s user %.3f ms  elapsed %.3f ms\n", label, 1000 * t[["user.self"]] / n, 1000 * t[["elapsed"]] / n))
}
per("brglm2 AS_mean fit, birthwt", 200,
    glm(f, bw, family = binomial, method = "brglm_fit", type = "AS_mean"))
per("brglm2 AS_mean fit + summary, birthwt", 200,
    summary(glm(f, bw, family = binomial, method = "brglm_fit", type = "AS_mean")))
per("glm MLE + MASS profile confint, birthwt", 20,
    suppressMessages(confint(glm(f, bw, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100)))))
per("clogit exact, infert", 200,
    clogit(case ~ spontaneous + induced + strata(stratum), infert, method = "exact"))
per("clogit exact + summary + confint, infert", 200, {
  fit <- clogit(case ~ spontaneous + induced + strata(stratum), infert, method = "exact")
  summary(fit); confint(fit) })
