# Timings of R's separation check on the reproductions of
# separation_robust.json, for comparison with
#   go test ./logit -run '^$' -bench BenchmarkDetectSeparationPublicData
# (prints, writes nothing; mean of 10 runs per case after one warm-up):
#   Rscript testdata/reference/logit/firth/separation_bench.R
# "direct" is Konis's program in the form of separation.R (as
# detectseparation states it); "scaled" is the equivalent form of
# separation_robust.R (aliased columns out, columns scaled, b = w - v).
# Both programs (the LP and the complete-separation margin) are timed.
suppressPackageStartupMessages({ library(lpSolve); library(jsonlite) })
cs <- fromJSON("testdata/reference/logit/firth/separation_robust.json",
               simplifyVector = TRUE, simplifyMatrix = TRUE)
direct <- function(X, y) {
  n <- nrow(X); p <- ncol(X); xbar <- (2 * y - 1) * X
  s <- lp("max", colSums(xbar), rbind(xbar, diag(p)), c(rep(">=", n), rep("<=", p)),
          c(drop(xbar %*% rep(1, p)), rep(2, p)))
  A2 <- rbind(cbind(xbar, -1), cbind(diag(p), 0), c(rep(0, p), 1))
  s2 <- lp("max", c(rep(0, p), 1), A2, c(rep(">=", n), rep("<=", p), "<="),
           c(drop(xbar %*% rep(1, p)), rep(2, p), 1))
  c(s$status, s2$status)
}
scaled <- function(X, y) {
  n <- nrow(X)
  q <- qr(X, tol = 1e-7); X <- X[, sort(q$pivot[seq_len(q$rank)]), drop = FALSE]; p <- ncol(X)
  s <- apply(abs(X), 2, max); xt <- (2 * y - 1) * sweep(X, 2, s, "/"); cobj <- colSums(xt)
  s1 <- lp("max", c(cobj, -cobj), rbind(cbind(xt, -xt), diag(2 * p)), c(rep(">=", n), rep("<=", 2 * p)),
           c(rep(0, n), s, s))
  A2 <- rbind(cbind(xt, -xt, -1), cbind(diag(2 * p), 0), c(rep(0, 2 * p), 1))
  s2 <- lp("max", c(rep(0, 2 * p), 1), A2, c(rep(">=", n), rep("<=", 2 * p + 1)), c(rep(0, n), s, s, 1))
  c(s1$status, s2$status)
}
timed <- function(f, X, y) {
  f(X, y)
  t <- system.time(for (i in 1:10) st <- f(X, y))
  sprintf("%7.2f ms (status %s)", 100 * t[["elapsed"]], paste(st, collapse = "/"))
}
for (k in seq_len(nrow(cs))) {
  X <- cs$x[[k]]; y <- cs$y[[k]]
  cat(sprintf("%-28s n=%3d p=%2d  direct %s  scaled %s\n", cs$name[k], nrow(X), ncol(X),
              timed(direct, X, y), timed(scaled, X, y)))
}
