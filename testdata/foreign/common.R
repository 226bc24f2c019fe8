# Shared helpers of the foreign-data reference scripts
# (testdata/foreign/<name>/<name>.R source() this file; run them from the
# repository root). Each dataset script writes the data as a user's CSV,
# then calls foreign_reference(), which reads the CSV back with the
# hand-edited Table Schema beside it, exactly as a user's R session would,
# and writes <name>.json: what R defines for the default analyses of
# `ccstudy validate`, `describe`, `logit` and `cluster`.
#
# The rules are ccstudy's defaults, restated from its code (the R side
# decides everything itself; nothing is read from ccstudy's output):
#   * Table 1 variables: every field that is not the id or the outcome and
#     is categorical (has categories) or numeric; 0/1 fields (integer with
#     enum [0, 1] or minimum 0 and maximum 1, or boolean) are tabulated as
#     levels 0, 1; fields with "transform": "log" are nonnormal (Wilcoxon).
#     Categorical: Pearson chi-square (no correction), or Fisher's exact
#     test when an expected count is below 5, on the levels seen;
#     continuous: Welch t-test or Wilcoxon (normal approximation, tie and
#     continuity corrections). The functions are those of
#     testdata/reference/describe/describe_reference.R.
#   * Model: outcome ~ covariates in schema order, log(x) where the schema
#     says so, treatment coding with the first category as reference,
#     complete cases; each covariate alone (crude). Separation is decided by
#     the linear program of Konis (2007) as in
#     testdata/reference/logit/firth/separation.R (detectseparation's
#     default); a separated model is fitted by Firth's penalized likelihood
#     (brglm2 AS_mean, penalized profile-likelihood limits as in
#     testdata/reference/logit/firth/firth.R), any other by glm with the
#     exact profile-likelihood limits of
#     testdata/reference/logit/glm/exact_profile.R.
#   * Clustering: the covariates (log(x) where the schema says so), one 0/1
#     column per category level, complete cases, constant columns dropped,
#     scale(); for k = 2..8 (the default --k-range) kmeans(iter.max = 50)
#     with nstart = 100, 1000 and 5000. The smallest tot.withinss is the
#     best R knows; it is "stable" (taken for the optimum) when at least two
#     of the three runs found it. On rugged data (lung: 18 sparse indicator
#     columns) even 5000 starts keep improving, so only nstart = 100 is a
#     yardstick there. The cluster x case table of the best partition is
#     tested by chi-square, or fisher.test(workspace = 2e8) when an expected
#     count is below 5.
suppressPackageStartupMessages({
  library(jsonlite)
  library(lpSolve)
  library(brglm2)
})
source("testdata/reference/logit/glm/exact_profile.R")

# ---- the schema ------------------------------------------------------------

read_schema <- function(path) fromJSON(path, simplifyVector = FALSE)

# A category is a bare value or a {value, label} object.
cat_values <- function(f) vapply(f$categories, function(c) as.character(if (is.list(c)) c$value else c), "")

is_categorical <- function(f) length(f$categories) > 0

is_binary <- function(f) {
  if (is_categorical(f)) return(FALSE)
  if (identical(f$type, "boolean")) return(TRUE)
  if (!identical(f$type, "integer")) return(FALSE)
  e <- f$constraints$enum
  if (length(e) == 2) return(setequal(as.character(unlist(e)), c("0", "1")))
  mn <- f$constraints$minimum; mx <- f$constraints$maximum
  !is.null(mn) && !is.null(mx) && mn == 0 && mx == 1
}

is_numeric_field <- function(f) !is_categorical(f) && f$type %in% c("integer", "number", "year", "boolean")

role <- function(f) if (is.null(f$role)) "" else f$role

outcome_of <- function(schema) {
  for (f in schema$fields) if (role(f) == "outcome") return(f$name)
  stop("no outcome in the schema")
}

covariates_of <- function(schema) Filter(function(f) role(f) == "covariate", schema$fields)

# ---- reading the user's CSV --------------------------------------------------

