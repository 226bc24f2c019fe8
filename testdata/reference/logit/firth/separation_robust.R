# Reference values for logit.DetectSeparation and FitAuto on public data
# where the first implementation (gonum's lp.Simplex on Konis's primal)
# failed with "matrix singular" or ran for minutes: complete-case subsets
# and strata of survival::pbc, survival::lung and MASS::birthwt with many
# covariates and dummies, some with aliased columns.
#
# Rerun from the repo root:
#   Rscript testdata/reference/logit/firth/separation_robust.R
# It writes testdata/reference/logit/firth/separation_robust.json. Needs
# lpSolve, survival, MASS, brglm2 (Debian: r-cran-lpsolve, r-cran-survival,
# r-cran-mass, r-cran-brglm2). Timings: separation_bench.R.
#
# detectseparation is not packaged (brglm2 >= 0.8 only points to it), so
# its default linear program (Konis 2007) is solved with lpSolve, as in
# separation.R, but in a form lpSolve solves reliably on these data: on
# the direct form of separation.R (b = w - 1 with 0 <= w <= 2) lpSolve
# returns "infeasible" (status 2), "unbounded" (3) or "numerical failure"
# (5) for most of these cases because of columns in the thousands
# (alk.phos, copper). The program is the same:
#   * aliased columns (qr(X, tol = 1e-7), as glm's NA coefficients) are
#     left out and reported; their LP coefficient is 0;
#   * columns are scaled, gamma_j = s_j b_j with s_j = max_i |x_ij| and
#     box |gamma_j| <= s_j, and gamma = w - v with 0 <= w, v <= s.
# The optimum is unique in value but, under complete separation, not in
# the vertex; so for every coefficient the range of b_j over the optimal
# face is computed too (max and min of b_j subject to the constraints and
# objective >= optimum (1 - 1e-9) - 1e-9). A direction is "determined"
# when the flag |b_j| max(1, max_i |x_ij|) > 1e-4 and the sign are the same
# over the whole face.
# Independent checks, as in separation.R: glm() gives fitted probabilities
# 0 or 1 (maxit = 100) where separation is reported; glm's coefficients
# that keep growing from maxit = 25 to 50 are recorded (glm_divergent).
# For the finite fits the estimates of glm (no separation) and of brglm2's
# Firth fit (type = "AS_mean") are recorded, and for the 242-row stratum
# logistf's penalized profile limits and LR tests (penalized_profile.R).
suppressPackageStartupMessages({
  library(lpSolve)
  library(survival)
  library(MASS)
  library(brglm2)
  library(jsonlite)
})

tolerance <- 1e-4
level <- 0.95
q <- qchisq(level, 1)
source("testdata/reference/logit/firth/penalized_profile.R")

# lpSolve's presolve scaling sometimes reports a bounded, feasible program
# as unbounded or infeasible; the optimum does not depend on the scaling
# mode, so other modes are tried in turn, and the solution is checked.
lp_retry <- function(direction, objective, A, dir, rhs) {
  for (sc in c(196, 4, 7, 3, 1, 6, 68, 132)) {
    r <- lp(direction, objective, A, dir, rhs, scale = sc)
    if (r$status != 0) next
    lhs <- drop(A %*% r$solution)
    slack <- ifelse(dir == ">=", lhs - rhs, rhs - lhs)
    if (all(slack >= -1e-7 * (1 + abs(rhs)))) return(r)
  }
  stop("lpSolve failed in every scaling mode")
}

konis_scaled <- function(X, y) {
  n <- nrow(X); p0 <- ncol(X)
  q <- qr(X, tol = 1e-7)
  keep <- sort(q$pivot[seq_len(q$rank)])
  Xk <- X[, keep, drop = FALSE]; p <- ncol(Xk)
  s <- apply(abs(Xk), 2, max)
  xt <- (2 * y - 1) * sweep(Xk, 2, s, "/")
  cobj <- colSums(xt)
  A <- rbind(cbind(xt, -xt), diag(2 * p))
  dir <- c(rep(">=", n), rep("<=", 2 * p))
  rhs <- c(rep(0, n), s, s)
  s1 <- lp_retry("max", c(cobj, -cobj), A, dir, rhs)
  g <- s1$solution[1:p] - s1$solution[p + 1:p]
  obj <- sum(cobj * g)
  # Range of each gamma_j over the optimal face.
  Af <- rbind(A, c(cobj, -cobj))
  dirf <- c(dir, ">=")
  rhsf <- c(rhs, obj * (1 - 1e-9) - 1e-9)
  face <- t(sapply(seq_len(p), function(j) {
    e <- numeric(2 * p); e[j] <- 1; e[p + j] <- -1
    hi <- lp_retry("max", e, Af, dirf, rhsf)
    lo <- lp_retry("min", e, Af, dirf, rhsf)
    c(lo$objval, hi$objval)
  }))
  # Complete separation: maximise t s.t. xt gamma >= t, t <= 1.
  A2 <- rbind(cbind(xt, -xt, -1), cbind(diag(2 * p), 0), c(rep(0, 2 * p), 1))
  s2 <- lp_retry("max", c(rep(0, 2 * p), 1), A2, c(rep(">=", n), rep("<=", 2 * p + 1)), c(rep(0, n), s, s, 1))
  beta <- lo <- hi <- rep(0, p0)
  beta[keep] <- g / s
  lo[keep] <- face[, 1] / s
  hi[keep] <- face[, 2] / s
  list(beta = beta, lo = lo, hi = hi, objective = obj, margin = s2$objval, keep = keep)
}

