# Reference values for `ccstudy subgroup` (internal/analysis/subgroup.go).
#
# Rerun from the repository root:
#   Rscript testdata/reference/subgroup/subgroup_reference.R
# It writes, next to this script:
#   companies.json  the synthetic reference study (testdata/companies.csv),
#                   default model, the six default subgroup SPECs;
#   infert.json     R's datasets::infert (exported as infert.csv +
#                   infert.schema.json for the end-to-end test), by
#                   education and by age@median;
#   infert.csv, infert.schema.json.
#
# What is computed with R's own functions:
#   - stratum models: glm(binomial) on the subset (MLE), or, when
#     Konis's linear program (lpSolve) finds separation, brglm2's Firth fit
#     (method = "brglm_fit", type = "AS_mean", epsilon 1e-12); aliased (NA) coefficients
#     are dropped, as ccstudy drops the aliased columns;
#     exact profile-likelihood CIs for MLE strata (exact_profile below);
#   - interaction LR tests: anova(glm0, glm1, test = "LRT") with
#     glm0 = model + S and glm1 = model + S + X:S (MLE); when the linear
#     program finds glm1's data separated (the MLE does not exist), as
#     ccstudy's --method auto: Firth's penalized LR test of the X:S columns
#     with glm1's penalty in both maxima (logistf's anova, method
#     "nested"; computed from the penalized likelihood of
#     testdata/reference/logit/firth/penalized_profile.R);
#   - Cochran's Q and I2: metafor::rma(yi, sei, method = "FE") per
#     coefficient over the fitted strata (I2 in percent, as metafor);
#   - Holm and BH: p.adjust over the family of interaction tests of the run,
#     one test per unordered pair {term variable, split variable}: the first
#     test of a pair (in --by order, then term order) with a p-value is kept,
#     a later one ("a by b" after "b by a") is marked duplicate_of and left
#     out of the family;
#   - Mantel-Haenszel OR and RBG CI: mantelhaen.test(correct = FALSE), at
#     conf.level 0.95 and 0.9, on the informative strata: a stratum with an
#     empty margin (no exposed, no unexposed, no cases or no controls) is
#     excluded (listed in "excluded") from MH, Breslow-Day and Woolf and
#     their df; Breslow-Day (Tarone-corrected) from the textbook formulas
#     below and epiR::epi.2by2; Woolf's Q with 0.5 added to the cells of a
#     stratum only when it has a zero cell, from the formula below and from
#     metafor::rma(measure = "OR", add = 0.5, to = "only0", method = "FE").
# Split rules (as ccstudy): x@v is "x < v" vs "x >= v"; median = median()
# (= quantile type 7) over the rows the model uses; x=level is "x == level"
# vs the rest; a stratum with fewer than 10 events or non-events, or with
# more coefficients than min(events, non-events), is not fitted.
suppressPackageStartupMessages({
  library(jsonlite); library(brglm2); library(metafor); library(epiR); library(lpSolve)
})

# Separation as detectseparation's default (Konis's linear program, see
# testdata/reference/logit/firth/separation.R; detectseparation is not
# packaged): separated when the LP optimum has a coefficient |b_j| > 1e-4.
separated <- function(X, y) {
  X <- X[, qr(X)$pivot[seq_len(qr(X)$rank)], drop = FALSE]
  # Columns scaled to max |x| = 1: separation does not depend on the
  # scale, and lpSolve is far more reliable on a well-scaled program.
  X <- sweep(X, 2, apply(abs(X), 2, max), "/")
  n <- nrow(X); p <- ncol(X)
  xbar <- (2 * y - 1) * X
  A <- rbind(xbar, diag(p))
  rhs <- c(drop(xbar %*% rep(1, p)), rep(2, p))
  # lpSolve's presolve scaling sometimes calls this bounded program
  # unbounded (status 3); the optimum does not depend on the scaling mode,
  # so other modes are tried in turn (as separation_robust.R does).
  for (sc in c(196, 0, 4, 7, 3, 1, 6, 68, 132)) {
    s <- lp("max", colSums(xbar), A, c(rep(">=", n), rep("<=", p)), rhs, scale = sc)
    if (s$status == 0) break
  }
  if (s$status != 0) stop("lpSolve status ", s$status)
  any(abs(s$solution - 1) > 1e-4)
}

