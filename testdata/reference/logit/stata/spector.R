# R's glm on Spector & Mazzeo's data (spector.csv, copied from statsmodels;
# see README.md), run to epsilon = 1e-14 so its estimates and covariance
# are at the MLE, for comparison with Stata's published logit results.
#
# Rerun from the repository root:
#   Rscript testdata/reference/logit/stata/spector.R
# Writes testdata/reference/logit/stata/spector_r.json with the input
# (model matrix in Stata's column order GPA, TUCE, PSI, _cons) and glm's
# results: coefficients, vcov, SEs, z, p, deviance, logLik, AIC, BIC.
suppressPackageStartupMessages(library(jsonlite))
dir <- "testdata/reference/logit/stata"
sp <- read.table(file.path(dir, "spector.csv"), header = TRUE)
fit <- glm(GRADE ~ GPA + TUCE + PSI, family = binomial, data = sp,
           control = glm.control(epsilon = 1e-14, maxit = 100))
ord <- c("GPA", "TUCE", "PSI", "(Intercept)")
X <- model.matrix(fit)[, ord]
cf <- summary(fit)$coefficients[ord, ]
res <- list(
  names = I(ord), x = unname(X), y = unname(fit$y),
  converged = fit$converged, iter = fit$iter,
  coef = unname(cf[, 1]), se = unname(cf[, 2]), z = unname(cf[, 3]),
  p = unname(cf[, 4]), vcov = unname(vcov(fit)[ord, ord]),
  deviance = fit$deviance, null_deviance = fit$null.deviance,
  loglik = as.numeric(logLik(fit)), aic = AIC(fit), bic = BIC(fit),
  fitted = unname(fitted(fit)))
write_json(res, file.path(dir, "spector_r.json"), digits = NA,
           auto_unbox = TRUE, pretty = TRUE)
