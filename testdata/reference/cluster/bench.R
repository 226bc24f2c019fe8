# Timing reference for the Go benchmarks in cluster/bench_test.go, and their
# input: a 180 x 20 matrix (4 shifted Gaussian groups of 45 rows).
# Rerun from the repo root:  Rscript testdata/reference/cluster/bench.R
# Writes testdata/reference/cluster/bench.json (input + R timings, seconds
# per call, wall and CPU; machine-dependent, for the Go/R ratio only).
suppressMessages({library(jsonlite); library(cluster); library(fpc)})
out_dir <- "testdata/reference/cluster"
source(file.path(out_dir, "fulljson.R"))

set.seed(180)
x <- matrix(rnorm(180 * 20), 180, 20) + kronecker(diag(4), matrix(1.5, 45, 5))
# Both wall-clock and CPU (user + system) seconds per call: the machine is
# shared, and CPU time is the fairer figure for single-threaded R.
per_call <- function(n, expr) {
  t <- system.time(for (i in 1:n) eval.parent(substitute(expr)))
  list(elapsed = t[["elapsed"]] / n, cpu = (t[["user.self"]] + t[["sys.self"]]) / n)
}
t_km <- per_call(20, kmeans(x, 4, nstart = 25))
t_gap <- per_call(1, clusGap(x, FUNcluster = kmeans, K.max = 8, B = 500, d.power = 2,
                             verbose = FALSE, nstart = 25))
t_cb <- per_call(1, clusterboot(x, B = 200, bootmethod = "boot", clustermethod = kmeansCBI,
                                krange = 4, count = FALSE))
res <- list(r_version = R.version.string, x = x,
            seconds = list(kmeans_hw_nstart25_k4 = t_km,
                           clusgap_b500_kmax8_nstart25 = t_gap,
                           clusterboot_b200_kmeanscbi_k4 = t_cb))
write_full(res, file.path(out_dir, "bench.json"))
