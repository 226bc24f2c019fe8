# Reference values for the global (likelihood-ratio) tests of Table 2 in
# `ccstudy logit`: one test per term of a model with more than one
# column (a multi-level factor, an interaction block), as
# car::Anova(fit, type = 2, test.statistic = "LR"). Type II respects
# marginality: a main effect is tested after every term that does not
# contain it (its interactions are dropped from both models), an
# interaction after everything else. Without interactions this equals
# drop1(fit, test = "LRT"), which the script checks.
#
# Rerun from the repository root:
#   Rscript testdata/reference/logitcmd/global_p.R
# Needs car, survival, brglm2, jsonlite. Writes global_p.json.
#
# Also a conditional (matched) model: infert with spontaneous (0, 1, 2+)
# as a three-level factor, clogit(method = "exact"), whose type II LR
# test (car::Anova does not do LR tests with strata, so it is computed as
# anova() of the nested clogit fits: 2 × the difference of their
# conditional log-likelihoods, which is type II without interactions).
suppressPackageStartupMessages({library(jsonlite); library(car); library(survival)})
out_dir <- "testdata/reference/logitcmd"

as_levels <- function(d, schema) {
  for (f in schema$fields) if (!is.null(f$categories)) {
    vals <- vapply(f$categories, function(c) if (is.list(c)) as.character(c$value) else as.character(c), "")
    d[[f$name]] <- factor(as.character(d[[f$name]]), levels = vals)
  }
  d
}

# Every term of fit with more than one column: its type II LR test.
global_tests <- function(name, formula, data) {
  fit <- glm(formula, binomial, data, control = glm.control(epsilon = 1e-14, maxit = 100))
  a <- Anova(fit, type = 2, test.statistic = "LR")
  X <- model.matrix(fit)
  labels <- attr(terms(fit), "term.labels")
  cols <- table(factor(attr(X, "assign")[-1], levels = seq_along(labels)))
  multi <- labels[cols > 1]
  if (!any(grepl(":", labels))) {
    d1 <- drop1(fit, test = "LRT")
    stopifnot(all.equal(d1[labels, "LRT"], a[labels, "LR Chisq"], tolerance = 1e-8))
  }
  list(name = name, formula = paste(deparse(formula, width.cutoff = 500), collapse = ""), n = nrow(X),
       tests = lapply(multi, function(t) list(term = t, df = a[t, "Df"], statistic = a[t, "LR Chisq"],
                                               p_value = a[t, "Pr(>Chisq)"])))
}

# --- the synthetic reference study: the default model, each
# multi-level factor alone (crude), and an interaction model
schema <- fromJSON("internal/refstudy/schemas/companies.json", simplifyVector = FALSE)
d <- as_levels(read.csv("testdata/companies.csv", na.strings = c("", "NA")), schema)
covs <- c("company_type", "founder_background", "rd_leader_background", "dev_years", "log(rd_expenditure)",
          "listed", "product_source", "novelty", "orphan_drug")
companies <- list(global_tests("multivariable", reformulate(covs, "case"), d))
for (v in c("founder_background", "rd_leader_background", "product_source", "novelty"))
  companies[[length(companies) + 1]] <- global_tests(paste0("univariable:", v), reformulate(v, "case"), d)
companies[[length(companies) + 1]] <- global_tests("interaction",
  case ~ rd_leader_background + dev_years + novelty * company_type + log(rd_expenditure), d)

# --- survival::pbc as a user's CSV (testdata/foreign/pbc): edema and
# stage are multi-level factors; complete cases (n = 284)
pschema <- fromJSON("testdata/foreign/pbc/pbc.schema.json", simplifyVector = FALSE)
p <- as_levels(read.csv("testdata/foreign/pbc/pbc.csv", na.strings = c("", "NA")), pschema)
pcovs <- c("age", "sex", "edema", "log(bili)", "log(chol)", "albumin", "protime", "stage")
pf <- reformulate(pcovs, "died")
pcc <- p[complete.cases(p[, c("died", "age", "sex", "edema", "bili", "chol", "albumin", "protime", "stage")]), ]
pbc <- list(global_tests("multivariable", pf, pcc))
for (v in c("edema", "stage"))
  pbc[[length(pbc) + 1]] <- global_tests(paste0("univariable:", v), reformulate(v, "died"), p)

