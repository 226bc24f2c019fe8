# Reference values for the maximum-likelihood core of package logit
# (logit/glm.go, profile.go, fitstats.go, vif.go, select.go).
#
# Rerun from the repository root:
#   Rscript testdata/reference/logit/glm/glm_reference.R
# It writes one JSON file per model into testdata/reference/logit/glm/
# (a few minutes: the separated model's profile walks a long grid).
# Each file holds the INPUT (model.matrix with column names, assign, term
# labels, y) and R's results, so the Go tests need neither R nor a loader.
#
# Functions used: stats::glm (IRLS), summary.glm, confint (MASS profile,
# spline-interpolated), confint.default (Wald), pROC::roc/auc/ci.auc
# (DeLong), car::vif (GVIF), stats::step (backward AIC). Written here
# because the packages are not installed: ResourceSelection::hoslem.test
# (copied logic; df = number of groups formed - 2, see hoslem below) and an
# SPSS-style Forward:LR procedure built on anova(..., test = "LRT").
suppressPackageStartupMessages({
  library(MASS)
  library(car)
  library(pROC)
  library(jsonlite)
})

out_dir <- "testdata/reference/logit/glm"

# Hosmer-Lemeshow exactly as ResourceSelection::hoslem.test (unique
# quantile-type-7 breaks, cut(include.lowest = TRUE)); the only change is
# df = (number of groups actually formed) - 2 instead of g - 2.
hoslem <- function(y, yhat, g = 10) {
  qq <- unique(quantile(yhat, probs = seq(0, 1, 1 / g)))
  cutyhat <- cut(yhat, breaks = qq, include.lowest = TRUE)
  observed <- xtabs(cbind(y0 = 1 - y, y1 = y) ~ cutyhat)
  expected <- xtabs(cbind(yhat0 = 1 - yhat, yhat1 = yhat) ~ cutyhat)
  chisq <- sum((observed - expected)^2 / expected)
  groups <- length(qq) - 1
  df <- groups - 2
  list(statistic = chisq, df = df, p_value = 1 - pchisq(chisq, df),
       groups = groups)
}

source("testdata/reference/logit/glm/exact_profile.R")

# Profile limits under complete separation, where the MLE does not exist
# and inf D = 0: walk outward from glm's (non-converged) estimate on a
# geometric grid of distances 10^(0, 0.05, ..., 6); the first crossing of
# sqrt(D(b)) = q is refined by uniroot, no crossing means an infinite limit.
separated_profile <- function(fit, level) {
  X <- model.matrix(fit)
  y <- fit$y
  b0 <- coef(fit)
  q <- qnorm((1 + level) / 2)
  res <- matrix(NA_real_, ncol(X), 2)
  for (j in seq_len(ncol(X))) {
    # Two starts: zero, and the estimate's direction scaled to b (along
    # which the data stay separated); BFGS alone stalls far out.
    f <- function(b) sqrt(max(0, min(
      constrained_dev(X, y, j, b, rep(0, ncol(X) - 1)),
      constrained_dev(X, y, j, b, b0[-j] * b / b0[j])))) - q
    for (s in c(-1, 1)) {
      lim <- s * Inf
      inner <- b0[j]
      for (dist in 10^seq(0, 6, by = 0.05)) {
        b <- b0[j] + s * dist
        if (f(b) > 0) {
          lim <- uniroot(f, sort(c(inner, b)), tol = 1e-10)$root
          break
        }
        inner <- b
      }
      res[j, (s + 3) / 2] <- lim
    }
  }
  res
}

# Marginality as drop.scope: a term may leave only if no other term in the
# model contains all of its variables.
term_vars <- function(lab) strsplit(lab, ":", fixed = TRUE)[[1]]
droppable <- function(labels) {
  Filter(function(t) !any(vapply(setdiff(labels, t), function(o)
    all(term_vars(t) %in% term_vars(o)), logical(1))), labels)
}
enterable <- function(labels, all_labels) {
  cand <- setdiff(all_labels, labels)
  Filter(function(t) {
    v <- term_vars(t)
    if (length(v) == 1) return(TRUE)
    # every lower-order term of t that exists in the full model must be in
    lower <- Filter(function(o) o != t && all(term_vars(o) %in% v), all_labels)
    all(lower %in% labels)
  }, cand)
}

fit_terms <- function(labels, resp, data) {
  rhs <- if (length(labels) == 0) "1" else paste(labels, collapse = " + ")
  glm(as.formula(paste(resp, "~", rhs)), family = binomial, data = data,
      control = glm.control(epsilon = 1e-14, maxit = 100))
}

