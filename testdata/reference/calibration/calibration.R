# R's side of the calibration by simulation (testdata/calibration.md):
# the same simulated studies fitted by glm, so that the coverage and
# type-I figures can be checked to be properties of the methods, not of
# ccstudy's implementation.
#
# Rerun from the repository root (needs Go to draw the studies, and
# jsonlite):
#   Rscript testdata/reference/calibration/calibration.R
# It runs `go test ./internal/refstudy -run TestCalibrationDump` to write
# the first N = 500 studies of both DGPs as CSVs into a temporary folder,
# then for each study:
#   - null DGP (both interactions 0): glm of the true formula and of the
#     formula without each interaction, the likelihood-ratio statistic
#     (anova(reduced, full, test = "LRT")), its df and p;
#     where glm's model is separated, also the test `ccstudy subgroup
#     --method auto` makes there: Firth's penalized LR test (p_auto);
#   - true DGP: glm of the true formula, coefficients and Wald limits
#     (confint.default) at 95%.
# glm runs with R's default control, as a user's script would; whether it
# converged and whether it warned of fitted probabilities numerically 0 or
# 1 is recorded. glm does not always warn under quasi-complete separation
# (its fitted values stop near 1e-9, above the warning's threshold), so
# separation is found independently of ccstudy's linear program: the MLE
# does not exist when some coefficient keeps growing as glm is allowed more
# iterations (|coef| after 50 iterations with epsilon = 1e-300 exceeds the
# one after 25 by more than 1, the check testdata/reference/logit/firth/
# separation_robust.R uses). ccstudy's test compares the separation
# verdicts, and the statistics only where there is none.
suppressPackageStartupMessages({library(jsonlite); library(brglm2)})
source("testdata/reference/logit/firth/penalized_profile.R")
source("testdata/reference/calibration/study_lib.R")
out <- "testdata/reference/calibration/calibration.json"
n <- 500L
dir <- dump_studies(n, "ccstudy-calib-")

# control = "default" is what a user's script gets (the type-I counts);
# "tight" (epsilon 1e-14) converges as far as ccstudy does, for the
# statistics compared fit by fit (R's default stops at a relative deviance
# change of 1e-8, which leaves limits about 1e-6 from the optimum).
fit <- function(formula, d, control = c("tight", "default")) {
  ctl <- if (match.arg(control) == "tight") glm.control(epsilon = 1e-14, maxit = 100) else glm.control()
  boundary <- FALSE
  f <- withCallingHandlers(glm(formula, binomial, d, control = ctl), warning = function(w) {
    if (grepl("fitted probabilities numerically 0 or 1", conditionMessage(w))) boundary <<- TRUE
    invokeRestart("muffleWarning")
  })
  list(fit = f, boundary = boundary || isTRUE(f$boundary), converged = isTRUE(f$converged))
}



null <- vector("list", n); tru <- vector("list", n)
for (i in seq_len(n) - 1L) {
  d <- read_study("null", i)
  full <- fit(true_formula, d); full0 <- fit(true_formula, d, "default")
  lr <- df <- p <- p0 <- numeric(0)
  conv <- full$converged; bnd <- full0$boundary
  for (term in interactions) {
    reduced <- update(true_formula, as.formula(paste(". ~ . -", term)))
    red <- fit(reduced, d); red0 <- fit(reduced, d, "default")
    a <- anova(red$fit, full$fit, test = "LRT")
    lr <- c(lr, a$Deviance[2]); df <- c(df, a$Df[2]); p <- c(p, a[["Pr(>Chi)"]][2])
    p0 <- c(p0, anova(red0$fit, full0$fit, test = "LRT")[["Pr(>Chi)"]][2])
    conv <- conv && red$converged; bnd <- bnd || red0$boundary
  }
  sep <- separated(true_formula, d)
  # ccstudy subgroup --method auto: where the full model is separated,
  # Firth's penalized LR test of the interaction's columns with the full
  # model's penalty (logistf's anova, method "nested").
  p_auto <- p
  if (sep) {
    X <- model.matrix(full$fit); y <- full$fit$y
    # brglm2 does not always converge on these separated designs; the
    # penalized maximum is then found by pl_max from 0 (the penalized
    # likelihood is finite everywhere, unlike at a diverged start).
    fb <- suppressWarnings(glm(y ~ X - 1, family = binomial, method = "brglm_fit", type = "AS_mean", epsilon = 1e-14, maxit = 1000))
    b0 <- unname(coef(fb))
    if (!isTRUE(fb$converged) || !is.finite(pl_fun(b0, X, y))) b0 <- numeric(ncol(X))
    top <- pl_max(X, y, b0)
    asg <- attr(X, "assign"); labs <- attr(terms(full$fit), "term.labels")
    for (j in seq_along(interactions)) {
      cols <- which(asg == match(interactions[j], labs))
      st <- top$beta; st[cols] <- 0
      red <- pl_max(X, y, st, cols, rep(0, length(cols)))
      p_auto[j] <- pchisq(2 * (top$value - red$value), length(cols), lower.tail = FALSE)
    }
  }
  null[[i + 1L]] <- list(study = i, converged = conv, boundary = bnd, separated = sep,
                         lr = lr, df = df, p = p, p_default = p0, p_auto = p_auto)

  d <- read_study("true", i)
  m <- fit(true_formula, d)
  ci <- confint.default(m$fit, level = 0.95)
  tru[[i + 1L]] <- list(study = i, converged = m$converged, boundary = m$boundary, separated = separated(true_formula, d),
    names = I(names(coef(m$fit))), estimate = unname(coef(m$fit)),
    conf_low = unname(ci[, 1]), conf_high = unname(ci[, 2]), deviance = m$fit$deviance)
}

# Type-I error as a user of R would count it (default control): every
# study, and the studies where the MLE exists; rejected at p < 0.05.
type_i <- lapply(seq_along(interactions), function(j) {
  p <- vapply(null, function(s) s$p_default[j], 0)
  ok <- !vapply(null, function(s) s$separated, FALSE)
  list(interaction = interactions[j], rejected = sum(p < 0.05, na.rm = TRUE), tested = sum(!is.na(p)),
       rate = mean(p < 0.05, na.rm = TRUE),
       rejected_mle_exists = sum(p[ok] < 0.05, na.rm = TRUE), tested_mle_exists = sum(!is.na(p[ok])),
       rejected_auto = sum(vapply(null, function(s) s$p_auto[j], 0) < 0.05, na.rm = TRUE))
})
# Wald coverage of the true slopes, in the studies where the MLE exists.
truth <- fromJSON(file.path(dir, "truth.json"))
wald_coverage <- lapply(seq_along(truth$term), function(j) {
  hit <- vapply(tru, function(s) {
    if (s$separated) return(NA)
    k <- match(truth$term[j], s$names)
    s$conf_low[k] <= truth$log_or[j] && truth$log_or[j] <= s$conf_high[k]
  }, NA)
  list(term = truth$term[j], log_or = truth$log_or[j], covered = sum(hit, na.rm = TRUE), studies = sum(!is.na(hit)))
})
unlink(dir, recursive = TRUE)
write_json(list(studies = n, interactions = I(interactions), null = null, true = tru, type_i = type_i, wald_coverage = wald_coverage,
                r_version = R.version.string),
           out, digits = NA, auto_unbox = TRUE, na = "null")