source("testdata/reference/logit/firth/penalized_profile.R")

# Separation of an interaction model, found without a linear program
# (lpSolve reports these larger programs unbounded or infeasible in every
# scaling mode): the MLE does not exist when some coefficient keeps
# growing as glm is allowed more iterations (as calibration.R).
diverges <- function(X, y) {
  g <- function(maxit, eps) suppressWarnings(glm.fit(X, y, family = binomial(), control = glm.control(maxit = maxit, epsilon = eps)))
  any(abs(coef(g(50, 1e-300))) - abs(coef(g(25, 1e-8))) > 1, na.rm = TRUE)
}

here <- "testdata/reference/subgroup"
wj <- function(x, name) {
  write_json(x, file.path(here, name), digits = NA, auto_unbox = TRUE,
             pretty = TRUE, null = "null", na = "null")
}

# ccstudy's column names: factor f, level l -> "f[l]".
ccnames <- function(nm, data) {
  facs <- names(data)[vapply(data, is.factor, TRUE)]
  map <- character()
  for (f in facs) for (l in levels(data[[f]])) map[paste0(f, l)] <- paste0(f, "[", l, "]")
  vapply(nm, function(x) {
    parts <- strsplit(x, ":", fixed = TRUE)[[1]]
    parts <- vapply(parts, function(p) if (!is.na(map[p])) map[[p]] else p, "")
    paste(parts, collapse = ":")
  }, "", USE.NAMES = FALSE)
}

# Exact profile-likelihood limits (as logit.ProfileCIs): roots of the
# signed root deviance z(b) = sign(b - b_j) sqrt(D(b) - D) at -/+
# qnorm(0.975), D(b) refitted by glm.fit with the offset X_j b (epsilon
# 1e-14), roots by uniroot at tol 1e-10. MASS's confint() interpolates a
# spline over a grid instead and differs in the 4th digit; it is kept in
# the output as conf_low_mass/conf_high_mass for information.
exact_profile <- function(X, y) {
  ctl <- glm.control(epsilon = 1e-14, maxit = 200)
  full <- glm.fit(X, y, family = binomial(), control = ctl)
  b0 <- full$coefficients; d0 <- full$deviance
  se <- sqrt(diag(chol2inv(qr.R(full$qr))))[order(full$qr$pivot)]
  q <- qnorm(0.975)
  cdev <- function(j, b) {
    Xi <- X[, -j, drop = FALSE]
    glm.fit(Xi, y, offset = X[, j] * b, family = binomial(), control = ctl)$deviance
  }
  t(sapply(seq_len(ncol(X)), function(j) {
    z <- function(b) sign(b - b0[j]) * sqrt(max(0, cdev(j, b) - d0))
    lo <- uniroot(function(b) z(b) + q, c(b0[j] - 2 * q * se[j], b0[j]), extendInt = "upX", tol = 1e-10, maxiter = 1000)$root
    hi <- uniroot(function(b) z(b) - q, c(b0[j], b0[j] + 2 * q * se[j]), extendInt = "upX", tol = 1e-10, maxiter = 1000)$root
    c(lo, hi)
  }))
}

