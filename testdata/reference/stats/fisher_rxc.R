# Reference values for Fisher's test of r x c tables (stats/fisher.go,
# stats/fisher2.go, stats/fishermc.go), checked by stats/fisher_rxc_test.go.
#
# Rerun from the repository root:
#   Rscript testdata/reference/stats/fisher_rxc.R
# It rewrites testdata/reference/stats/fisher_rxc.json. Timings of the same
# calls are in fisher_rxc_bench.R.
#
# - exact: tables with R's exact p-value. "fisher.test" is fisher.test(x)
#   with the default workspace, or workspace = 2e7 where the default is too
#   small (see the "workspace" field). Tables with two rows that FEXACT
#   cannot do even with workspace = 2e7 (small p-values) are summed over
#   every table by enumerate_2row() below ("enumeration"), an independent
#   brute-force meet-in-the-middle written here; it is checked against
#   fisher.test on every two-row table that FEXACT does handle.
# - monte_carlo: tables for the simulated p-value, with R's
#   fisher.test(x, simulate.p.value = TRUE, B = 2000) after set.seed(1) and,
#   where known, the exact p-value. The Go p-value uses another generator, so
#   it is compared within binomial standard errors, not digit for digit.
# - patefield: every table with one set of small margins and its
#   multiple-hypergeometric probability, for a goodness-of-fit check of the
#   Go table generator (R's r2dtable uses the same algorithm, AS 159).

suppressPackageStartupMessages(library(jsonlite))

out_dir <- file.path("testdata", "reference", "stats")
if (!dir.exists(out_dir)) stop("run from the repository root")

# Ties: for tables larger than 2 x 2 fisher.test's FEXACT counts tables whose
# log probability is at most the observed one plus tol = 3.45254e-7 (f2xact:
# "obs = tol + ..."), not the relErr = 1 + 1e-7 of its 2 x 2 code. The two
# differ on cluster_2x8_random_6 (by 1.4e-7 relative), so the enumeration
# uses FEXACT's rule.
fexact_tol <- 3.45254e-7

mat_rows <- function(m) lapply(seq_len(nrow(m)), function(i) unname(as.numeric(m[i, ])))

# Exact p-value of a 2 x c table: all first-row vectors with the column
# totals split into two halves of columns; for each half every vector, its
# sum and log prod choose(t_j, x_j); then each left vector is paired with the
# right vectors completing the first-row total, whose values are sorted with
# cumulative weights.
enumerate_2row <- function(m) {
  stopifnot(nrow(m) == 2)
  tt <- colSums(m); n <- sum(tt); m1 <- sum(m[1, ])
  obs <- sum(lchoose(tt, m[1, ]))
  lim <- obs + fexact_tol
  # Balance the number of vectors between the halves.
  o <- order(tt, decreasing = TRUE)
  left <- c(); right <- c(); pl <- 0; pr <- 0
  for (j in o) {
    if (pl <= pr) { left <- c(left, j); pl <- pl + log(tt[j] + 1) }
    else { right <- c(right, j); pr <- pr + log(tt[j] + 1) }
  }
  half <- function(idx) {
    g <- expand.grid(lapply(tt[idx], function(t) 0:t))
    v <- numeric(nrow(g))
    for (k in seq_along(idx)) v <- v + lchoose(tt[idx[k]], g[[k]])
    list(s = rowSums(g), v = v)
  }
  a <- half(left); b <- half(right)
  total <- 0
  for (sb in sort(unique(b$s))) {
    sa <- m1 - sb
    ia <- which(a$s == sa)
    if (length(ia) == 0) next
    vb <- sort(b$v[b$s == sb])
    top <- max(vb)
    cw <- cumsum(exp(vb - top))
    k <- findInterval(lim - a$v[ia], vb)
    ok <- k > 0
    total <- total + sum(exp(a$v[ia][ok] + log(cw[k[ok]]) + top - lchoose(n, m1)))
  }
  min(1, total)
}

fexact <- function(m) {
  for (ws in c(200000, 2e7)) {
    p <- tryCatch(fisher.test(m, workspace = ws)$p.value, error = function(e) NA)
    if (!is.na(p)) return(list(p = p, workspace = ws))
  }
  list(p = NA, workspace = NA)
}

