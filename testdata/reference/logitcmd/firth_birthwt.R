# Reference values for the p-values `ccstudy logit --method firth` and
# `ccstudy subgroup` show for Firth fits (issue 13 item 4): the penalized
# likelihood-ratio test of each coefficient, logistf's default, which
# agrees with the penalized profile interval beside it, where the Wald p
# of brglm2's summary need not.
#
# Rerun from the repository root:
#   Rscript testdata/reference/logitcmd/firth_birthwt.R
# It writes testdata/reference/logitcmd/firth_birthwt.json. Needs brglm2,
# metafor, jsonlite (Debian: r-cran-brglm2, r-cran-metafor,
# r-cran-jsonlite).
#
# Data: MASS::birthwt as the user's CSV that ccstudy reads
# (testdata/reference/describe/birthwt.csv with its schema; race with
# white as reference). logistf is not packaged, so the penalized LR tests,
# the penalized profile limits and the model's penalized LR test (against
# the penalized fit with only the intercept free, as logistf) are
# computed from their definition by penalized_profile.R (optim on the
# penalized log-likelihood), after checking that its unconstrained maximum
# is brglm2's estimate. Estimates, SEs and Wald p from brglm2 (type =
# "AS_mean", Firth's adjusted score).
#
# Models:
#   * multivariable: low ~ age + lwt + race + smoke + ptl + ht + ui + ftv,
#     and each variable alone (the crude models of Table 2);
#   * the strata of `--by ptl@1` (ptl < 1 and ptl >= 1) for the model
#     without ptl: ccstudy's --method auto fits ptl < 1 by maximum
#     likelihood and ptl >= 1 (separated) by Firth; glm (R's default
#     control) and brglm2 fits of both are given, with metafor's
#     fixed-effect Cochran's Q per coefficient over the ML estimate of
#     ptl < 1 and the Firth estimate of ptl >= 1, i.e. the Q that pools a
#     penalized and a maximum-likelihood estimate.
suppressPackageStartupMessages({
  library(brglm2)
  library(metafor)
  library(jsonlite)
})

level <- 0.95
q <- qchisq(level, 1)
source("testdata/reference/logit/firth/penalized_profile.R")

schema <- fromJSON("testdata/reference/describe/birthwt.schema.json", simplifyVector = FALSE)
bw <- read.csv("testdata/reference/describe/birthwt.csv")
for (f in schema$fields) if (!is.null(f$categories))
  bw[[f$name]] <- factor(bw[[f$name]], levels = vapply(f$categories, function(c) c$value, ""))

firth_ref <- function(name, formula, data) {
  mf <- model.frame(formula, data)
  X <- model.matrix(formula, mf)
  y <- as.numeric(model.response(mf))
  fit <- glm(formula, data = data, family = binomial, method = "brglm_fit",
             type = "AS_mean", epsilon = 1e-14, maxit = 1000)
  stopifnot(fit$converged)
  s <- summary(fit)$coefficients
  bhat <- unname(coef(fit))
  se <- unname(s[, 2])
  m <- pl_max(X, y, bhat)
  stopifnot(max(abs(m$beta - bhat)) < 1e-7)
  plhat <- pl_fun(bhat, X, y)
  ci <- t(sapply(seq_len(ncol(X)), function(j) profile_ci(X, y, bhat, se, plhat, j)))
  lr <- pmax(sapply(seq_len(ncol(X)), function(j) {
    start <- bhat
    start[j] <- 0
    2 * (plhat - pl_max(X, y, start, j, 0)$value)
  }), 0)
  others <- seq_len(ncol(X))[-1]
  null <- pl_max(X, y, c(bhat[1], rep(0, length(others))), others, rep(0, length(others)))
  model_lr <- 2 * (plhat - null$value)
  list(
    name = name,
    names = I(colnames(X)),
    n = nrow(X),
    events = sum(y),
    estimate = bhat,
    std_error = se,
    statistic = unname(s[, 3]),
    p_value = unname(s[, 4]),
    conf_low = unname(ci[, 1]),
    conf_high = unname(ci[, 2]),
    lr_statistic = lr,
    lr_p_value = pchisq(lr, 1, lower.tail = FALSE),
    model_lr_statistic = model_lr,
    model_lr_df = length(others),
    model_lr_p_value = pchisq(model_lr, length(others), lower.tail = FALSE)
  )
}

covs <- c("age", "lwt", "race", "smoke", "ptl", "ht", "ui", "ftv")
models <- list(firth_ref("multivariable", reformulate(covs, "low"), bw))
for (v in covs) models[[length(models) + 1]] <- firth_ref(paste0("univariable:", v), reformulate(v, "low"), bw)

# --- subgroup --by ptl@1: the stratum model drops ptl.
sf <- reformulate(setdiff(covs, "ptl"), "low")
lo <- bw[bw$ptl < 1, ]
hi <- bw[bw$ptl >= 1, ]
g_lo <- glm(sf, data = lo, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
stopifnot(g_lo$converged)
f_hi <- firth_ref("ptl >= 1", sf, hi)
est_lo <- unname(coef(g_lo))
se_lo <- unname(sqrt(diag(vcov(g_lo))))
cochran <- lapply(seq_along(est_lo)[-1], function(j) {
  r <- rma(yi = c(est_lo[j], f_hi$estimate[j]), sei = c(se_lo[j], f_hi$std_error[j]), method = "FE")
  list(coefficient = names(coef(g_lo))[j], q = r$QE, df = r$k - 1, p_value = r$QEp)
})

write_json(list(
  formula = paste(deparse(reformulate(covs, "low")), collapse = ""),
  models = models,
  subgroup_ptl = list(
    by = "ptl@1",
    formula = paste(deparse(sf), collapse = ""),
    mle_stratum = list(level = "< 1", n = nrow(lo), events = sum(lo$low), names = I(names(coef(g_lo))),
                       estimate = est_lo, std_error = se_lo),
    firth_stratum = c(list(level = "≥ 1"), f_hi[-1]),
    cochran = cochran
  )
), "testdata/reference/logitcmd/firth_birthwt.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
