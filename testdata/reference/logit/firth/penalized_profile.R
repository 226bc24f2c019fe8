# Firth's penalized likelihood, its constrained maxima and penalized
# profile limits from their definition (logistf is not packaged), shared
# by the reference scripts (source()d by firth.R and separation_robust.R;
# run alone it only defines the functions). Uses `q`, the chi-square
# quantile of the confidence level, from the calling script.
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

# Maximise pl over the coefficients not in `fixed` (a named index -> value).
pl_max <- function(X, y, start, fixed_idx = integer(0), fixed_val = numeric(0)) {
  free <- setdiff(seq_len(ncol(X)), fixed_idx)
  full <- function(b) {
    beta <- numeric(ncol(X))
    beta[free] <- b
    beta[fixed_idx] <- fixed_val
    beta
  }
  if (length(free) == 0) {
    return(list(value = pl_fun(full(numeric(0)), X, y), beta = full(numeric(0))))
  }
  fn <- function(b) -pl_fun(full(b), X, y)
  gr <- function(b) -pl_grad(full(b), X, y)[free]
  b <- start[free]
  # Restart BFGS until it no longer moves: each run ends at reltol.
  val <- fn(b)
  for (k in 1:20) {
    o <- optim(b, fn, gr, method = "BFGS",
               control = list(reltol = 1e-16, maxit = 10000))
    moved <- max(abs(o$par - b))
    b <- o$par
    if (abs(val - o$value) < 1e-13 && moved < 1e-9) break
    val <- o$value
  }
  list(value = -o$value, beta = full(b), grad = max(abs(gr(b))))
}

profile_ci <- function(X, y, bhat, se, plhat, j) {
  prof <- function(b) {
    start <- bhat
    start[j] <- b
    pl_max(X, y, start, j, b)$value
  }
  f <- function(b) 2 * (plhat - prof(b)) - q
  bound <- function(dir) {
    step <- sqrt(q) * se[j]
    lo <- bhat[j]
    hi <- bhat[j] + dir * step
    while (f(hi) < 0) {
      lo <- hi
      step <- 2 * step
      hi <- bhat[j] + dir * step
    }
    uniroot(f, sort(c(lo, hi)), tol = 1e-12, maxiter = 1000)$root
  }
  c(bound(-1), bound(1))
}
