# The R side of bench/compare.sh: the analyses ccstudy runs, written with
# R's own functions and the same settings, for timing only (nothing here
# is compared number by number; testdata/reference holds those scripts,
# from which these functions are taken). Sourced by bench/report_twin.R
# and bench/compare_r.R.
# Each step loads only the packages it uses, so that a step timed alone
# does not pay for the others' start-up.
use <- function(...) for (p in c(...)) suppressPackageStartupMessages(library(p, character.only = TRUE))

# ---- logit: the `ccstudy logit` work for one model -------------------------
# glm (binomial), summary (Wald), the CIs (profile by MASS/stats confint,
# or Wald), deviances, AIC, BIC, LR test, McFadden and Nagelkerke R², AUC
# with DeLong CI (pROC), Hosmer–Lemeshow (10 groups), GVIF (car::vif).
hoslem <- function(y, yhat, g = 10) {
  qq <- unique(quantile(yhat, probs = seq(0, 1, 1 / g)))
  cutyhat <- cut(yhat, breaks = qq, include.lowest = TRUE)
  observed <- xtabs(cbind(y0 = 1 - y, y1 = y) ~ cutyhat)
  expected <- xtabs(cbind(yhat0 = 1 - yhat, yhat1 = yhat) ~ cutyhat)
  chisq <- sum((observed - expected)^2 / expected)
  df <- length(qq) - 1 - 2
  c(chisq, df, pchisq(chisq, df, lower.tail = FALSE))
}
logit_model <- function(formula, data, ci = "profile") {
  use("MASS", "car", "pROC")
  fit <- glm(formula, binomial, data)
  s <- summary(fit)$coefficients
  cis <- if (ci == "profile") suppressMessages(confint(fit)) else confint.default(fit)
  y <- fit$y; n <- length(y)
  ll <- as.numeric(logLik(fit)); ll0 <- -fit$null.deviance / 2
  stats <- c(AIC(fit), BIC(fit), fit$null.deviance - fit$deviance, 1 - ll / ll0,
             (1 - exp(2 * (ll0 - ll) / n)) / (1 - exp(2 * ll0 / n)))
  r <- roc(y, fitted(fit), levels = c(0, 1), direction = "<", quiet = TRUE)
  aci <- ci.auc(r, method = "delong")
  hl <- if (length(unique(fitted(fit))) > 3) hoslem(y, fitted(fit))
  if (length(attr(terms(fit), "term.labels")) >= 2) car::vif(fit)
  invisible(list(s, cis, stats, aci, hl))
}
# The multivariable model and each covariate alone, as `ccstudy logit`.
logit_all <- function(data, outcome, covs, ci = "profile") {
  logit_model(reformulate(covs, outcome), data, ci)
  for (v in covs) logit_model(reformulate(v, outcome), data, ci)
}

# ---- the embedded study -------------------------------------------------------
companies <- function() {
  use("jsonlite")
  d <- read.csv("testdata/companies.csv", na.strings = c("", "NA"), stringsAsFactors = FALSE)
  schema <- fromJSON("internal/refstudy/schemas/companies.json", simplifyVector = FALSE)
  list(d = d, schema = schema, products = read.csv("testdata/products.csv", stringsAsFactors = FALSE))
}
as_levels <- function(d, schema) {
  for (f in schema$fields) if (!is.null(f$categories))
    d[[f$name]] <- factor(d[[f$name]], levels = vapply(f$categories, function(c) c$value, ""))
  d
}
study_covs <- c("company_type", "founder_background", "rd_leader_background", "dev_years", "log(rd_expenditure)",
                "listed", "product_source", "novelty", "orphan_drug")

# ---- describe: Table 1 and the products trend (describe_reference.R) ---------
smd_cat <- function(tab) {
  mv <- function(p) { covs <- -outer(p, p); diag(covs) <- p * (1 - p); drop(covs) }
  pt <- prop.table(tab, margin = 1)
  if (ncol(pt) > 1) pt <- pt[, -1, drop = FALSE]
  m <- lapply(seq_len(nrow(pt)), function(i) pt[i, ])
  S <- (mv(m[[1]]) + mv(m[[2]])) / 2
  dd <- m[[1]] - m[[2]]
  sqrt(drop(t(dd) %*% MASS::ginv(S) %*% t(t(dd))))
}
describe_var <- function(v, g, levels = NULL, nonnormal = FALSE) {
  if (!is.null(levels)) {
    f <- factor(v, levels = levels)
    tab <- rbind(cases = table(f[g == 1]), controls = table(f[g == 0]))
    prop.table(tab, 1)
    t2 <- tab[, colSums(tab) > 0, drop = FALSE]
    ct <- suppressWarnings(chisq.test(t2, correct = FALSE))
    if (any(ct$expected < 5)) fisher.test(t2)
    return(smd_cat(tab))
  }
  x <- v[g == 1 & !is.na(v)]; y <- v[g == 0 & !is.na(v)]
  for (z in list(x, y, v[!is.na(v)])) c(mean(z), sd(z), quantile(z, c(0.25, 0.5, 0.75)))
  if (length(x) < 2 || length(y) < 2) return(NULL)
  if (nonnormal) wilcox.test(x, y, exact = FALSE, correct = TRUE) else t.test(x, y)
  abs(mean(x) - mean(y)) / sqrt((var(x) + var(y)) / 2)
}
describe_twin <- function(st) {
  use("MASS")
  d <- st$d
  for (f in st$schema$fields) {
    if (!is.null(f$role) && f$role %in% c("id", "outcome")) next
    lv <- NULL
    if (!is.null(f$categories)) lv <- vapply(f$categories, function(c) c$value, "")
    if (f$name %in% c("listed", "orphan_drug")) lv <- c(0, 1)
    describe_var(d[[f$name]], d$case, lv, nonnormal = f$name == "rd_expenditure")
  }
  p <- st$products
  yrs <- seq(min(p$overseas_year), max(p$overseas_year))
  n <- as.numeric(table(factor(p$overseas_year, levels = yrs)))
  ctype <- d$company_type[match(p$company_id, d$company_id)]
  lapply(seq_along(yrs), function(i) c(n[i], sum(n[1:i]), sum(p$overseas_year == yrs[i] & ctype == "biotech")))
  table(p$modality); table(p$indication)
}