# SPSS Forward:LR as the brief defines it: start from the intercept; enter
# the term with the smallest LR-test p below p_enter; after each entry
# remove (one at a time, largest p first) any term whose removal LR p
# exceeds p_remove.
forward_lr <- function(all_labels, resp, data, p_enter = 0.05, p_remove = 0.10) {
  cur <- character(0)
  steps <- list()
  for (iter in 1:50) {
    fit <- fit_terms(cur, resp, data)
    cand <- enterable(cur, all_labels)
    if (length(cand) == 0) break
    ps <- sapply(cand, function(t) {
      a <- anova(fit, fit_terms(c(cur, t), resp, data), test = "LRT")
      c(a$Deviance[2], a$Df[2], a[["Pr(>Chi)"]][2])
    })
    best <- which.min(ps[3, ])
    if (ps[3, best] >= p_enter) break
    cur <- all_labels[all_labels %in% c(cur, cand[best])]
    steps[[length(steps) + 1]] <- list(action = "enter", term = cand[best],
      statistic = ps[1, best], df = ps[2, best], p_value = ps[3, best])
    repeat {
      fit <- fit_terms(cur, resp, data)
      dr <- droppable(cur)
      if (length(dr) == 0) break
      pr <- sapply(dr, function(t) {
        a <- anova(fit_terms(setdiff(cur, t), resp, data), fit, test = "LRT")
        c(a$Deviance[2], a$Df[2], a[["Pr(>Chi)"]][2])
      })
      worst <- which.max(pr[3, ])
      if (pr[3, worst] <= p_remove) break
      cur <- setdiff(cur, dr[worst])
      steps[[length(steps) + 1]] <- list(action = "remove", term = dr[worst],
        statistic = pr[1, worst], df = pr[2, worst], p_value = pr[3, worst])
    }
  }
  ff <- fit_terms(cur, resp, data)
  list(steps = steps, final_terms = I(cur),
       final_coef = I(unname(coef(ff))), final_names = I(names(coef(ff))))
}

warnings_of <- function(expr) {
  w <- character(0)
  val <- withCallingHandlers(expr, warning = function(x) {
    w <<- c(w, conditionMessage(x)); invokeRestart("muffleWarning")
  })
  list(value = val, warnings = w)
}

reference <- function(name, formula, data, level = 0.95, profile = TRUE,
                      select = FALSE) {
  g <- warnings_of(glm(formula, family = binomial, data = data,
                       control = glm.control(epsilon = 1e-14, maxit = 100)))
  # glm's own count at its default control, which ccstudy reports too.
  g_default <- suppressWarnings(glm(formula, family = binomial, data = data,
                                    control = glm.control()))
  fit <- g$value
  X <- model.matrix(fit)
  y <- fit$y
  n <- length(y)
  s <- summary(fit)
  cf <- s$coefficients
  p <- fit$rank
  ll <- as.numeric(logLik(fit))
  ll0 <- -fit$null.deviance / 2
  res <- list(
    name = name, formula = deparse(formula), level = level,
    x = unname(X), names = I(colnames(X)), assign = I(attr(X, "assign")),
    term_labels = I(attr(terms(fit), "term.labels")), y = unname(y),
    converged = fit$converged, iter = fit$iter, warnings = I(g$warnings),
    converged_default = g_default$converged, iter_default = g_default$iter,
    coef_default = unname(coef(g_default)), deviance_default = g_default$deviance,
    coef = unname(coef(fit)), vcov = unname(vcov(fit)),
    se = unname(cf[, 2]), z = unname(cf[, 3]), p = unname(cf[, 4]),
    fitted = unname(fitted(fit)),
    deviance = fit$deviance, null_deviance = fit$null.deviance,
    df_residual = fit$df.residual, df_null = fit$df.null,
    loglik = ll, aic = AIC(fit), bic = BIC(fit),
    lr_statistic = fit$null.deviance - fit$deviance,
    lr_df = fit$df.null - fit$df.residual,
    lr_p = pchisq(fit$null.deviance - fit$deviance,
                  fit$df.null - fit$df.residual, lower.tail = FALSE),
    mcfadden = 1 - ll / ll0,
    nagelkerke = (1 - exp(2 * (ll0 - ll) / n)) / (1 - exp(2 * ll0 / n)),
    events = sum(y), n = n,
    ci_wald = unname(confint.default(fit, level = level))
  )
  if (profile) {
    ci <- suppressMessages(warnings_of(confint(fit, level = level)))
    res$ci_profile <- unname(ci$value)
    res$ci_profile_warnings <- I(ci$warnings)
    res$ci_exact <- unname(exact_profile(fit, level))
  }
  r <- roc(y, fitted(fit), levels = c(0, 1), direction = "<", quiet = TRUE)
  res$auc <- as.numeric(auc(r))
  aci <- ci.auc(r, conf.level = level, method = "delong")
  res$auc_ci <- c(aci[1], aci[3])
  res$hl <- hoslem(y, fitted(fit))
  if (length(res$term_labels) >= 2 && colnames(X)[1] == "(Intercept)") {
    v <- suppressMessages(vif(fit))
    if (is.matrix(v)) {
      res$gvif <- I(unname(v[, 1])); res$gvif_df <- I(unname(v[, 2]))
    } else {
      res$gvif <- I(unname(v)); res$gvif_df <- I(rep(1, length(v)))
    }
  }
  if (select) {
    st <- step(fit, direction = "backward", trace = 0)
    a <- st$anova
    res$step <- list(
      step = I(as.character(a$Step)), df = I(a$Df), deviance = I(a$Deviance),
      resid_df = I(a[["Resid. Df"]]), resid_dev = I(a[["Resid. Dev"]]), aic = I(a$AIC),
      final_terms = I(attr(terms(st), "term.labels")),
      final_coef = I(unname(coef(st))), final_names = I(names(coef(st))))
    resp <- as.character(formula[[2]])
    res$forward_lr <- forward_lr(res$term_labels, resp, data)
  }
  write_json(res, file.path(out_dir, paste0(name, ".json")),
             digits = NA, auto_unbox = TRUE, pretty = TRUE)
  invisible(res)
}

