# Reference values for logit.DetectSeparation.
#
# Rerun from the repo root:
#   Rscript testdata/reference/logit/firth/separation.R
# It writes testdata/reference/logit/firth/separation.json. Needs lpSolve
# (Debian: r-cran-lpsolve).
#
# detectseparation (formerly brglm2::detect_separation) is not packaged, so
# its default algorithm (linear_program = "primal", purpose = "test",
# solver lpsolve, tolerance 1e-4) is run here with lpSolve directly. It is
# the linear program of Konis (2007):
#   maximise  sum_i (2 y_i - 1) x_i' b
#   s.t.      (2 y_i - 1) x_i' b >= 0 for all i,  -1 <= b_j <= 1,
# whose optimum is 0 (b = 0) exactly when the MLE exists; otherwise the
# coefficients with |b_j| > 1e-4 are infinite with the sign of b_j.
# Complete separation (every row strictly on its side) is tested with a
# second program: maximise t s.t. (2 y_i - 1) x_i' b >= t, |b_j| <= 1, t <= 1.
# As an independent check, glm() must give fitted probabilities of 0 or 1
# exactly when separation is reported, and under quasi-complete separation
# glm()'s estimates of the coefficients flagged infinite must keep growing
# when glm is allowed more iterations, and the others must not.
suppressPackageStartupMessages({
  library(lpSolve)
  library(MASS)
  library(jsonlite)
})

tolerance <- 1e-4

konis <- function(X, y) {
  n <- nrow(X); p <- ncol(X)
  xbar <- (2 * y - 1) * X
  # lpSolve variables are >= 0: b = w - 1 with 0 <= w <= 2.
  A <- rbind(xbar, diag(p))
  rhs <- c(drop(xbar %*% rep(1, p)), rep(2, p))
  dir <- c(rep(">=", n), rep("<=", p))
  s <- lp("max", colSums(xbar), A, dir, rhs)
  stopifnot(s$status == 0)
  b <- s$solution - 1
  obj <- sum(xbar %*% b)
  # Complete separation: variables (w, t).
  A2 <- rbind(cbind(xbar, -1), cbind(diag(p), 0), c(rep(0, p), 1))
  rhs2 <- c(drop(xbar %*% rep(1, p)), rep(2, p), 1)
  dir2 <- c(rep(">=", n), rep("<=", p), "<=")
  s2 <- lp("max", c(rep(0, p), 1), A2, dir2, rhs2)
  stopifnot(s2$status == 0)
  list(beta = b, objective = obj, margin = s2$objval)
}

make_case <- function(name, formula, data, note) {
  mf <- model.frame(formula, data)
  X <- model.matrix(formula, mf)
  y <- as.numeric(model.response(mf))
  tt <- terms(formula, data = data)
  k <- konis(X, y)
  dirs <- ifelse(abs(k$beta) < tolerance, 0L, as.integer(sign(k$beta)))

  g25 <- suppressWarnings(glm(y ~ X - 1, family = binomial, control = glm.control(maxit = 25)))
  g50 <- suppressWarnings(glm(y ~ X - 1, family = binomial,
                              control = glm.control(maxit = 50, epsilon = 1e-300)))
  grow <- abs(coef(g50)) - abs(coef(g25))
  f <- fitted(g50)
  stopifnot(any(dirs != 0) == any(f < 1e-10 | f > 1 - 1e-10))
  if (k$margin <= tolerance) {
    # Quasi-complete: the divergent direction is determined, so glm's
    # divergent coefficients are exactly the flagged ones. (Under complete
    # separation any direction inside the separating cone diverges and
    # the LP vertex is one of them, as in detectseparation.)
    stopifnot(all((grow > 1) == (dirs != 0)))
    stopifnot(all(sign(coef(g50)[dirs != 0]) == dirs[dirs != 0]))
  }

  list(
    name = name,
    note = note,
    formula = deparse(formula),
    names = colnames(X),
    assign = attr(X, "assign"),
    groups = c("(Intercept)", attr(tt, "term.labels")),
    x = unname(lapply(seq_len(nrow(X)), function(i) unname(X[i, ]))),
    y = y,
    lp_beta = k$beta,
    lp_objective = k$objective,
    separation = any(dirs != 0),
    complete = k$margin > tolerance,
    directions = dirs,
    infinite = I(colnames(X)[dirs != 0]),
    infinite_terms = I(unique(c("(Intercept)", attr(tt, "term.labels"))[attr(X, "assign")[dirs != 0] + 1]))
  )
}

# Same constructed data as firth.R.
set.seed(1)
complete <- data.frame(x1 = round(rnorm(30), 2), x2 = round(rnorm(30), 2))
complete$y <- as.integer(complete$x1 + 0.5 * complete$x2 > 0)

set.seed(2)
quasi <- data.frame(g = factor(rep(c("a", "b", "c"), c(16, 14, 10))),
                    x = round(rnorm(40), 2))
quasi$y <- c(rbinom(16, 1, 0.3), rbinom(14, 1, 0.5), rep(1L, 10))

# Quasi-complete separation on a threshold: y = 1 above 5, y = 0 below,
# both outcomes at 5.
threshold <- data.frame(x = rep(1:9, each = 3))
threshold$y <- as.integer(threshold$x > 5)
threshold$y[threshold$x == 5] <- c(0L, 1L, 1L)

bw <- MASS::birthwt
bw$race <- factor(bw$race, labels = c("white", "black", "other"))

cases <- list(
  make_case("complete", y ~ x1 + x2, complete,
            "constructed: complete separation by x1 + x2/2 > 0"),
  make_case("quasi", y ~ g + x, quasi,
            "constructed: quasi-complete separation, all of group c are cases"),
  make_case("threshold", y ~ x, threshold,
            "constructed: quasi-complete separation at x = 5"),
  make_case("infert", case ~ spontaneous + induced + age + parity, datasets::infert,
            "datasets::infert, no separation"),
  make_case("birthwt", low ~ age + lwt + race + smoke + ptl + ht + ui + ftv, bw,
            "MASS::birthwt, no separation")
)

write_json(cases, "testdata/reference/logit/firth/separation.json",
           digits = NA, auto_unbox = TRUE, pretty = TRUE)