fit_stratum <- function(fml, d) {
  y <- d[[all.vars(fml)[1]]]
  ev <- sum(y == 1); ne <- sum(y == 0)
  # all levels kept (no drop.unused.levels), so an absent level is a zero
  # column; aliased columns are dropped as glm's pivoting QR would (NA).
  mm <- model.matrix(fml, d)
  q <- qr(mm, tol = 1e-7)
  keep <- sort(q$pivot[seq_len(q$rank)])
  X <- mm[, keep, drop = FALSE]
  p <- ncol(X)
  res <- list(n = nrow(d), events = ev, dropped = I(character()))
  if (ev < 10 || ne < 10 || p > min(ev, ne)) {
    res$status <- "too_small"
    return(res)
  }
  res$dropped <- I(ccnames(colnames(mm)[-keep], d))
  if (separated(X, y)) {
    g <- glm(y ~ X - 1, family = binomial, method = "brglm_fit", type = "AS_mean",
             control = brglm_control(epsilon = 1e-12, maxit = 1000))
    res$status <- "firth"
    ci <- NULL
  } else {
    g <- glm(y ~ X - 1, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100), start = coef(glm(y ~ X - 1, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))))
    res$status <- "mle"
    ci <- suppressMessages(confint(g))
    cix <- exact_profile(X, y)
  }
  cf <- summary(g)$coefficients
  keep <- rownames(cf)
  res$coefficients <- lapply(seq_along(keep), function(j) {
    r <- list(term = ccnames(sub("^X", "", keep[j]), d), estimate = cf[j, 1], std_error = cf[j, 2],
              statistic = cf[j, 3], p_value = cf[j, 4])
    if (!is.null(ci)) {
      r$conf_low <- cix[j, 1]; r$conf_high <- cix[j, 2]
      r$conf_low_mass <- ci[keep[j], 1]; r$conf_high_mass <- ci[keep[j], 2]
    }
    r
  })
  res
}

# The Breslow-Day statistic with Tarone's correction (Breslow & Day 1980,
# Tarone 1985) and Woolf's test (0.5 added to the cells of a stratum with a
# zero cell only),
# textbook formulas. arr[exposed(1,0), case(1,0), k].
bd_tarone <- function(arr, or_mh) {
  K <- dim(arr)[3]
  a <- arr[1, 1, ]; r1 <- arr[1, 1, ] + arr[1, 2, ]
  c1 <- arr[1, 1, ] + arr[2, 1, ]; n <- apply(arr, 3, sum)
  E <- numeric(K); V <- numeric(K)
  for (k in seq_len(K)) {
    lo <- max(0, c1[k] - (n[k] - r1[k])); hi <- min(r1[k], c1[k])
    f <- function(e) e * (n[k] - r1[k] - c1[k] + e) - or_mh * (r1[k] - e) * (c1[k] - e)
    e <- if (lo == hi) lo else uniroot(f, c(lo, hi), tol = 1e-14)$root
    E[k] <- e
    V[k] <- 1 / (1 / e + 1 / (r1[k] - e) + 1 / (c1[k] - e) + 1 / (n[k] - r1[k] - c1[k] + e))
  }
  bd <- sum((a - E)^2 / V)
  tarone <- bd - (sum(a) - sum(E))^2 / sum(V)
  list(breslow_day = bd, tarone = tarone, df = K - 1,
       p_breslow_day = pchisq(bd, K - 1, lower.tail = FALSE),
       p_tarone = pchisq(tarone, K - 1, lower.tail = FALSE))
}
woolf <- function(arr) {
  K <- dim(arr)[3]
  lor <- numeric(K); w <- numeric(K)
  for (k in seq_len(K)) {
    t <- arr[, , k]
    if (any(t == 0)) t <- t + 0.5 # Haldane-Anscombe, zero-cell strata only
    lor[k] <- log(t[1, 1] * t[2, 2] / (t[1, 2] * t[2, 1]))
    w[k] <- 1 / sum(1 / t)
  }
  m <- sum(w * lor) / sum(w)
  x <- sum(w * (lor - m)^2)
  list(woolf = x, df = K - 1, p = pchisq(x, K - 1, lower.tail = FALSE))
}

