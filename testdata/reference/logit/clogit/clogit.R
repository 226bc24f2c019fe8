# Reference values for logit.FitConditional (conditional logistic
# regression with the exact conditional likelihood).
#
# Rerun from the repo root:
#   Rscript testdata/reference/logit/clogit/clogit.R
# It writes testdata/reference/logit/clogit/clogit.json.
#
# R: survival::clogit(..., method = "exact") run to tight convergence;
# confidence limits are confint() (Wald), log-likelihoods fit$loglik
# (null, fitted) and the LR test summary(fit)$logtest.
suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})

make_case <- function(name, formula, data, strata_var, note) {
  fit <- clogit(formula, data = data, method = "exact",
                control = coxph.control(eps = 1e-11, iter.max = 100))
  rhs <- delete.response(terms(formula))
  labs <- attr(rhs, "term.labels")
  labs <- labs[!grepl("^strata\\(", labs)]
  f2 <- reformulate(labs)
  mf <- model.frame(f2, data)
  X <- model.matrix(f2, mf)[, -1, drop = FALSE]
  yname <- all.vars(formula)[1]
  s <- summary(fit)
  ci <- confint(fit)
  list(
    name = name,
    note = note,
    formula = deparse(formula),
    names = colnames(X),
    x = unname(lapply(seq_len(nrow(X)), function(i) unname(X[i, ]))),
    y = as.numeric(data[[yname]]),
    strata = as.integer(data[[strata_var]]),
    estimate = unname(coef(fit)),
    std_error = unname(sqrt(diag(vcov(fit)))),
    statistic = unname(s$coefficients[, "z"]),
    p_value = unname(s$coefficients[, "Pr(>|z|)"]),
    conf_low = unname(ci[, 1]),
    conf_high = unname(ci[, 2]),
    loglik_null = fit$loglik[1],
    loglik = fit$loglik[2],
    lr_statistic = unname(s$logtest["test"]),
    lr_df = unname(s$logtest["df"]),
    lr_p_value = unname(s$logtest["pvalue"]),
    n = fit$n,
    nevent = fit$nevent,
    aic = AIC(fit),
    bic = BIC(fit)
  )
}

# Matched sets with 1:3, 2:3 and 4:6 case:control ratios, plus sets with
# only cases or only controls (which carry no information).
set.seed(11)
k <- c(rep(4, 20), rep(5, 12), rep(10, 4), rep(3, 2), rep(2, 2))
m <- c(rep(1, 20), rep(2, 12), rep(4, 4), rep(3, 2), rep(0, 2))
sets <- do.call(rbind, lapply(seq_along(k), function(s) {
  data.frame(set = s, case = c(rep(1, m[s]), rep(0, k[s] - m[s])))
}))
sets$x1 <- round(rnorm(nrow(sets), mean = 0.6 * sets$case), 3)
sets$x2 <- rbinom(nrow(sets), 1, ifelse(sets$case == 1, 0.55, 0.35))
sets$grp <- factor(sample(c("a", "b", "c"), nrow(sets), replace = TRUE))

cases <- list(
  make_case("infert", case ~ spontaneous + induced + strata(stratum),
            datasets::infert, "stratum",
            "datasets::infert, 1:2 matched (some 1:1/1:3 after exclusions)"),
  make_case("constructed", case ~ x1 + x2 + grp + strata(set), sets, "set",
            "simulated 1:3, 2:3, 4:6 matched sets, 2 all-case and 2 all-control sets")
)

write_json(cases, "testdata/reference/logit/clogit/clogit.json",
           digits = NA, auto_unbox = TRUE, pretty = TRUE)