read_user_csv <- function(csv, schema) {
  na <- if (is.null(schema$missingValues)) c("", "NA") else unlist(schema$missingValues)
  d <- read.csv(csv, na.strings = na, stringsAsFactors = FALSE, check.names = FALSE,
                colClasses = "character")
  for (f in schema$fields) {
    if (is_categorical(f) || !is.null(f$trueValues)) next
    if (is_numeric_field(f)) d[[f$name]] <- as.numeric(d[[f$name]])
  }
  # The outcome as 1 (case) / 0 (control), as the schema declares it: a
  # boolean by its trueValues, a two-level category by its "event" level
  # (else its second category), or 0/1 numbers.
  o <- outcome_of(schema)
  for (f in schema$fields) if (f$name == o) {
    v <- d[[o]]
    if (!is.null(f$trueValues)) d[[o]] <- ifelse(is.na(v), NA, as.numeric(v %in% unlist(f$trueValues)))
    else if (is_categorical(f)) {
      event <- if (!is.null(f$event)) as.character(f$event) else cat_values(f)[2]
      d[[o]] <- ifelse(is.na(v), NA, as.numeric(v == event))
    }
  }
  d
}

# The data with categorical fields as factors (schema levels, first =
# reference), for model.matrix.
as_model_data <- function(d, schema) {
  for (f in schema$fields) if (is_categorical(f) && f$name != outcome_of(schema)) d[[f$name]] <- factor(d[[f$name]], levels = cat_values(f))
  d
}

# ---- validate ----------------------------------------------------------------

validate_ref <- function(d, schema) {
  y <- d[[outcome_of(schema)]]
  list(rows = nrow(d), outcome = outcome_of(schema), cases = sum(y == 1, na.rm = TRUE),
       controls = sum(y == 0, na.rm = TRUE),
       missing = lapply(schema$fields, function(f) list(column = f$name, missing = sum(is.na(d[[f$name]])))))
}

# Fisher's exact test of an r x c table with a large workspace, in a forked
# process so that a table beyond R's reach is given up after `seconds`
# instead of running for hours. p_value is NA (JSON null) when R could not
# compute it; error says why.
fisher_exact <- function(tab, seconds = 120) {
  job <- parallel::mcparallel(fisher.test(tab, workspace = 2e8, control = list(mult = 30))$p.value)
  res <- parallel::mccollect(job, wait = FALSE, timeout = seconds)
  if (is.null(res)) {
    tools::pskill(job$pid)
    parallel::mccollect(job, wait = TRUE)
    return(list(p_value = NA_real_, error = sprintf("fisher.test(workspace = 2e8) did not finish in %d s", seconds)))
  }
  r <- res[[1]]
  if (inherits(r, "try-error")) return(list(p_value = NA_real_, error = gsub("\\s+", " ", conditionMessage(attr(r, "condition")))))
  list(p_value = r, error = NULL)
}

# ---- Table 1 (describe_reference.R's functions) --------------------------------

MultinomialVar <- function(p) { covs <- -outer(p, p); diag(covs) <- p * (1 - p); drop(covs) }
smd_cat <- function(tab) { # rows = groups, cols = levels
  pt <- prop.table(tab, margin = 1)
  if (ncol(pt) > 1) pt <- pt[, -1, drop = FALSE]
  m <- lapply(seq_len(nrow(pt)), function(i) pt[i, ])
  S <- (MultinomialVar(m[[1]]) + MultinomialVar(m[[2]])) / 2
  d <- m[[1]] - m[[2]]
  sqrt(drop(t(d) %*% MASS::ginv(S) %*% t(t(d))))
}
smd_cont <- function(x, y) abs(mean(x) - mean(y)) / sqrt((var(x) + var(y)) / 2)