# ---- cluster: `ccstudy cluster` (clustercmd.R) --------------------------------
# Each reported partition: kmeans(nstart = 100) (ccstudy runs at least 100
# restarts, more until 20 reach the best); its silhouette and
# Calinski–Harabasz; clusGap(B, nstart = 25, K.max = 8, scaledPCA) unless k
# is given; profiles and the case test of the chosen partition; clusterboot
# (B replicates of kmeans(nstart = 25)).
cluster_x <- function(st) {
  d <- st$d
  mf <- list()
  for (f in Filter(function(f) identical(f$role, "covariate"), st$schema$fields)) {
    if (!is.null(f$categories)) {
      mf[[f$name]] <- factor(d[[f$name]], levels = vapply(f$categories, function(c) c$value, ""))
    } else if (identical(f$transform, "log")) {
      mf[[paste0("log(", f$name, ")")]] <- log(d[[f$name]])
    } else {
      mf[[f$name]] <- as.numeric(d[[f$name]])
    }
  }
  mf <- as.data.frame(mf, check.names = FALSE)
  facs <- names(mf)[vapply(mf, is.factor, TRUE)]
  X <- model.matrix(~ . - 1, mf, contrasts.arg = lapply(mf[facs], contrasts, contrasts = FALSE))
  list(x = unname(scale(X)), mf = mf)
}
criteria <- function(x, ed, k) {
  km <- kmeans(x, k, nstart = 100)
  summary(silhouette(km$cluster, ed))$avg.width
  calinhara(x, km$cluster)
  km
}
cluster_twin <- function(st, gap_b = 500, boot_b = 200, k = 0) {
  use("cluster", "fpc")
  cx <- cluster_x(st); x <- cx$x
  ed <- dist(x)
  if (k > 0) {
    km <- criteria(x, ed, k)
  } else {
    fits <- lapply(2:8, function(kk) criteria(x, ed, kk))
    g <- clusGap(x, FUNcluster = kmeans, K.max = 8, B = gap_b, d.power = 2, spaceH0 = "scaledPCA",
                 verbose = FALSE, nstart = 25)
    k <- max(2, maxSE(g$Tab[, "gap"], g$Tab[, "SE.sim"], method = "Tibs2001SEmax"))
    km <- fits[[k - 1]]
  }
  cl <- km$cluster
  tab <- table(cl, st$d$case)
  ct <- suppressWarnings(chisq.test(tab, correct = FALSE))
  if (min(ct$expected) < 5) fisher.test(tab, simulate.p.value = TRUE, B = 2000)
  for (v in names(cx$mf)) {
    z <- cx$mf[[v]]
    if (is.factor(z)) prop.table(table(cl, z), 1) else
      list(tapply(z, cl, mean), tapply(z, cl, sd), tapply(z, cl, median))
  }
  kmCBI25 <- function(data, k) {
    km <- kmeans(data, k, nstart = 25)
    list(result = km, nc = k, clusterlist = lapply(1:k, function(i) km$cluster == i),
         partition = km$cluster, clustermethod = "kmeans")
  }
  clusterboot(x, B = boot_b, bootmethod = "boot", clustermethod = kmCBI25, k = k, count = FALSE, showplots = FALSE)
  invisible(k)
}

# ---- subgroup: `ccstudy subgroup` with its six default SPECs ---------------------
# (testdata/reference/subgroup/bench.R: glm per stratum with profile CIs,
# the LR test of each interaction, metafor rma(FE) per coefficient,
# p.adjust, mantelhaen.test per binary exposure).
subgroup_twin <- function(st) {
  use("MASS", "metafor")
  co <- as_levels(st$d, st$schema)
  splits <- list(
    list(var = "company_type", S = co$company_type),
    list(var = "founder_background", S = co$founder_background),
    list(var = "rd_expenditure", S = factor(co$rd_expenditure >= median(co$rd_expenditure))),
    list(var = "main_indication", S = factor(co$main_indication == "oncology")),
    list(var = "listed", S = factor(co$listed)),
    list(var = "founded_year", S = factor(co$founded_year >= median(co$founded_year))))
  ctl <- glm.control(epsilon = 1e-14, maxit = 100)
  ps <- c()
  for (sp in splits) {
    d <- co; d$S_ <- sp$S
    st_terms <- study_covs[!grepl(sp$var, study_covs, fixed = TRUE)]
    f <- reformulate(st_terms, "case")
    fits <- lapply(levels(d$S_), function(l) {
      ds <- d[d$S_ == l, ]
      X <- model.matrix(f, ds)
      X <- X[, colSums(abs(X)) > 0]
      g <- glm(ds$case ~ X - 1, family = binomial, control = ctl)
      suppressMessages(confint(g))
      g
    })
    g0 <- glm(reformulate(c(study_covs, "S_"), "case"), d, family = binomial, control = ctl)
    for (x in st_terms) {
      g1 <- glm(reformulate(c(study_covs, "S_", paste0(x, ":S_")), "case"), d, family = binomial, control = ctl)
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
