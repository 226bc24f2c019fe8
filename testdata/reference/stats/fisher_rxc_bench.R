# R timings for the Go benchmarks of Fisher's r x c test in
# stats/fisher_rxc_test.go (not reference values). Rerun from the repository
# root after fisher_rxc.R:
#   Rscript testdata/reference/stats/fisher_rxc_bench.R
# Prints, and writes to fisher_rxc_bench.json, the seconds per call of
# fisher.test with the default workspace (200000) and with workspace = 2e7
# ("failed" where FEXACT gives up), and of simulate.p.value = TRUE, B = 2000.
suppressPackageStartupMessages(library(jsonlite))
out_dir <- file.path("testdata", "reference", "stats")
ref <- fromJSON(file.path(out_dir, "fisher_rxc.json"), simplifyVector = FALSE)
as_mat <- function(rows) do.call(rbind, lapply(rows, unlist))

per_call <- function(expr_fun) {
  # Repeat until 0.5 s have passed (at least once), return seconds per call.
  n <- 0; t0 <- proc.time()[["elapsed"]]
  repeat {
    ok <- tryCatch({ expr_fun(); TRUE }, error = function(e) FALSE)
    if (!ok) return(NA)
    n <- n + 1
    el <- proc.time()[["elapsed"]] - t0
    if (el >= 0.5) return(el / n)
  }
}

wanted <- c("cluster_2x8_balanced", "cluster_2x8_random_6", "cluster_2x8_assoc",
            "cluster_2x10", "rxc_3x6", "rxc_4x4")
cases <- Filter(function(c) c$name %in% wanted, ref$exact)
big <- Filter(function(c) c$name == "wide_2x14_n700", ref$monte_carlo)
rows <- list()
for (c in c(cases, big)) {
  m <- as_mat(c$table)
  t_def <- per_call(function() fisher.test(m))
  t_ws <- per_call(function() fisher.test(m, workspace = 2e7))
  t_sim <- per_call(function() fisher.test(m, simulate.p.value = TRUE, B = 2000))
  fmt <- function(t) if (is.na(t)) "failed" else sprintf("%.3g s", t)
  cat(sprintf("%-24s default %-10s workspace=2e7 %-10s simulate B=2000 %s\n",
              c$name, fmt(t_def), fmt(t_ws), fmt(t_sim)))
  rows[[length(rows) + 1]] <- list(name = c$name, default_workspace_s = t_def,
                                   workspace_2e7_s = t_ws, simulate_2000_s = t_sim)
}
write_json(list(r_version = R.version.string, timings = rows),
           file.path(out_dir, "fisher_rxc_bench.json"), digits = NA, auto_unbox = TRUE,
           pretty = TRUE, na = "null")