bw <- MASS::birthwt
bw$race <- factor(bw$race, labels = c("white", "black", "other"))

reference("birthwt", low ~ age + lwt + race + smoke + ptl + ht + ui + ftv,
          bw, select = TRUE)
reference("birthwt_interaction", low ~ smoke * race + age, bw, select = TRUE)
reference("infert", case ~ spontaneous + induced + education, infert,
          select = TRUE)
reference("mtcars_am", am ~ wt + hp, mtcars, level = 0.90)
reference("mtcars_vs", vs ~ mpg, mtcars)
reference("mtcars_vs_noint", vs ~ 0 + mpg + wt, mtcars)
# Every glm() here runs to epsilon = 1e-14 (maxit = 100) so that the
# estimates, and the covariance summary.glm takes from the last IRLS step,
# are at the MLE to ~1e-10 (at the default 1e-8 vcov is up to 4e-5 off);
# iter_default, converged_default, coef_default and deviance_default are
# glm's at its default control (the separated fit's diverging iterate 25).
# Complete separation: IRLS hits maxit = 100 without converging and the
# fitted probabilities reach 0/1. confint() fails here; the profile limits
# come from separated_profile (finite on one side, infinite on the other).
res <- reference("mtcars_separated", am ~ wt + qsec, mtcars, profile = FALSE)
res$ci_exact <- suppressWarnings(separated_profile(glm(am ~ wt + qsec, binomial, mtcars,
  control = glm.control(epsilon = 1e-14, maxit = 100)), 0.95))
write_json(res, file.path(out_dir, "mtcars_separated.json"),
           digits = NA, auto_unbox = TRUE, pretty = TRUE)

# Aliased column: lwt2 duplicates lwt (scaled), R reports its coefficient NA.
bw2 <- bw
bw2$lwt_kg <- bw2$lwt * 0.4536
# Default control on purpose: glm.fit's rank tolerance is
# min(1e-7, epsilon / 1000), which at epsilon = 1e-14 (1e-17) no longer
# sees the rounded multiple as aliased; ccstudy keeps R's default 1e-7.
al <- glm(low ~ age + lwt + lwt_kg + smoke, family = binomial, data = bw2,
          control = glm.control())
Xa <- model.matrix(al)
write_json(list(name = "birthwt_aliased", x = unname(Xa), names = I(colnames(Xa)),
                assign = I(attr(Xa, "assign")),
                term_labels = I(attr(terms(al), "term.labels")),
                y = unname(al$y), aliased = I(names(coef(al))[is.na(coef(al))])),
           file.path(out_dir, "birthwt_aliased.json"),
           digits = NA, auto_unbox = TRUE, pretty = TRUE)
