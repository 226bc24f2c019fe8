# Timing of the subgroup analysis in R, for the Go/R ratio reported with
# BenchmarkSubgroupDefault / BenchmarkSubgroupWald (internal/analysis).
# Rerun from the repository root:
#   Rscript testdata/reference/subgroup/bench.R
# One run = what `ccstudy subgroup` does on the reference data: for each of
# the six default SPECs, glm per stratum (+ MASS profile confint, or Wald),
# anova LR test per term (model + S vs + X:S), metafor rma(FE) per
# coefficient, p.adjust, and mantelhaen.test per binary exposure.
suppressPackageStartupMessages({ library(metafor); library(MASS) })
co <- read.csv("testdata/companies.csv", stringsAsFactors = FALSE)
co$company_type <- factor(co$company_type, c("biotech", "traditional"))
co$founder_background <- factor(co$founder_background, c("returnee_scientist", "domestic_scientist", "business"))
co$rd_leader_background <- factor(co$rd_leader_background, c("domestic", "overseas_academic", "overseas_mnc"))
co$product_source <- factor(co$product_source, c("licensed_in", "co_development", "in_house"))
co$novelty <- factor(co$novelty, c("me_too", "fast_follow", "first_in_class"))
terms <- c("company_type", "founder_background", "rd_leader_background", "dev_years",
           "log(rd_expenditure)", "listed", "product_source", "novelty", "orphan_drug")
splits <- list(
  company_type = list(var = "company_type", S = co$company_type),
  founder_background = list(var = "founder_background", S = co$founder_background),
  rd = list(var = "rd_expenditure", S = factor(co$rd_expenditure >= median(co$rd_expenditure))),
  onc = list(var = "main_indication", S = factor(co$main_indication == "oncology")),
  listed = list(var = "listed", S = factor(co$listed)),
  founded = list(var = "founded_year", S = factor(co$founded_year >= median(co$founded_year))))
one_run <- function(profile) {
  ps <- c()
  for (sp in splits) {
    d <- co; d$S_ <- sp$S
    st <- terms[!grepl(sp$var, terms, fixed = TRUE)]
    f <- reformulate(st, "case")
    fits <- lapply(levels(d$S_), function(l) {
      ds <- d[d$S_ == l, ]
      X <- model.matrix(f, ds)
      X <- X[, colSums(abs(X)) > 0] # a level absent from the stratum
      g <- glm(ds$case ~ X - 1, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
      if (profile) suppressMessages(confint(g)) else confint.default(g)
      g
    })
    g0 <- glm(reformulate(c(terms, "S_"), "case"), d, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
    for (x in st) {
      g1 <- glm(reformulate(c(terms, "S_", paste0(x, ":S_")), "case"), d, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
      ps <- c(ps, anova(g0, g1, test = "LRT")$`Pr(>Chi)`[2])
      cf <- names(coef(fits[[1]]))
      for (cn in cf[grepl(sub("log\\((.*)\\)", "\\1", x), cf, fixed = TRUE)]) {
        yi <- sapply(fits, function(g) coef(g)[cn]); se <- sapply(fits, function(g) sqrt(diag(vcov(g)))[cn])
        ok <- !is.na(yi)
        if (sum(ok) >= 2) rma(yi = yi[ok], sei = se[ok], method = "FE")
      }
    }
    for (e in c("listed", "orphan_drug")) if (e != sp$var)
      mantelhaen.test(table(factor(d[[e]], c(1, 0)), factor(d$case, c(1, 0)), d$S_))
  }
  p.adjust(ps, "holm"); p.adjust(ps, "BH")
}
n <- 5
t1 <- system.time(for (i in 1:n) suppressWarnings(one_run(TRUE)))[["elapsed"]] / n
t2 <- system.time(for (i in 1:n) suppressWarnings(one_run(FALSE)))[["elapsed"]] / n
cat(sprintf("R, one default subgroup run with MASS profile CIs: %.3f s\n", t1))
cat(sprintf("R, one default subgroup run with Wald CIs:         %.3f s\n", t2))