exact_case <- function(name, m) {
  f <- fexact(m)
  two <- nrow(m) == 2 || ncol(m) == 2
  if (two) {
    pe <- enumerate_2row(if (nrow(m) == 2) m else t(m))
    if (!is.na(f$p)) {
      if (abs(pe / f$p - 1) > 1e-9) stop(sprintf("%s: enumeration %.15g, fisher.test %.15g", name, pe, f$p))
    }
  }
  if (!is.na(f$p)) {
    list(name = name, table = mat_rows(m), p_value = f$p, source = "fisher.test", workspace = f$workspace)
  } else {
    if (!two) stop(sprintf("%s: FEXACT failed and no enumeration for r x c", name))
    list(name = name, table = mat_rows(m), p_value = pe, source = "enumeration", workspace = NA)
  }
}

# Cluster x case-status shapes: 2 x 8 with n about 300.
tabs <- list(
  cluster_2x8_balanced = rbind(c(10, 12, 8, 15, 9, 14, 11, 13), c(25, 22, 30, 20, 28, 21, 24, 14)),
  cluster_2x8_large_p = rbind(c(45, 40, 35, 30, 25, 20, 15, 10), c(5, 10, 8, 7, 6, 5, 4, 1)),
  cluster_2x8_assoc = rbind(c(3, 20, 5, 30, 2, 12, 8, 10), c(40, 15, 35, 10, 30, 25, 20, 11)),
  cluster_2x8_strong = rbind(c(1, 2, 0, 40, 3, 25, 10, 9), c(60, 50, 20, 5, 30, 10, 8, 3))
)
tabs$cluster_8x2_transposed <- t(tabs$cluster_2x8_balanced)
# Seeded 2 x 8 tables like a clustering of ~300 rows with a third cases:
# cluster sizes from a broken stick, case share varying a little by cluster.
set.seed(20261201)
for (i in 1:6) {
  size <- as.vector(rmultinom(1, sample(270:320, 1), prob = runif(8, 0.3, 1)))
  size[size == 0] <- 1
  pcase <- plogis(qlogis(1 / 3) + rnorm(8, 0, c(0.15, 0.3, 0.45)[(i - 1) %% 3 + 1]))
  cases <- rbinom(8, size, pcase)
  tabs[[sprintf("cluster_2x8_random_%d", i)]] <- rbind(cases, size - cases)
}
# Sparse tables.
tabs$sparse_2x8 <- rbind(c(0, 1, 3, 0, 2, 1, 0, 4), c(2, 0, 1, 5, 0, 3, 1, 0))
tabs$sparse_2x10 <- rbind(c(1, 0, 0, 3, 2, 0, 1, 4, 0, 2), c(0, 4, 2, 0, 1, 5, 0, 1, 3, 0))
tabs$sparse_9x2 <- cbind(c(0, 2, 1, 0, 5, 1, 0, 2, 3), c(3, 0, 1, 4, 0, 2, 6, 1, 0))
# 2 x 10, n = 344: FEXACT needs workspace = 2e7 (and seconds).
tabs$cluster_2x10 <- rbind(c(10, 12, 8, 15, 9, 14, 11, 13, 12, 10), c(25, 22, 30, 20, 28, 21, 24, 14, 20, 26))
# General r x c.
tabs$rxc_3x6 <- rbind(c(8, 3, 5, 2, 4, 9), c(2, 6, 1, 3, 7, 5), c(4, 4, 6, 2, 3, 1))
tabs$rxc_4x4 <- rbind(c(3, 5, 2, 7), c(6, 2, 4, 1), c(2, 8, 3, 5), c(5, 1, 6, 2))
tabs$rxc_5x3_sparse <- rbind(c(0, 3, 1), c(2, 0, 0), c(1, 1, 4), c(0, 2, 0), c(3, 0, 1))
tabs$rxc_3x3_ties <- rbind(c(2, 2, 2), c(2, 2, 2), c(2, 2, 2))

exact_cases <- lapply(names(tabs), function(nm) exact_case(nm, tabs[[nm]]))

