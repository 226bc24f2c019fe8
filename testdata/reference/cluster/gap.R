# Reference values for cluster.Gap: cluster::clusGap(x, FUNcluster = kmeans,
# K.max = 8, B = 500, d.power = 2, spaceH0 = "scaledPCA", nstart = 25) and
# cluster::maxSE with "Tib2001SEmax" and "firstSEmax".
# Rerun from the repo root:  Rscript testdata/reference/cluster/gap.R
# Writes testdata/reference/cluster/gap.json (inputs included).
suppressMessages({library(jsonlite); library(cluster)})
out_dir <- "testdata/reference/cluster"
source(file.path(out_dir, "fulljson.R"))

datasets <- list(
  usarrests = scale(as.matrix(USArrests)),
  iris = scale(as.matrix(iris[, 1:4]))
)
cases <- list()
for (dn in names(datasets)) {
  x <- datasets[[dn]]
  dimnames(x) <- NULL
  set.seed(2001)
  g <- clusGap(x, FUNcluster = kmeans, K.max = 8, B = 500, d.power = 2,
               spaceH0 = "scaledPCA", verbose = FALSE, nstart = 25)
  tab <- g$Tab
  cases[[length(cases) + 1]] <- list(
    dataset = dn, x = x, k_max = 8, B = 500, nstart = 25,
    log_w = unname(tab[, "logW"]), e_log_w = unname(tab[, "E.logW"]),
    gap = unname(tab[, "gap"]), se_sim = unname(tab[, "SE.sim"]),
    k_tibshirani = maxSE(tab[, "gap"], tab[, "SE.sim"], method = "Tibs2001SEmax"),
    k_first_se_max = maxSE(tab[, "gap"], tab[, "SE.sim"], method = "firstSEmax"))
}
# maxSE on fixed vectors (deterministic rule check, all methods used by Go)
set.seed(3)
maxse <- list()
for (i in 1:20) {
  f <- cumsum(rnorm(8, 0.1, 0.3)); se <- runif(8, 0.02, 0.3)
  maxse[[i]] <- list(f = f, se = se,
                     tibs = maxSE(f, se, "Tibs2001SEmax"), first = maxSE(f, se, "firstSEmax"))
}
res <- list(r_version = R.version.string, cases = cases, maxse = maxse)
write_full(res, file.path(out_dir, "gap.json"))