mh <- function(expo, ex_name, s, by, y) {
  ok <- !is.na(expo) & !is.na(s) & !is.na(y)
  e <- factor(expo[ok], levels = c(1, 0)); yy <- factor(y[ok], levels = c(1, 0))
  arr <- table(e, yy, droplevels(s[ok]))
  levs <- dimnames(arr)[[3]]
  arr <- array(as.numeric(arr), dim = dim(arr))
  inf <- vapply(seq_len(dim(arr)[3]), function(k) all(rowSums(arr[, , k]) > 0) && all(colSums(arr[, , k]) > 0), TRUE)
  all_tables <- lapply(seq_len(dim(arr)[3]), function(k) as.numeric(t(arr[, , k])))
  arr <- arr[, , inf, drop = FALSE]
  r <- mantelhaen.test(arr, correct = FALSE)
  r90 <- mantelhaen.test(arr, correct = FALSE, conf.level = 0.9)
  bt <- bd_tarone(arr, unname(r$estimate))
  wo <- woolf(arr)
  ep <- suppressWarnings(epi.2by2(as.table(arr), method = "cross.sectional"))
  mw <- rma(ai = arr[1, 1, ], bi = arr[1, 2, ], ci = arr[2, 1, ], di = arr[2, 2, ],
            measure = "OR", add = 0.5, to = "only0", method = "FE")
  list(exposure = ex_name, by = by,
       tables = all_tables, excluded = I(levs[!inf]),
       or_mh = unname(r$estimate), or_conf_low = r$conf.int[1], or_conf_high = r$conf.int[2],
       or_conf_low_90 = r90$conf.int[1], or_conf_high_90 = r90$conf.int[2],
       mh_chisq = unname(r$statistic), mh_p = r$p.value,
       breslow_day = bt$tarone, breslow_day_p = bt$p_tarone,
       breslow_day_uncorrected = bt$breslow_day, breslow_day_df = bt$df,
       woolf = wo$woolf, woolf_p = wo$p,
       epir_breslow_day = ep$massoc.detail$OR.homog.brday$test.statistic,
       metafor_woolf = mw$QE, metafor_woolf_p = mw$QEp,
       epir_or_mh = ep$massoc.detail$OR.mh.wald$est)
}

