# The R tasks of bench/compare.sh, one per process so that /usr/bin/time
# measures each: Rscript bench/compare_r.R TASK ARGS (from the repo root).
#   read.csv FILE | fread FILE          read the 12-column CSV
#   logit FILE wald|profile             glm work of `ccstudy logit` (the
#                                       multivariable model and each
#                                       covariate alone, twin_lib.R)
#   kmeans CALLS                        kmeans(x, 4, nstart = 25), CALLS times
#   clusgap B                           clusGap(x, kmeans, K.max = 8, B, nstart = 25)
#   clusterboot B                       clusterboot(x, B, kmeansCBI, krange = 4)
# x is the 180 × 20 input of testdata/reference/cluster/bench.R, which the
# Go benchmarks of cluster/bench_test.go read too.
a <- commandArgs(trailingOnly = TRUE)
task <- a[1]
bench_x <- function() {
  x <- jsonlite::fromJSON("testdata/reference/cluster/bench.json")$x
  storage.mode(x) <- "double"
  x
}
invisible(switch(task,
  "read.csv" = { d <- read.csv(a[2], na.strings = c("", "NA")); stopifnot(ncol(d) == 12) },
  "fread" = {
    suppressPackageStartupMessages(library(data.table))
    d <- fread(a[2], nThread = 2, na.strings = c("", "NA")); stopifnot(ncol(d) == 12)
  },
  "logit" = {
    source("bench/twin_lib.R")
    suppressPackageStartupMessages(library(data.table))
    d <- as.data.frame(fread(a[2], nThread = 2))
    logit_all(d, "y", paste0("X", 1:9), a[3])
  },
  "kmeans" = {
    x <- bench_x(); set.seed(1)
    for (i in seq_len(as.integer(a[2]))) kmeans(x, 4, nstart = 25)
  },
  "clusgap" = {
    suppressPackageStartupMessages(library(cluster))
    x <- bench_x(); set.seed(1)
    clusGap(x, FUNcluster = kmeans, K.max = 8, B = as.integer(a[2]), d.power = 2, verbose = FALSE, nstart = 25)
  },
  "clusterboot" = {
    suppressPackageStartupMessages(library(fpc))
    x <- bench_x(); set.seed(1)
    clusterboot(x, B = as.integer(a[2]), bootmethod = "boot", clustermethod = kmeansCBI, krange = 4, count = FALSE)
  },
  stop("unknown task ", task)))
