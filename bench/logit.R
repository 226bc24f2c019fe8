# R twin of logit's BenchmarkIRLS1e6 / BenchmarkFitWald1e6: 10^6 rows,
# an intercept and 9 standard-normal covariates, the same true betas.
# Prints the median elapsed seconds of glm.fit and of glm + summary.glm
# over 3 runs. Usage: Rscript bench/logit.R
set.seed(20211)
n <- 1e6
beta <- c(-0.5, 0.4, -0.3, 0.2, 0.1, 0, 0.25, -0.15, 0.05, 0.3)
X <- cbind(1, matrix(rnorm(n * 9), n, 9))
y <- as.numeric(runif(n) < plogis(X %*% beta))
d <- data.frame(y = y, X[, -1])
t_fit <- replicate(3, system.time(glm.fit(X, y, family = binomial()))[["elapsed"]])
t_glm <- replicate(3, system.time(summary(glm(y ~ ., binomial, d)))[["elapsed"]])
cat(sprintf("glm.fit 1e6x10: median %.3f s\nglm + summary 1e6x10: median %.3f s\n", median(t_fit), median(t_glm)))