# spec: list(by, var, kind = "factor" | "binary" | "level" | "cut", level, at)
run <- function(data, outcome, terms, specs, exposures) {
  fml <- reformulate(terms, outcome)
  base_vars <- all.vars(fml)
  out_specs <- list(); all_p <- c(); where <- list(); kept <- list()
  mh_rows <- list()
  for (sp in specs) {
    rows <- complete.cases(data[, unique(c(base_vars, sp$var))])
    d <- data[rows, ]
    x <- d[[sp$var]]
    if (sp$kind == "factor") {
      S <- droplevels(x)
    } else if (sp$kind == "binary") {
      S <- factor(x, levels = c(0, 1))
    } else if (sp$kind == "level") {
      S <- factor(ifelse(x == sp$level, "in", "out"), levels = c("in", "out"))
    } else {
      cut <- if (identical(sp$at, "median")) median(x) else sp$at
      S <- factor(ifelse(x < cut, "lo", "hi"), levels = c("lo", "hi"))
    }
    d$S_ <- S
    # the stratum model drops every term that uses the split variable
    sterms <- terms[!vapply(terms, function(tl) sp$var %in% all.vars(as.formula(paste("~", tl))), TRUE)]
    sfml <- reformulate(sterms, outcome)
    levs <- lapply(levels(S), function(l) fit_stratum(sfml, d[d$S_ == l, ]))
    # interactions: covariates + S vs covariates + S + X:S (MLE)
    base_terms <- if (sp$kind %in% c("factor", "binary") && sp$var %in% terms) terms else c(terms, "S_")
    svar <- if (sp$kind %in% c("factor", "binary") && sp$var %in% terms) sp$var else "S_"
    if (sp$kind == "factor" && !(sp$var %in% terms)) svar <- "S_"
    inters <- lapply(sterms, function(X) {
      g0 <- glm(reformulate(base_terms, outcome), d, family = binomial)
      g1 <- glm(reformulate(c(base_terms, paste0(X, ":", svar)), outcome), d, family = binomial)
      a <- anova(g0, g1, test = "LRT")
      X1 <- model.matrix(g1)[, !is.na(coef(g1)), drop = FALSE]
      y1 <- g1$y
      method <- "mle"
      if (diverges(X1, y1)) {
        X0n <- colnames(model.matrix(g0))[!is.na(coef(g0))]
        cols <- which(!(colnames(X1) %in% X0n))
        fb <- glm(y1 ~ X1 - 1, family = binomial, method = "brglm_fit", type = "AS_mean", epsilon = 1e-14, maxit = 1000)
        full <- pl_max(X1, y1, unname(coef(fb)))
        st <- full$beta; st[cols] <- 0
        red <- pl_max(X1, y1, st, cols, rep(0, length(cols)))
        plr <- 2 * (full$value - red$value)
        a$Deviance[2] <- plr; a$Df[2] <- length(cols)
        a$`Pr(>Chi)`[2] <- pchisq(plr, length(cols), lower.tail = FALSE)
        method <- "firth"
      }
      # Cochran's Q per coefficient over the fitted strata
      fitted <- Filter(function(l) l$status != "too_small", levs)
      coefs <- unique(unlist(lapply(fitted, function(l) {
        nm <- vapply(l$coefficients, function(c) c$term, "")
        nm[nm != "(Intercept)"]
      })))
      g1terms <- attr(terms(reformulate(sterms, outcome)), "term.labels")
      mm <- model.matrix(reformulate(sterms, outcome), d)
      mine <- ccnames(colnames(mm)[attr(mm, "assign") == match(X, g1terms)], d)
      qs <- lapply(mine, function(cn) {
        yi <- c(); sei <- c()
        for (l in fitted) for (c in l$coefficients) if (c$term == cn) { yi <- c(yi, c$estimate); sei <- c(sei, c$std_error) }
        if (length(yi) < 2) return(list(coefficient = cn, k = length(yi)))
        r <- rma(yi = yi, sei = sei, method = "FE")
        list(coefficient = cn, k = length(yi), yi = yi, sei = sei, q = r$QE, df = r$k - 1, q_p = r$QEp, i2 = r$I2)
      })
      list(term = X, lr_statistic = a$Deviance[2], df = a$Df[2], p_value = a$`Pr(>Chi)`[2], method = method,
           coefficients = qs)
    })
    out_specs[[length(out_specs) + 1]] <- list(by = sp$by, cut = if (sp$kind == "cut") cut else NULL,
                                               levels = levs, interactions = inters)
    for (i in seq_along(inters)) {
      p <- inters[[i]]$p_value
      tested <- length(p) == 1 && !is.na(p)
      key <- paste(sort(unique(c(all.vars(as.formula(paste("~", inters[[i]]$term))), sp$var))), collapse = "|")
      if (tested && !is.null(kept[[key]])) {
        out_specs[[length(out_specs)]]$interactions[[i]]$duplicate_of <- kept[[key]]
        next
      }
      if (tested) kept[[key]] <- list(term = inters[[i]]$term, by = sp$by)
      all_p <- c(all_p, p)
      where[[length(where) + 1]] <- c(length(out_specs), i)
    }
    for (ex in exposures) {
      if (ex$var == sp$var) next
      expo <- if (is.null(ex$level)) data[[ex$var]] else as.integer(data[[ex$var]] == ex$level)
      ok <- !is.na(data[[sp$var]])
      xs <- data[[sp$var]]
      Sall <- if (sp$kind == "factor") xs else if (sp$kind == "binary") factor(xs, levels = c(0, 1)) else
        if (sp$kind == "level") factor(ifelse(xs == sp$level, "in", "out"), levels = c("in", "out")) else
        factor(ifelse(xs < cut, "lo", "hi"), levels = c("lo", "hi"))
      mh_rows[[length(mh_rows) + 1]] <- mh(expo[rows], ex$name, Sall[rows], sp$by, data[[outcome]][rows])
    }
  }
  holm <- p.adjust(all_p, "holm"); bh <- p.adjust(all_p, "BH")
  for (j in seq_along(where)) {
    w <- where[[j]]
    out_specs[[w[1]]]$interactions[[w[2]]]$p_holm <- holm[j]
    out_specs[[w[1]]]$interactions[[w[2]]]$q_bh <- bh[j]
  }
  list(formula = deparse(fml, width.cutoff = 500), subgroups = out_specs, mantel_haenszel = mh_rows,
       family_size = sum(!is.na(all_p)), family_p = all_p, family_holm = holm, family_bh = bh)
}