cont_summary <- function(x) {
  miss <- sum(is.na(x)); x <- x[!is.na(x)]
  if (length(x) == 0) return(list(n = 0, missing = miss))
  q <- quantile(x, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
  list(n = length(x), mean = mean(x), sd = if (length(x) > 1) sd(x) else NA,
       median = q[2], q1 = q[1], q3 = q[3], missing = miss)
}

describe_var <- function(v, g, name, levels = NULL, nonnormal = FALSE) {
  if (!is.null(levels)) {
    f <- factor(v, levels = levels)
    tab <- rbind(cases = table(f[g == 1]), controls = table(f[g == 0]))
    grp <- function(rows) { n <- as.numeric(colSums(tab[rows, , drop = FALSE])); list(n = I(n), percent = I(100 * n / sum(n)), missing = 0) }
    res <- list(variable = name, kind = "categorical", levels = I(levels),
                cases = grp("cases"), controls = grp("controls"), overall = grp(c("cases", "controls")))
    res$cases$missing <- sum(is.na(f[g == 1])); res$controls$missing <- sum(is.na(f[g == 0]))
    res$overall$missing <- sum(is.na(f))
    keep <- colSums(tab) > 0
    t2 <- tab[, keep, drop = FALSE]
    if (ncol(t2) < 2) { res$test <- "none"; return(res) }
    ct <- suppressWarnings(chisq.test(t2, correct = FALSE))
    if (any(ct$expected < 5)) {
      ft <- fisher_exact(t2)
      res$test <- "fisher"; res$p_value <- ft$p_value; res$r_error <- ft$error
    } else {
      res$test <- "chisq"; res$statistic <- unname(ct$statistic); res$df <- unname(ct$parameter); res$p_value <- ct$p.value
    }
    res$smd <- smd_cat(tab)
    return(res)
  }
  x <- v[g == 1]; y <- v[g == 0]
  res <- list(variable = name, kind = "continuous",
              cases = cont_summary(x), controls = cont_summary(y), overall = cont_summary(v))
  x <- x[!is.na(x)]; y <- y[!is.na(y)]
  if (length(x) < 2 || length(y) < 2) { res$test <- "none"; return(res) }
  smd <- smd_cont(x, y)
  if (is.finite(smd)) res$smd <- smd
  if (nonnormal) {
    w <- wilcox.test(x, y, exact = FALSE, correct = TRUE)
    res$test <- "wilcoxon"; res$statistic <- unname(w$statistic); res$p_value <- w$p.value
  } else {
    # t.test refuses data that are constant in both groups: R defines no
    # test then.
    tt <- tryCatch(t.test(x, y), error = function(e) NULL)
    if (is.null(tt)) { res$test <- "none"; return(res) }
    res$test <- "welch_t"; res$statistic <- unname(tt$statistic); res$df <- unname(tt$parameter); res$p_value <- tt$p.value
  }
  res
}

table1_ref <- function(d, schema) {
  g <- d[[outcome_of(schema)]]
  keep <- !is.na(g)
  d <- d[keep, , drop = FALSE]; g <- g[keep]
  out <- list()
  for (f in schema$fields) {
    if (role(f) %in% c("id", "outcome")) next
    lv <- NULL
    if (is_categorical(f)) lv <- cat_values(f)
    else if (is_binary(f)) lv <- c("0", "1")
    else if (!is_numeric_field(f)) next
    v <- d[[f$name]]
    if (!is.null(lv)) v <- as.character(v)
    out[[length(out) + 1]] <- describe_var(v, g, f$name, lv, nonnormal = identical(f$transform, "log"))
  }
  out
}

# ---- logistic models -------------------------------------------------------------

term_of <- function(f) if (identical(f$transform, "log")) paste0("log(", f$name, ")") else f$name

# Konis's linear program (separation.R): maximise sum (2y-1) x'b subject to
# (2y-1) x'b >= 0 and |b_j| <= 1; a coefficient with |b_j| > 1e-4 is infinite.
konis <- function(X, y) {
  n <- nrow(X); p <- ncol(X)
  xbar <- (2 * y - 1) * X
  A <- rbind(xbar, diag(p))
  rhs <- c(drop(xbar %*% rep(1, p)), rep(2, p))
  dir <- c(rep(">=", n), rep("<=", p))
  s <- lp("max", colSums(xbar), A, dir, rhs)
  stopifnot(s$status == 0)
  b <- s$solution - 1
  names(b) <- colnames(X)
  b
}

# Firth's penalized likelihood (firth.R).
pl_fun <- function(beta, X, y) {
  eta <- drop(X %*% beta)
  ll <- sum(y * plogis(eta, log.p = TRUE) + (1 - y) * plogis(-eta, log.p = TRUE))
  w <- plogis(eta) * plogis(-eta)
  ll + 0.5 * as.numeric(determinant(crossprod(X * sqrt(w)), logarithm = TRUE)$modulus)
}
pl_grad <- function(beta, X, y) {
  eta <- drop(X %*% beta)
  p <- plogis(eta)
  w <- p * (1 - p)
  Q <- qr.Q(qr(X * sqrt(w)))
  h <- rowSums(Q^2)
  drop(crossprod(X, y - p + h * (0.5 - p)))
}
pl_max <- function(X, y, start, fixed_idx = integer(0), fixed_val = numeric(0)) {
  free <- setdiff(seq_len(ncol(X)), fixed_idx)
  full <- function(b) {
    beta <- numeric(ncol(X))
    beta[free] <- b
    beta[fixed_idx] <- fixed_val
    beta
  }
  if (length(free) == 0) return(list(value = pl_fun(full(numeric(0)), X, y), beta = full(numeric(0))))
  fn <- function(b) -pl_fun(full(b), X, y)
  gr <- function(b) -pl_grad(full(b), X, y)[free]
  b <- start[free]
  val <- fn(b)
  for (k in 1:20) {
    o <- optim(b, fn, gr, method = "BFGS", control = list(reltol = 1e-16, maxit = 10000))
    moved <- max(abs(o$par - b))
    b <- o$par
    if (abs(val - o$value) < 1e-13 && moved < 1e-9) break
    val <- o$value
  }
  list(value = -o$value, beta = full(b))
}
firth_profile_ci <- function(X, y, bhat, se, plhat, j, q = qchisq(0.95, 1)) {
  prof <- function(b) { start <- bhat; start[j] <- b; pl_max(X, y, start, j, b)$value }
  f <- function(b) 2 * (plhat - prof(b)) - q
  bound <- function(dir) {
    step <- sqrt(q) * se[j]
    lo <- bhat[j]
    hi <- bhat[j] + dir * step
    while (f(hi) < 0) { lo <- hi; step <- 2 * step; hi <- bhat[j] + dir * step }
    uniroot(f, sort(c(lo, hi)), tol = 1e-12, maxiter = 1000)$root
  }
  c(bound(-1), bound(1))
}

model_ref <- function(name, formula, data) {
  mf <- model.frame(formula, data) # na.omit: complete cases of this model
  X <- model.matrix(formula, mf)
  y <- as.numeric(model.response(mf))
  b <- konis(X, y)
  infinite <- colnames(X)[abs(b) > 1e-4]
  res <- list(name = name, formula = deparse(formula, width.cutoff = 500L), names = I(colnames(X)),
              n = nrow(X), events = sum(y), separated = length(infinite) > 0, infinite = I(infinite))
  if (!res$separated) {
    fit <- glm(formula, binomial, data, control = glm.control(epsilon = 1e-14, maxit = 100))
    stopifnot(fit$converged, !any(is.na(coef(fit))))
    s <- summary(fit)$coefficients
    ci <- exact_profile(fit, 0.95)
    ll <- as.numeric(logLik(fit))
    res <- c(res, list(method = "mle", estimate = unname(coef(fit)), std_error = unname(s[, 2]),
      statistic = unname(s[, 3]), p_value = unname(s[, 4]),
      conf_low = unname(ci[, 1]), conf_high = unname(ci[, 2]),
      null_deviance = fit$null.deviance, deviance = fit$deviance, log_likelihood = ll,
      aic = AIC(fit), bic = BIC(fit),
      lr_statistic = fit$null.deviance - fit$deviance, lr_df = fit$df.null - fit$df.residual,
      lr_p_value = pchisq(fit$null.deviance - fit$deviance, fit$df.null - fit$df.residual, lower.tail = FALSE),
      iterations = glm(formula, binomial, data)$iter))
    return(res)
  }
  fit <- suppressWarnings(glm(y ~ X - 1, family = binomial, method = "brglm_fit", type = "AS_mean", epsilon = 1e-14, maxit = 1000))
  if (!fit$converged) {
    # From its default start brglm2 can run off on a level held by one row
    # (lung: ph.ecog = 3, whose Firth estimate is logit(1.5 / 2) - intercept);
    # started at the maximum of the penalized likelihood found by BFGS it
    # converges.
    m0 <- pl_max(X, y, rep(0, ncol(X)))
    fit <- glm(y ~ X - 1, family = binomial, method = "brglm_fit", type = "AS_mean", epsilon = 1e-14, maxit = 1000,
               start = m0$beta)
  }
  stopifnot(fit$converged)
  s <- summary(fit)$coefficients
  bhat <- unname(coef(fit)); se <- unname(s[, 2])
  m <- pl_max(X, y, bhat)
  stopifnot(max(abs(m$beta - bhat)) < 1e-7)
  plhat <- pl_fun(bhat, X, y)
  ci <- t(sapply(seq_len(ncol(X)), function(j) firth_profile_ci(X, y, bhat, se, plhat, j)))
  others <- seq_len(ncol(X))[-1]
  null <- pl_max(X, y, c(bhat[1], rep(0, ncol(X) - 1)), others, rep(0, length(others)))
  lr <- 2 * (plhat - null$value)
  c(res, list(method = "firth", estimate = bhat, std_error = se,
    statistic = unname(s[, 3]), p_value = unname(s[, 4]),
    conf_low = unname(ci[, 1]), conf_high = unname(ci[, 2]),
    penalized_log_likelihood = plhat,
    lr_statistic = lr, lr_df = ncol(X) - 1, lr_p_value = pchisq(lr, ncol(X) - 1, lower.tail = FALSE)))
}

logit_ref <- function(d, schema) {
  md <- as_model_data(d, schema)
  out <- outcome_of(schema)
  terms <- vapply(covariates_of(schema), term_of, "")
  models <- list(model_ref("multivariable", reformulate(terms, out), md))
  for (t in terms) models[[length(models) + 1]] <- model_ref(paste0("univariable:", t), reformulate(t, out), md)
  list(formula = paste(out, "~", paste(terms, collapse = " + ")), models = models)
}

# ---- clustering ------------------------------------------------------------------

# Clusters numbered as ccstudy numbers them: decreasing size, ties by the
# earliest row (clustercmd.R).
canon <- function(cl) {
  tab <- table(factor(cl, levels = unique(cl)))
  ord <- names(tab)[order(-as.integer(tab), seq_along(tab))]
  as.integer(match(as.character(cl), ord))
}

case_test <- function(cl, case) {
  tab <- table(cl, case)
  ct <- suppressWarnings(chisq.test(tab, correct = FALSE))
  if (min(ct$expected) < 5) {
    ft <- fisher_exact(tab)
    Filter(Negate(is.null), list(test = "fisher", p_value = ft$p_value, min_expected = min(ct$expected), r_error = ft$error))
  } else {
    list(test = "chi-square", statistic = unname(ct$statistic), df = unname(ct$parameter),
         p_value = ct$p.value, min_expected = min(ct$expected))
  }
}

cluster_ref <- function(d, schema, ks = 2:8) {
  cols <- list(); names_out <- character()
  for (f in covariates_of(schema)) {
    v <- d[[f$name]]
    if (is_categorical(f)) {
      for (l in cat_values(f)) {
        cols[[length(cols) + 1]] <- ifelse(is.na(v), NA, as.numeric(as.character(v) == l))
        names_out <- c(names_out, paste0(f$name, "[", l, "]"))
      }
    } else {
      cols[[length(cols) + 1]] <- if (identical(f$transform, "log")) log(v) else v
      names_out <- c(names_out, term_of(f))
    }
  }
  X <- do.call(cbind, cols)
  keep <- complete.cases(X)
  X <- X[keep, , drop = FALSE]
  case <- d[[outcome_of(schema)]][keep]
  const <- apply(X, 2, function(c) max(c) == min(c))
  x <- scale(X[, !const, drop = FALSE])
  dimnames(x) <- NULL
  attr(x, "scaled:center") <- NULL; attr(x, "scaled:scale") <- NULL
  per_k <- lapply(ks, function(k) {
    runs <- lapply(c(100, 1000, 5000), function(ns) {
      set.seed(1000 * ns %/% 100 + k)
      kmeans(x, k, nstart = ns, iter.max = 50)
    })
    w <- vapply(runs, function(r) r$tot.withinss, 0)
    best <- which.min(w)
    km <- runs[[best]]
    cl <- canon(km$cluster)
    list(k = k, tot_withinss_nstart100 = w[1], tot_withinss_nstart1000 = w[2], tot_withinss_nstart5000 = w[3],
         tot_withinss = km$tot.withinss,
         # The best is taken for the optimum when another run found it too.
         stable = sum(abs(w - w[best]) <= 1e-9 * w[best]) >= 2,
         size = I(as.integer(table(factor(cl, levels = 1:k)))),
         cases = I(as.integer(tapply(case, factor(cl, levels = 1:k), sum))),
         case_test = case_test(cl, case))
  })
  list(columns = I(names_out[!const]), dropped = I(names_out[const]), n = nrow(x),
       excluded = sum(!keep), totss = sum(x^2), kmeans = per_k)
}

# ---- the whole reference -----------------------------------------------------------

foreign_reference <- function(name, source, note) {
  dir <- file.path("testdata/foreign", name)
  schema <- read_schema(file.path(dir, paste0(name, ".schema.json")))
  d <- read_user_csv(file.path(dir, paste0(name, ".csv")), schema)
  res <- list(dataset = name, source = source, note = note, r_version = R.version.string,
              title = schema$title,
              validate = validate_ref(d, schema), table1 = table1_ref(d, schema),
              logit = logit_ref(d, schema), cluster = cluster_ref(d, schema))
  write_json(res, file.path(dir, paste0(name, ".json")), digits = NA, auto_unbox = TRUE,
             pretty = TRUE, na = "null")
  invisible(res)
}
