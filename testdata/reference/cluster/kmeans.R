# Reference values for cluster.KMeans (Hartigan-Wong and Lloyd) and
# cluster.Standardize.
# Rerun from the repo root:  Rscript testdata/reference/cluster/kmeans.R
# Writes testdata/reference/cluster/kmeans.json (inputs included).
suppressMessages(library(jsonlite))
out_dir <- "testdata/reference/cluster"
source(file.path(out_dir, "fulljson.R"))

run_km <- function(x, centers, algorithm, iter.max) {
  warns <- character(0)
  km <- withCallingHandlers(
    kmeans(x, centers = centers, iter.max = iter.max, algorithm = algorithm),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  list(cluster = unname(km$cluster), centers = unname(km$centers),
       withinss = km$withinss, tot_withinss = km$tot.withinss,
       betweenss = km$betweenss, totss = km$totss, size = km$size,
       iter = km$iter, ifault = if (is.null(km$ifault)) 0L else km$ifault,
       warnings = I(warns))
}

datasets <- list(
  iris = scale(as.matrix(iris[, 1:4])),
  usarrests = scale(as.matrix(USArrests))
)

fixed <- list()
best <- list()
for (dn in names(datasets)) {
  x <- datasets[[dn]]
  dimnames(x) <- NULL
  ux <- !duplicated(x)
  for (k in 2:6) {
    for (s in 1:3) {
      set.seed(1000 * k + s)
      idx <- sample(which(ux), k)          # distinct rows as starting centres
      for (alg in c("Hartigan-Wong", "Lloyd")) {
        r <- run_km(x, x[idx, , drop = FALSE], alg, 10L)
        fixed[[length(fixed) + 1]] <- c(list(dataset = dn, k = k, start = idx,
          algorithm = alg, iter_max = 10L), r)
      }
    }
    set.seed(42 + k)
    kb <- kmeans(x, k, nstart = 100)
    best[[length(best) + 1]] <- list(dataset = dn, k = k, nstart = 100,
                                     tot_withinss = kb$tot.withinss)
  }
  # non-convergence: iter.max = 1
  set.seed(7)
  idx <- sample(which(ux), 5)
  for (alg in c("Hartigan-Wong", "Lloyd")) {
    r <- run_km(x, x[idx, , drop = FALSE], alg, 1L)
    fixed[[length(fixed) + 1]] <- c(list(dataset = dn, k = 5L, start = idx,
      algorithm = alg, iter_max = 1L), r)
  }
}

# Standardize references: scale() and range scaling on USArrests and iris.
std <- list()
for (dn in c("usarrests", "iris")) {
  raw <- if (dn == "usarrests") as.matrix(USArrests) else as.matrix(iris[, 1:4])
  dimnames(raw) <- NULL
  z <- scale(raw)
  rng <- apply(raw, 2, function(v) (v - min(v)) / (max(v) - min(v)))
  std[[dn]] <- list(x = raw, z = unname(z), center = unname(attr(z, "scaled:center")),
                    scale = unname(attr(z, "scaled:scale")), range = rng)
}

res <- list(
  r_version = R.version.string,
  data = lapply(datasets, function(x) { dimnames(x) <- NULL; x }),
  fixed = fixed, best = best, standardize = std)
write_full(res, file.path(out_dir, "kmeans.json"))