# ---------------------------------------------------------------- companies
co <- read.csv("testdata/companies.csv", stringsAsFactors = FALSE)
co$company_type <- factor(co$company_type, c("biotech", "traditional"))
co$founder_background <- factor(co$founder_background, c("returnee_scientist", "domestic_scientist", "business"))
co$rd_leader_background <- factor(co$rd_leader_background, c("domestic", "overseas_academic", "overseas_mnc"))
co$product_source <- factor(co$product_source, c("licensed_in", "co_development", "in_house"))
co$novelty <- factor(co$novelty, c("me_too", "fast_follow", "first_in_class"))
co$main_indication <- factor(co$main_indication, c("oncology", "infection", "metabolic", "autoimmune", "neurology", "cardiovascular", "other"))
co_terms <- c("company_type", "founder_background", "rd_leader_background", "dev_years",
              "log(rd_expenditure)", "listed", "product_source", "novelty", "orphan_drug")
co_specs <- list(
  list(by = "company_type", var = "company_type", kind = "factor"),
  list(by = "founder_background", var = "founder_background", kind = "factor"),
  list(by = "rd_expenditure@median", var = "rd_expenditure", kind = "cut", at = "median"),
  list(by = "main_indication=oncology", var = "main_indication", kind = "level", level = "oncology"),
  list(by = "listed", var = "listed", kind = "binary"),
  list(by = "founded_year@median", var = "founded_year", kind = "cut", at = "median"))
co_exp <- list(list(name = "listed", var = "listed"), list(name = "orphan_drug", var = "orphan_drug"),
               list(name = "novelty=first_in_class", var = "novelty", level = "first_in_class"))
wj(run(co, "case", co_terms, co_specs, co_exp), "companies.json")

# ------------------------------------------------------------------- infert
inf <- datasets::infert
exp_df <- data.frame(id = seq_len(nrow(inf)), case = inf$case,
                     education = as.character(inf$education), age = inf$age,
                     parity = inf$parity, induced = inf$induced,
                     spontaneous = inf$spontaneous,
                     spontaneous_any = as.integer(inf$spontaneous > 0),
                     stratum = inf$stratum)
write.csv(exp_df, file.path(here, "infert.csv"), row.names = FALSE, quote = FALSE)
inf2 <- exp_df
inf2$education <- factor(inf2$education, c("0-5yrs", "6-11yrs", "12+ yrs"))
inf_terms <- c("age", "parity", "induced", "spontaneous_any")
inf_specs <- list(
  list(by = "education", var = "education", kind = "factor"),
  list(by = "age@median", var = "age", kind = "cut", at = "median"),
  list(by = "parity@3", var = "parity", kind = "cut", at = 3))
inf_exp <- list(list(name = "spontaneous_any", var = "spontaneous_any"))
wj(run(inf2, "case", inf_terms, inf_specs, inf_exp), "infert.json")

# ------------------------------------------ companies: Firth and reduced df
# A smaller model (no dev_years, no log(rd_expenditure)) where the stratum
# dev_years >= 12 is separated (Firth), and oncology's neighbour
# "infection" lacks first-in-class products, so novelty:S loses a column.
ex_terms <- c("company_type", "founder_background", "rd_leader_background", "listed",
              "product_source", "novelty", "orphan_drug")
ex_specs <- list(
  list(by = "dev_years@12", var = "dev_years", kind = "cut", at = 12),
  list(by = "main_indication=infection", var = "main_indication", kind = "level", level = "infection"))
wj(run(co, "case", ex_terms, ex_specs, co_exp[1:2]), "companies_extra.json")
