# Reference values for cluster.ClusterBoot: fpc::clusterboot(x, B = 200,
# bootmethod = "boot", clustermethod = kmeansCBI / pamkCBI, krange = k).
# The original partition R found is stored and fed to Go, so only the
# bootstrap draws differ between R and Go (Monte-Carlo comparison).
# Rerun from the repo root:  Rscript testdata/reference/cluster/clusterboot.R
# Writes testdata/reference/cluster/clusterboot.json (inputs included).
suppressMessages({library(jsonlite); library(fpc)})
out_dir <- "testdata/reference/cluster"
source(file.path(out_dir, "fulljson.R"))

run <- function(dn, x, method, k, seed) {
  cbm <- switch(method, kmeans = kmeansCBI, pam = pamkCBI)
  cb <- clusterboot(x, B = 200, bootmethod = "boot", clustermethod = cbm,
                    krange = k, seed = seed, count = FALSE)
  list(dataset = dn, x = x, method = method, k = k, B = 200,
       partition = unname(cb$partition), bootmean = cb$bootmean,
       bootbrd = cb$bootbrd, bootrecover = cb$bootrecover)
}
iris_x <- scale(as.matrix(iris[, 1:4])); dimnames(iris_x) <- NULL
usa_x <- scale(as.matrix(USArrests)); dimnames(usa_x) <- NULL
cases <- list(
  run("iris", iris_x, "kmeans", 3, 11),
  run("usarrests", usa_x, "kmeans", 2, 12),
  run("usarrests", usa_x, "kmeans", 4, 13),
  run("usarrests", usa_x, "pam", 3, 14))
res <- list(r_version = R.version.string, cases = cases)
write_full(res, file.path(out_dir, "clusterboot.json"))