make_case <- function(name, formula, data, note, profile = FALSE) {
  mf <- model.frame(formula, data)
  X <- model.matrix(formula, mf)
  y <- as.numeric(model.response(mf))
  tt <- terms(formula, data = data)
  k <- konis_scaled(X, y)
  xscale <- pmax(1, apply(abs(X), 2, max))
  flag <- function(b) ifelse(abs(b) * xscale <= tolerance, 0L, as.integer(sign(b)))
  dirs <- flag(k$beta)
  determined <- flag(k$lo) == flag(k$hi) & flag(k$lo) == dirs
  separated <- any(dirs != 0)
  # The optimal face either contains b = 0 (no separation) or excludes it.
  stopifnot(all(determined[dirs == 0]) || separated)

  Xk <- X[, k$keep, drop = FALSE]
  g100 <- suppressWarnings(glm(y ~ Xk - 1, family = binomial, control = glm.control(maxit = 100)))
  f <- fitted(g100)
  fitted01 <- sum(f < 1e-10 | f > 1 - 1e-10)
  g25 <- suppressWarnings(glm(y ~ Xk - 1, family = binomial, control = glm.control(maxit = 25)))
  g50 <- suppressWarnings(glm(y ~ Xk - 1, family = binomial,
                              control = glm.control(maxit = 50, epsilon = 1e-300)))
  grow <- abs(coef(g50)) - abs(coef(g25))
  divergent <- colnames(X)[k$keep][grow > 1]
  # Separation must show in glm: divergent coefficients or fitted 0/1.
  stopifnot(separated == (length(divergent) > 0 || fitted01 > 0))

  est <- NULL
  if (!separated && length(k$keep) == ncol(X)) {
    g <- glm(formula, data = mf, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
    stopifnot(g$converged)
    est <- list(method = "mle", estimate = unname(coef(g)), std_error = unname(sqrt(diag(vcov(g)))))
  } else if (length(k$keep) == ncol(X)) {
    # brglm2's quasi-Fisher steps can run away on a level with a single
    # row (lung: ph.ecog 3); half steps (slowit) converge to the same root.
    for (slowit in c(1, 0.5, 0.25)) {
      b <- suppressWarnings(glm(formula, data = mf, family = binomial, method = "brglm_fit", type = "AS_mean",
                                control = list(maxit = 2000, epsilon = 1e-12, slowit = slowit)))
      if (b$converged) break
    }
    stopifnot(b$converged)
    est <- list(method = "firth", estimate = unname(coef(b)), std_error = unname(sqrt(diag(vcov(b)))))
    if (profile) {
      # logistf's penalized profile limits and LR tests, as in firth.R.
      bhat <- est$estimate
      plhat <- pl_fun(bhat, X, y)
      ci <- t(sapply(seq_len(ncol(X)), function(j) profile_ci(X, y, bhat, est$std_error, plhat, j)))
      lr <- sapply(seq_len(ncol(X)), function(j) {
        start <- bhat
        start[j] <- 0
        max(0, 2 * (plhat - pl_max(X, y, start, j, 0)$value))
      })
      est$level <- level
      est$conf_low <- unname(ci[, 1])
      est$conf_high <- unname(ci[, 2])
      est$lr_statistic <- lr
    }
  }

  list(
    name = name,
    note = note,
    formula = paste(deparse(formula, width.cutoff = 500L), collapse = ""),
    names = colnames(X),
    assign = attr(X, "assign"),
    groups = c("(Intercept)", attr(tt, "term.labels")),
    x = unname(lapply(seq_len(nrow(X)), function(i) unname(X[i, ]))),
    y = y,
    aliased = I(colnames(X)[-k$keep]),
    lp_beta = k$beta,
    lp_beta_low = k$lo,
    lp_beta_high = k$hi,
    lp_objective = k$objective,
    lp_margin = k$margin,
    separation = separated,
    complete = k$margin > tolerance,
    directions = dirs,
    direction_determined = determined,
    infinite = I(colnames(X)[dirs != 0]),
    glm_divergent = I(divergent),
    glm_fitted01 = fitted01,
    fit = est
  )
}

pbc <- survival::pbc[1:418, ]
pbc$death <- as.integer(pbc$status == 2)
pbc$event <- as.integer(pbc$status != 0)
pbc$trt <- factor(pbc$trt)
pbc$edema <- factor(pbc$edema)
pbc$stage <- factor(pbc$stage)
rhs <- ~ trt + age + sex + ascites + hepato + spiders + edema + bili + chol + albumin +
  copper + alk.phos + ast + trig + platelet + protime + stage
cc <- pbc[complete.cases(pbc[, all.vars(rhs)]), ]
death <- update(rhs, death ~ .)
event <- update(rhs, event ~ .)
age_median <- quantile(cc$age, 0.5)

lung <- survival::lung
lung$death <- as.integer(lung$status == 2)
lung$ph.ecog <- factor(lung$ph.ecog)

bw <- MASS::birthwt
bw$race <- factor(bw$race, labels = c("white", "black", "other"))
bw$ptl <- factor(bw$ptl)
bw$ftv <- factor(bw$ftv)
bwf <- low ~ age + lwt + race + smoke + ptl + ht + ui + ftv

cases <- list(
  make_case("pbc_death", death, cc,
            "survival::pbc complete cases (276 rows, 20 covariates), death: no separation"),
  make_case("pbc_age_below_median_death", death, cc[cc$age < age_median, ],
            "pbc complete cases with age below its median (138 rows): gonum simplex failed, matrix singular"),
  make_case("pbc_female_death", update(death, . ~ . - sex), cc[cc$sex == "f", ],
            "pbc complete cases, women (242 rows): gonum simplex failed, matrix singular", profile = TRUE),
  make_case("pbc_trt1_event", update(event, . ~ . - trt), cc[cc$trt == "1", ],
            "pbc complete cases, treatment 1 (136 rows), death or transplant: gonum simplex cycled for minutes"),
  make_case("pbc_trt2_event", update(event, . ~ . - trt), cc[cc$trt == "2", ],
            "pbc complete cases, treatment 2 (140 rows), death or transplant: gonum simplex cycled for minutes"),
  make_case("pbc_male_death", update(death, . ~ . - sex), cc[cc$sex == "m", ],
            "pbc complete cases, men (34 rows, 19 covariates): complete separation"),
  make_case("pbc_edema1_death", update(death, . ~ . - edema), cc[cc$edema == "1", ],
            "pbc complete cases with edema 1 (17 rows): aliased columns, complete separation"),
  make_case("lung_male_death", death ~ age + ph.ecog + ph.karno + pat.karno + meal.cal + wt.loss,
            lung[lung$sex == 1, ],
            "survival::lung men, complete cases (104 rows): gonum simplex failed, condition number +Inf"),
  make_case("birthwt_dummies", bwf, bw,
            "MASS::birthwt with ptl and ftv as factors (189 rows): gonum simplex failed, matrix singular"),
  make_case("birthwt_black", update(bwf, . ~ . - race), bw[bw$race == "black", ],
            "birthwt, race black (26 rows): aliased dummies and quasi-complete separation")
)

write_json(cases, "testdata/reference/logit/firth/separation_robust.json",
           digits = NA, auto_unbox = TRUE, pretty = TRUE, null = "null")

# A linear program on which the simplex method cycles with Dantzig's rule
# and smallest-index tie-breaking (Chvátal 1983, ch. 3), for the solver
# behind DetectSeparation: maximise 10 x1 - 57 x2 - 9 x3 - 24 x4 subject to
# the rows of A <= b, x >= 0. Its slack basis is degenerate.
cyc_A <- rbind(c(0.5, -5.5, -2.5, 9), c(0.5, -1.5, -0.5, 1), c(1, 0, 0, 0))
cyc_b <- c(0, 0, 1)
cyc_c <- c(10, -57, -9, -24)
cyc <- lp("max", cyc_c, cyc_A, rep("<=", 3), cyc_b)
stopifnot(cyc$status == 0)
write_json(list(
  note = "Chvátal's cycling example: maximise c'x s.t. A x <= b, x >= 0 (lpSolve)",
  a = unname(lapply(1:3, function(i) cyc_A[i, ])), b = cyc_b, c = cyc_c,
  objective = cyc$objval, solution = cyc$solution
), "testdata/reference/logit/firth/lp_cycling.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
