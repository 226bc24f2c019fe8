# Reference values for cluster.Silhouette, cluster.SilhouetteDiss and
# cluster.CalinskiHarabasz: cluster::silhouette(cl, dist(X)) and fpc::calinhara.
# Rerun from the repo root:  Rscript testdata/reference/cluster/validity.R
# Writes testdata/reference/cluster/validity.json (inputs included).
suppressMessages({library(jsonlite); library(cluster); library(fpc)})
out_dir <- "testdata/reference/cluster"
source(file.path(out_dir, "fulljson.R"))

datasets <- list(
  iris = scale(as.matrix(iris[, 1:4])),
  usarrests = scale(as.matrix(USArrests))
)
cases <- list()
for (dn in names(datasets)) {
  x <- datasets[[dn]]
  dimnames(x) <- NULL
  for (k in 2:5) {
    set.seed(500 + k)
    cl <- kmeans(x, k, nstart = 10)$cluster
    parts <- list(kmeans = unname(cl))
    # a partition with a singleton cluster (silhouette width 0 by definition)
    sg <- unname(cl); sg[1] <- k + 1L
    parts$singleton <- sg
    for (pn in names(parts)) {
      p <- parts[[pn]]
      s <- silhouette(p, dist(x))
      sm <- summary(s)
      cases[[length(cases) + 1]] <- list(
        dataset = dn, k = length(unique(p)), partition = pn, cluster = p,
        sil_width = unname(s[, "sil_width"]), neighbor = unname(s[, "neighbor"]),
        clus_avg_widths = unname(sm$clus.avg.widths), avg_width = sm$avg.width,
        calinhara = calinhara(x, p))
    }
  }
}

# dissimilarity-based silhouette: Gower on cluster::flower with a pam partition
dflower <- daisy(flower, metric = "gower")
pf <- pam(dflower, 3)
sf <- silhouette(pf$clustering, dflower)
diss_case <- list(d = unname(as.matrix(dflower)), cluster = unname(pf$clustering),
                  sil_width = unname(sf[, "sil_width"]), neighbor = unname(sf[, "neighbor"]),
                  clus_avg_widths = unname(summary(sf)$clus.avg.widths),
                  avg_width = summary(sf)$avg.width)

res <- list(r_version = R.version.string,
            data = lapply(datasets, function(x) { dimnames(x) <- NULL; x }),
            cases = cases, diss_case = diss_case)
write_full(res, file.path(out_dir, "validity.json"))
