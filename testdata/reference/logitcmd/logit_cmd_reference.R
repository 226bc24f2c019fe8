# Reference values for `ccstudy logit` run end to end (CSV + schema in,
# JSON out), on the synthetic reference study and on MASS::birthwt given as
# a user's CSV with its own Table Schema.
#
# Rerun from the repository root:
#   Rscript testdata/reference/logitcmd/logit_cmd_reference.R
# Needs MASS, car, pROC, jsonlite. Writes companies.json and birthwt.json.
#
# Each model: glm(binomial) coefficients, SEs, z, p; profile-likelihood CIs
# from confint() (R's spline interpolation: compared at 1e-4); deviances,
# logLik, AIC, BIC, LR test; McFadden and Nagelkerke R²; AUC with DeLong CI
# (pROC); exact profile-likelihood limits (uniroot on the constrained
# deviance, compared at 1e-6, since confint's spline is only ~1e-4 exact); Hosmer–Lemeshow as ResourceSelection::hoslem.test (not packaged
# here, so written out below, df = groups formed − 2); car::vif GVIFs.
suppressPackageStartupMessages({library(jsonlite); library(MASS); library(car); library(pROC)})
out_dir <- "testdata/reference/logitcmd"

hoslem <- function(y, yhat, g = 10) {
  qq <- unique(quantile(yhat, probs = seq(0, 1, 1 / g)))
  cutyhat <- cut(yhat, breaks = qq, include.lowest = TRUE)
  observed <- xtabs(cbind(y0 = 1 - y, y1 = y) ~ cutyhat)
  expected <- xtabs(cbind(yhat0 = 1 - yhat, yhat1 = yhat) ~ cutyhat)
  chisq <- sum((observed - expected)^2 / expected)
  df <- length(qq) - 1 - 2
  list(statistic = chisq, df = df, p_value = pchisq(chisq, df, lower.tail = FALSE))
}

model_ref <- function(name, formula, data) {
  fit <- glm(formula, binomial, data, control = glm.control(epsilon = 1e-14, maxit = 100))
  s <- summary(fit)$coefficients
  X <- model.matrix(fit); y <- fit$y; n <- length(y)
  ll <- as.numeric(logLik(fit)); ll0 <- -fit$null.deviance / 2
  ci <- suppressMessages(confint(fit))
  r <- roc(y, fitted(fit), levels = c(0, 1), direction = "<", quiet = TRUE)
  aci <- ci.auc(r, method = "delong")
  res <- list(name = name, names = I(colnames(X)), estimate = unname(coef(fit)), std_error = unname(s[, 2]),
    statistic = unname(s[, 3]), p_value = unname(s[, 4]),
    conf_low = unname(matrix(ci, ncol = 2)[, 1]), conf_high = unname(matrix(ci, ncol = 2)[, 2]),
    n = n, events = sum(y), null_deviance = fit$null.deviance, deviance = fit$deviance,
    log_likelihood = ll, aic = AIC(fit), bic = BIC(fit),
    lr_statistic = fit$null.deviance - fit$deviance, lr_df = fit$df.null - fit$df.residual,
    lr_p_value = pchisq(fit$null.deviance - fit$deviance, fit$df.null - fit$df.residual, lower.tail = FALSE),
    mcfadden_r2 = 1 - ll / ll0, nagelkerke_r2 = (1 - exp(2 * (ll0 - ll) / n)) / (1 - exp(2 * ll0 / n)),
    exact_low = unname(exact_profile(fit, 0.95)[, 1]), exact_high = unname(exact_profile(fit, 0.95)[, 2]),
    auc = as.numeric(auc(r)), auc_conf_low = aci[1], auc_conf_high = aci[3], iterations = glm(formula, binomial, data)$iter)
  hl <- hoslem(y, fitted(fit))
  if (hl$df > 0) res$hosmer_lemeshow <- hl
  labels <- attr(terms(fit), "term.labels")
  if (length(labels) >= 2) {
    v <- vif(fit)
    if (is.matrix(v)) v <- v[, 1]
    # one GVIF per coefficient: the value of the term the column belongs to
    res$vif <- unname(c(NA, v[attr(X, "assign")[-1]]))
  }
  res
}

source("testdata/reference/logit/glm/exact_profile.R")

as_levels <- function(d, schema) {
  for (f in schema$fields) if (!is.null(f$categories))
    d[[f$name]] <- factor(d[[f$name]], levels = vapply(f$categories, function(c) c$value, ""))
  d
}

write <- function(x, file) write_json(x, file.path(out_dir, file), digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")

# --- the synthetic reference study: the default model and each variable alone
schema <- fromJSON("internal/refstudy/schemas/companies.json", simplifyVector = FALSE)
d <- as_levels(read.csv("testdata/companies.csv", na.strings = c("", "NA")), schema)
covs <- c("company_type", "founder_background", "rd_leader_background", "dev_years", "log(rd_expenditure)",
          "listed", "product_source", "novelty", "orphan_drug")
models <- list(model_ref("multivariable", reformulate(covs, "case"), d))
for (v in covs) models[[length(models) + 1]] <- model_ref(paste0("univariable:", v), reformulate(v, "case"), d)
# an interaction model written as a formula
models[[length(models) + 1]] <- model_ref("multivariable",
  case ~ rd_leader_background + dev_years + novelty * company_type + log(rd_expenditure), d)
write(list(formula_interaction = "case ~ rd_leader_background + dev_years + novelty*company_type + log(rd_expenditure)",
           models = models), "companies.json")

# --- MASS::birthwt as a user's CSV (exported by the describe reference script)
bschema <- fromJSON("testdata/reference/describe/birthwt.schema.json", simplifyVector = FALSE)
bw <- as_levels(read.csv("testdata/reference/describe/birthwt.csv"), bschema)
bcovs <- c("age", "lwt", "race", "smoke", "ptl", "ht", "ui", "ftv")
bmodels <- list(model_ref("multivariable", reformulate(bcovs, "low"), bw))
for (v in bcovs) bmodels[[length(bmodels) + 1]] <- model_ref(paste0("univariable:", v), reformulate(v, "low"), bw)
write(list(models = bmodels), "birthwt.json")
