# Reference values for `ccstudy subgroup --by sex` on survival::pbc: the
# stratum of women (242 complete cases, 19 covariates) that R's glm fits
# with a warning and that ccstudy once reported "not fitted (fit failed)"
# because its separation check failed (issue 12).
#
# Rerun from the repository root:
#   Rscript testdata/reference/subgroup/pbc_sex.R
# It writes, next to this script, pbc_sex.csv (the 276 complete cases of
# survival::pbc for the model below, death = status 2) and pbc_sex.json:
# per stratum, n and events; for women, glm's estimates and the warnings
# it gives, and brglm2's Firth estimates (type = "AS_mean", the penalized
# likelihood of Firth 1993) with their standard errors, so the test can
# check the stratum is fitted by either method, whichever ccstudy's
# --method auto chooses. pbc_sex.schema.json is written by hand.
# Needs survival, brglm2, jsonlite (Debian: r-cran-survival,
# r-cran-brglm2, r-cran-jsonlite).
suppressPackageStartupMessages({
  library(survival)
  library(brglm2)
  library(jsonlite)
})

pbc <- survival::pbc[1:418, ]
pbc$death <- as.integer(pbc$status == 2)
vars <- c("trt", "age", "sex", "ascites", "hepato", "spiders", "edema", "bili", "chol", "albumin",
          "copper", "alk.phos", "ast", "trig", "platelet", "protime", "stage")
cc <- pbc[complete.cases(pbc[, vars]), c("id", "death", vars)]
write.csv(cc, "testdata/reference/subgroup/pbc_sex.csv", row.names = FALSE)

cc$trt <- factor(cc$trt)
cc$edema <- factor(cc$edema)
cc$stage <- factor(cc$stage)
f <- reformulate(setdiff(vars, "sex"), response = "death")

strata <- lapply(c("f", "m"), function(s) {
  d <- cc[cc$sex == s, ]
  list(level = s, n = nrow(d), events = sum(d$death))
})

women <- cc[cc$sex == "f", ]
warnings_glm <- character()
g <- withCallingHandlers(glm(f, data = women, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100)),
  warning = function(w) {
    warnings_glm <<- c(warnings_glm, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
b <- glm(f, data = women, family = binomial, method = "brglm_fit", type = "AS_mean",
         control = list(maxit = 2000, epsilon = 1e-12))
stopifnot(b$converged)

out <- list(
  formula = paste(deparse(f, width.cutoff = 500L), collapse = ""),
  n = nrow(cc),
  strata = strata,
  women = list(
    names = names(coef(g)),
    glm_warnings = I(warnings_glm),
    glm_converged = g$converged,
    glm_estimate = unname(coef(g)),
    firth_estimate = unname(coef(b)),
    firth_std_error = unname(sqrt(diag(vcov(b))))
  )
)
write_json(out, "testdata/reference/subgroup/pbc_sex.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
