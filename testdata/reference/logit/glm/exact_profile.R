# Exact profile-likelihood limits for a binomial glm, shared by the
# reference scripts (source()d by glm_reference.R and
# ../../logitcmd/logit_cmd_reference.R). Defines constrained_dev() and
# exact_profile().

# Constrained deviance: coefficient j fixed at b, all others refitted with
# the offset x_j * b. Plain IRLS (glm.fit from its default start, or even
# from the MLE) can diverge here when the offset is large (mtcars am ~ wt +
# hp: deviance 937 instead of 12.1 at wt = -14), so the minimum is first
# located by BFGS and then polished by glm.fit started there (Newton
# converges quadratically from nearby), at epsilon 1e-14.
constrained_dev <- function(X, y, j, b, start) {
  o <- X[, j] * b
  Xi <- X[, -j, drop = FALSE]
  if (ncol(Xi) == 0) {
    mu <- plogis(o)
    return(sum(binomial()$dev.resids(y, mu, rep(1, length(y)))))
  }
  dev <- function(g) {
    eta <- drop(Xi %*% g) + o
    -2 * sum(ifelse(y == 1, plogis(eta, log.p = TRUE), plogis(eta, lower.tail = FALSE, log.p = TRUE)))
  }
  gr <- function(g) {
    eta <- drop(Xi %*% g) + o
    -2 * drop(crossprod(Xi, y - plogis(eta)))
  }
  opt <- optim(start, dev, gr, method = "BFGS",
               control = list(reltol = 1e-15, maxit = 10000))
  pol <- glm.fit(Xi, y, offset = o, start = opt$par, family = binomial(),
                 control = glm.control(epsilon = 1e-14, maxit = 200))
  # Under separation the polishing IRLS itself can run off; BFGS's value
  # is then the better minimum.
  min(pol$deviance, opt$value)
}

# Exact profile-likelihood bounds: roots of the signed root deviance at
# +/- qnorm((1 + level) / 2), found by uniroot at tol 1e-10.
exact_profile <- function(fit, level) {
  X <- model.matrix(fit)
  y <- fit$y
  refit <- glm.fit(X, y, family = binomial(),
                   control = glm.control(epsilon = 1e-14, maxit = 200))
  b0 <- refit$coefficients
  d0 <- refit$deviance
  se <- sqrt(diag(vcov(fit)))
  q <- qnorm((1 + level) / 2)
  res <- matrix(NA_real_, ncol(X), 2, dimnames = list(colnames(X), c("lower", "upper")))
  for (j in seq_len(ncol(X))) {
    z <- function(b) sign(b - b0[j]) * sqrt(max(0, constrained_dev(X, y, j, b, b0[-j]) - d0))
    lo <- uniroot(function(b) z(b) + q, c(b0[j] - 2 * q * se[j], b0[j]),
                  extendInt = "upX", tol = 1e-10, maxiter = 1000)$root
    hi <- uniroot(function(b) z(b) - q, c(b0[j], b0[j] + 2 * q * se[j]),
                  extendInt = "upX", tol = 1e-10, maxiter = 1000)$root
    res[j, ] <- c(lo, hi)
  }
  res
}
