# Reference values for logit.FitFirth (Firth's penalized likelihood).
#
# Rerun from the repo root:
#   Rscript testdata/reference/logit/firth/firth.R
# It writes testdata/reference/logit/firth/firth.json.
#
# Estimates, standard errors, Wald z and p come from brglm2::brglm_fit with
# type = "AS_mean" (Firth's adjusted score; identical to logistf for the
# logit link). logistf is not packaged, so the penalized profile likelihood
# confidence limits and the penalized likelihood-ratio tests that logistf
# reports are computed here from their definition:
#   pl(beta) = sum(y log p + (1 - y) log(1 - p)) + 1/2 log det(X' W X),
# maximised with optim(method = "BFGS") (gradient: the gradient of pl, which
# for the logit link is Firth's modified score) with one coefficient fixed,
# and uniroot() for 2 (pl(beta_hat) - pl_j(b)) = qchisq(level, 1).
# The script also checks that the unconstrained optim maximum reproduces
# brglm2's estimates.
suppressPackageStartupMessages({
  library(brglm2)
  library(MASS)
  library(jsonlite)
})

level <- 0.95
q <- qchisq(level, 1)

source("testdata/reference/logit/firth/penalized_profile.R")

make_case <- function(name, formula, data, note) {
  mf <- model.frame(formula, data)
  X <- model.matrix(formula, mf)
  y <- as.numeric(model.response(mf))
  if (is.factor(model.response(mf))) y <- as.numeric(model.response(mf) != levels(model.response(mf))[1])
  tt <- terms(formula, data = data)

  fit <- glm(y ~ X - 1, family = binomial, method = "brglm_fit",
             type = "AS_mean", epsilon = 1e-14, maxit = 1000)
  s <- summary(fit)$coefficients
  bhat <- unname(coef(fit))
  se <- unname(s[, 2])

  # The SEs are the inverse Fisher information at the estimate.
  w <- fitted(fit) * (1 - fitted(fit))
  stopifnot(max(abs(sqrt(diag(solve(crossprod(X * sqrt(w))))) / se - 1)) < 1e-8)

  # Independent maximisation of the definition.
  m <- pl_max(X, y, bhat)
  stopifnot(max(abs(m$beta - bhat)) < 1e-7)
  plhat <- pl_fun(bhat, X, y)

  ci <- t(sapply(seq_len(ncol(X)), function(j) profile_ci(X, y, bhat, se, plhat, j)))
  lr <- sapply(seq_len(ncol(X)), function(j) {
    start <- bhat
    start[j] <- 0
    2 * (plhat - pl_max(X, y, start, j, 0)$value)
  })
  lr <- pmax(lr, 0)
  # Whole-model penalized LR test as logistf: against the intercept-only
  # penalized fit.
  others <- seq_len(ncol(X))[-1]
  null <- pl_max(X, y, c(bhat[1], rep(0, ncol(X) - 1)), others, rep(0, length(others)))
  model_lr <- 2 * (plhat - null$value)

  list(
    name = name,
    note = note,
    formula = deparse(formula),
    names = colnames(X),
    assign = attr(X, "assign"),
    groups = c("(Intercept)", attr(tt, "term.labels")),
    x = unname(lapply(seq_len(nrow(X)), function(i) unname(X[i, ]))),
    y = y,
    level = level,
    brglm2 = list(
      estimate = bhat,
      std_error = se,
      statistic = unname(s[, 3]),
      p_value = unname(s[, 4]),
      log_likelihood = as.numeric(logLik(fit)),
      deviance = deviance(fit),
      # The fit above has no formula intercept, so its null.deviance is at
      # eta = 0; brglm2 with an intercept reports the intercept-only
      # bias-reduced fit, computed here directly.
      null_deviance = deviance(glm(y ~ 1, family = binomial, method = "brglm_fit",
                                   type = "AS_mean", epsilon = 1e-14, maxit = 1000)),
      aic = AIC(fit),
      fitted = unname(fitted(fit))
    ),
    penalized = list(
      log_likelihood = plhat,
      optim_estimate = m$beta,
      conf_low = unname(ci[, 1]),
      conf_high = unname(ci[, 2]),
      lr_statistic = lr,
      lr_p_value = pchisq(lr, 1, lower.tail = FALSE),
      null_log_likelihood = null$value,
      model_lr_statistic = model_lr,
      model_lr_df = ncol(X) - 1,
      model_lr_p_value = pchisq(model_lr, ncol(X) - 1, lower.tail = FALSE)
    )
  )
}

# Complete separation: y is 1 exactly when x1 + x2/2 > 0.
set.seed(1)
complete <- data.frame(x1 = round(rnorm(30), 2), x2 = round(rnorm(30), 2))
complete$y <- as.integer(complete$x1 + 0.5 * complete$x2 > 0)

# Quasi-complete separation: every subject in group "c" is a case; groups
# "a" and "b" are mixed.
set.seed(2)
quasi <- data.frame(g = factor(rep(c("a", "b", "c"), c(16, 14, 10))),
                    x = round(rnorm(40), 2))
quasi$y <- c(rbinom(16, 1, 0.3), rbinom(14, 1, 0.5), rep(1L, 10))

bw <- MASS::birthwt
bw$race <- factor(bw$race, labels = c("white", "black", "other"))

inf <- datasets::infert

cases <- list(
  make_case("complete", y ~ x1 + x2, complete,
            "constructed: complete separation by x1 + x2/2 > 0"),
  make_case("quasi", y ~ g + x, quasi,
            "constructed: quasi-complete separation, all of group c are cases"),
  make_case("birthwt", low ~ age + lwt + race + smoke + ptl + ht + ui + ftv, bw,
            "MASS::birthwt, no separation"),
  make_case("infert", case ~ spontaneous + induced + age + parity, inf,
            "datasets::infert, no separation (unconditional model)")
)

# Maximum likelihood fits of the non-separated cases, for FitAuto.
for (i in seq_along(cases)) {
  X <- do.call(rbind, cases[[i]]$x)
  y <- cases[[i]]$y
  # R's default control: logit.Fit reproduces glm's IRLS including where
  # it stops (its SEs use the weights of the last iteration).
  g <- suppressWarnings(glm(y ~ X - 1, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100)))
  cases[[i]]$glm <- list(estimate = unname(coef(g)),
                         std_error = unname(sqrt(diag(vcov(g)))))
}

write_json(cases, "testdata/reference/logit/firth/firth.json",
           digits = NA, auto_unbox = TRUE, pretty = TRUE)
