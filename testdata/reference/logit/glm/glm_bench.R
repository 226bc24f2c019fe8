# Timing of R's glm + confint for the Go/R ratio of logit's benchmarks
# (logit/bench_test.go). Prints seconds per call; nothing is written.
# Rerun from the repository root:
#   Rscript testdata/reference/logit/glm/glm_bench.R
suppressPackageStartupMessages(library(MASS))
bw <- MASS::birthwt
bw$race <- factor(bw$race, labels = c("white", "black", "other"))
f_bw <- low ~ age + lwt + race + smoke + ptl + ht + ui + ftv

# Same shape as glmSimDesign in bench_test.go: intercept + 9 N(0,1)
# columns, logistic outcome (R's own random numbers, same coefficients).
set.seed(20211)
n <- 20000
beta <- c(-0.5, 0.4, -0.3, 0.2, 0.1, 0, 0.25, -0.15, 0.05, 0.3)
X <- matrix(rnorm(n * 9), n, 9, dimnames = list(NULL, paste0("x", 1:9)))
sim <- data.frame(X, y = rbinom(n, 1, plogis(drop(cbind(1, X) %*% beta))))
f_sim <- y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9

per_call <- function(expr, reps) {
  e <- substitute(expr)
  t <- system.time(for (i in seq_len(reps)) eval(e))[["elapsed"]]
  t / reps
}
q <- function(x) suppressMessages(x)
cat(sprintf("birthwt glm:            %.6f s\n", per_call(glm(f_bw, binomial, bw, control = glm.control(epsilon = 1e-14, maxit = 100)), 200)))
cat(sprintf("birthwt glm + confint:  %.6f s\n", per_call(q(confint(glm(f_bw, binomial, bw, control = glm.control(epsilon = 1e-14, maxit = 100)))), 20)))
cat(sprintf("sim20000 glm:           %.6f s\n", per_call(glm(f_sim, binomial, sim, control = glm.control(epsilon = 1e-14, maxit = 100)), 10)))
cat(sprintf("sim20000 glm + confint: %.6f s\n", per_call(q(confint(glm(f_sim, binomial, sim, control = glm.control(epsilon = 1e-14, maxit = 100)))), 3)))
cat(sprintf("birthwt step:           %.6f s\n", per_call(step(glm(f_bw, binomial, bw, control = glm.control(epsilon = 1e-14, maxit = 100)), trace = 0), 20)))
