# Reference values for logit.FirthBlockTest: Firth's penalized
# likelihood-ratio test that a block of coefficients is 0, with the full
# model's penalty in both maxima (logistf's logistftest(fit, test = ...)
# and anova.logistf's default method "nested").
#
# Rerun from the repo root:
#   Rscript testdata/reference/logit/firth/block_test.R
# It writes testdata/reference/logit/firth/block_test.json.
#
# logistf is not packaged in Debian, so the test is computed from its
# definition with the penalized likelihood of penalized_profile.R:
#   PLR = 2 (max pl(beta) - max pl(beta) subject to beta_block = 0),
# the unconstrained maximum from brglm2 (AS_mean, identical to logistf for
# the logit link) polished by pl_max, the constrained one by pl_max
# (BFGS with restarts). Cases: a multi-level factor and an interaction
# block on MASS::birthwt (no separation), a block of two covariates on
# the endometrial data (quasi-complete separation by NV), and the
# interaction blocks of the synthetic reference study's true formula.
suppressPackageStartupMessages({library(brglm2); library(MASS); library(jsonlite)})
source("testdata/reference/logit/firth/penalized_profile.R")

make_case <- function(name, formula, data, block, note) {
  mf <- model.frame(formula, data)
  X <- model.matrix(formula, mf)
  y <- as.numeric(model.response(mf))
  fit <- glm(y ~ X - 1, family = binomial, method = "brglm_fit", type = "AS_mean", epsilon = 1e-14, maxit = 1000)
  bhat <- unname(coef(fit))
  full <- pl_max(X, y, bhat)
  cols <- which(colnames(X) %in% block)
  stopifnot(length(cols) == length(block))
  start <- full$beta; start[cols] <- 0
  red <- pl_max(X, y, start, cols, rep(0, length(cols)))
  stat <- 2 * (full$value - red$value)
  list(name = name, note = note, names = I(colnames(X)),
       x = unname(lapply(seq_len(nrow(X)), function(i) unname(X[i, ]))), y = y,
       columns = I(cols - 1L), statistic = stat, df = length(cols),
       p_value = pchisq(stat, length(cols), lower.tail = FALSE),
       estimate = full$beta, restricted = red$beta, grad = max(full$grad, red$grad))
}

bw <- MASS::birthwt
bw$race <- factor(bw$race, labels = c("white", "black", "other"))
endo <- read.csv("testdata/foreign/endometrial/endometrial.csv")
schema <- fromJSON("internal/refstudy/schemas/companies.json", simplifyVector = FALSE)
co <- read.csv("testdata/companies.csv", na.strings = c("", "NA"))
for (f in schema$fields) if (!is.null(f$categories))
  co[[f$name]] <- factor(co[[f$name]], levels = vapply(f$categories, function(c) c$value, ""))
true_formula <- case ~ company_type + founder_background + rd_leader_background + dev_years +
  log(rd_expenditure) + listed + product_source + novelty + orphan_drug +
  company_type:novelty + listed:orphan_drug

cases <- list(
  make_case("birthwt_race", low ~ age + lwt + race + smoke + ht + ui, bw, c("raceblack", "raceother"),
            "MASS::birthwt, the two race columns (no separation)"),
  make_case("birthwt_interaction", low ~ age + lwt + race * smoke, bw, c("raceblack:smoke", "raceother:smoke"),
            "MASS::birthwt, the race x smoke interaction block"),
  make_case("endometrial", HG ~ NV + PI + EH, endo, c("PI", "EH"),
            "endometrial (Heinze & Schemper 2002), quasi-complete separation by NV; block PI, EH"),
  make_case("companies_type_novelty", true_formula, co,
            c("company_typetraditional:noveltyfast_follow", "company_typetraditional:noveltyfirst_in_class"),
            "synthetic reference study, the company_type:novelty block of the true formula"))
# BFGS ends with gradients up to ~5e-5 on birthwt's unscaled lwt; the
# statistic's error is second order in them, far below the 1e-6 compared.
for (cc in cases) stopifnot(cc$grad < 1e-4)
write_json(cases, "testdata/reference/logit/firth/block_test.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