# Monte-Carlo: tables with known exact p-values, a wide one whose exact
# p-value R cannot find, and ("big_") three beyond the exact limit of both
# R's workspace = 2e7 and Go's default work bound.
mc_case <- function(name, m, exact = NULL) {
  set.seed(1)
  sim <- fisher.test(m, simulate.p.value = TRUE, B = 2000)$p.value
  out <- list(name = name, table = mat_rows(m), replicates = 2000, sim_p_value = sim)
  if (!is.null(exact)) out$exact_p_value <- exact
  out
}
ex <- setNames(lapply(exact_cases, function(e) e$p_value), names(tabs))
mc_cases <- list(
  mc_case("cluster_2x8_balanced", tabs$cluster_2x8_balanced, ex$cluster_2x8_balanced),
  mc_case("cluster_2x8_random_2", tabs$cluster_2x8_random_2, ex$cluster_2x8_random_2),
  mc_case("cluster_2x10", tabs$cluster_2x10, ex$cluster_2x10),
  mc_case("rxc_3x6", tabs$rxc_3x6, ex$rxc_3x6),
  mc_case("rxc_4x4", tabs$rxc_4x4, ex$rxc_4x4),
  mc_case("big_4x4_n3400", rbind(c(300, 200, 250, 100), c(200, 300, 100, 250),
                                 c(250, 100, 300, 200), c(100, 250, 200, 300))),
  mc_case("wide_2x14_n700", rbind(c(20, 25, 30, 22, 28, 24, 26, 21, 27, 23, 29, 25, 22, 28),
                                  c(28, 24, 21, 27, 23, 26, 25, 28, 22, 27, 24, 23, 26, 22))),
  mc_case("big_2x16_n800", rbind(c(20, 25, 30, 22, 28, 24, 26, 21, 27, 23, 29, 25, 22, 28, 30, 20),
                                 c(28, 24, 21, 27, 23, 26, 25, 28, 22, 27, 24, 23, 26, 22, 18, 31))),
  mc_case("big_2x14_assoc", rbind(c(15, 25, 30, 12, 28, 24, 36, 21, 27, 13, 29, 25, 22, 28),
                                  c(28, 24, 21, 27, 23, 26, 25, 28, 22, 27, 24, 23, 26, 22))),
  # The same with a small cluster, so that an expected count is below 5 and
  # the cluster command's membership test is Fisher's.
  mc_case("big_2x15_sparse", rbind(c(15, 25, 30, 12, 28, 24, 36, 21, 27, 13, 29, 25, 22, 28, 1),
                                   c(28, 24, 21, 27, 23, 26, 25, 28, 22, 27, 24, 23, 26, 22, 4)))
)

# Every 3 x 3 table with rows (4, 5, 6) and columns (3, 5, 7), with its
# probability prod r! prod c! / (n! prod x!).
rows <- c(4, 5, 6); cols <- c(3, 5, 7); n <- sum(rows)
tables <- list(); probs <- c()
for (a in 0:3) for (b in 0:4) {
  c1 <- rows[1] - a - b
  if (c1 < 0 || c1 > cols[3]) next
  for (d in 0:(cols[1] - a)) for (e in 0:(cols[2] - b)) {
    f <- rows[2] - d - e
    if (f < 0 || f > cols[3] - c1) next
    g <- cols[1] - a - d; h <- cols[2] - b - e; k <- cols[3] - c1 - f
    if (g < 0 || h < 0 || k < 0 || g + h + k != rows[3]) next
    x <- c(a, b, c1, d, e, f, g, h, k)
    tables[[length(tables) + 1]] <- x
    probs <- c(probs, exp(sum(lfactorial(rows)) + sum(lfactorial(cols)) - lfactorial(n) - sum(lfactorial(x))))
  }
}
stopifnot(abs(sum(probs) - 1) < 1e-12)
draws <- 20000
# Cells with an expected count below 5 are pooled into one; the check
# rejects at level 1e-4.
small <- draws * probs < 5
df <- sum(!small) + (sum(small) > 0) - 1
patefield <- list(rows = rows, cols = cols, draws = draws,
                  tables = tables, probs = probs,
                  critical = qchisq(1 - 1e-4, df), df = df)

write_json(list(exact = exact_cases, monte_carlo = mc_cases, patefield = patefield),
           file.path(out_dir, "fisher_rxc.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