# --- infert, matched sets (testdata/reference/logitcmd/infert.csv)
inf <- read.csv("testdata/reference/logitcmd/infert.csv")
inf$spontaneous <- factor(inf$spontaneous, levels = 0:2)
cfit <- clogit(case ~ spontaneous + induced + strata(stratum), data = inf, method = "exact")
cfit0 <- clogit(case ~ induced + strata(stratum), data = inf, method = "exact")
ca <- anova(cfit0, cfit)
stopifnot(all.equal(ca[2, "Chisq"], 2 * (cfit$loglik[2] - cfit0$loglik[2])))
infert <- list(list(name = "multivariable", formula = "case ~ spontaneous + induced", strata = "stratum", n = cfit$n,
                    tests = list(list(term = "spontaneous", df = ca[2, "Df"],
                                      statistic = ca[2, "Chisq"], p_value = ca[2, "Pr(>|Chi|)"]))))

# --- survival::lung as a user's CSV (testdata/foreign/lung): ccstudy's
# default fit is Firth's (separation: an institution with only deaths),
# so each multi-column term of the (interaction-free) model is tested by
# the penalized likelihood ratio with the full model's penalty in both
# maxima (logistf's anova, method "nested"; logistf is not packaged, so
# from the penalized likelihood of penalized_profile.R).
suppressPackageStartupMessages(library(brglm2))
source("testdata/reference/logit/firth/penalized_profile.R")
lschema <- fromJSON("testdata/foreign/lung/lung.schema.json", simplifyVector = FALSE)
l <- as_levels(read.csv("testdata/foreign/lung/lung.csv", na.strings = c("", "NA")), lschema)
lf <- dead ~ inst + age + sex + ph.ecog + ph.karno + wt.loss
mf <- model.frame(lf, l)
X <- model.matrix(lf, mf); y <- model.response(mf)
X <- X[, colSums(abs(X)) > 0, drop = FALSE] # unused levels, as glm's NA
# brglm2 does not converge on these data; pl_max starts from 0 then (the
# penalized likelihood is finite everywhere).
fb <- suppressWarnings(glm(y ~ X - 1, family = binomial, method = "brglm_fit", type = "AS_mean", epsilon = 1e-14, maxit = 1000))
b0 <- unname(coef(fb))
if (!isTRUE(fb$converged) || !is.finite(pl_fun(b0, X, y))) b0 <- numeric(ncol(X))
top <- pl_max(X, y, b0)
stopifnot(top$grad < 1e-3) # BFGS ends near 1e-4 here; the statistic is second order in it
labs <- attr(terms(lf), "term.labels")
asg <- attr(model.matrix(lf, mf), "assign")[colSums(abs(model.matrix(lf, mf))) > 0]
ltests <- list()
for (k in seq_along(labs)) {
  cols <- which(asg == k)
  if (length(cols) < 2) next
  st <- top$beta; st[cols] <- 0
  red <- pl_max(X, y, st, cols, rep(0, length(cols)))
  plr <- 2 * (top$value - red$value)
  ltests[[length(ltests) + 1]] <- list(term = labs[k], df = length(cols), statistic = plr,
                                       p_value = pchisq(plr, length(cols), lower.tail = FALSE))
}
lung <- list(list(name = "multivariable", formula = paste(deparse(lf), collapse = ""), n = nrow(X), method = "firth", tests = ltests))

write_json(list(companies = companies, pbc = pbc, infert = infert, lung = lung), file.path(out_dir, "global_p.json"),
           digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
