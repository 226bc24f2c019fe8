# Closed-form power of an unmatched case-control study with one binary
# exposure, for stats.PowerSSCC (Go). Two references:
#  - schlesselman: Schlesselman (1982, eq. 6.2) / Fleiss' normal
#    approximation without continuity correction, written out below;
#  - epir: epiR::epi.sscc(method = "unmatched", n = total, power = NA).
# epi.sscc weights r (controls per case) on the case prevalence in its
# pooled proportion and variance, so it equals the Schlesselman formula
# only at r = 1; the Go test checks epiR at r = 1 and Schlesselman at all r.
# Run: Rscript testdata/reference/power/closed_form.R (from the repo root or here)
suppressPackageStartupMessages(library(epiR))
suppressPackageStartupMessages(library(jsonlite))
here <- if (dir.exists("testdata/reference/power")) "testdata/reference/power" else "."

schlesselman <- function(cases, controls, or, p0, alpha) {
  r <- controls / cases
  p1 <- or * p0 / (1 + p0 * (or - 1))
  pbar <- (p1 + r * p0) / (1 + r)
  z <- (abs(p1 - p0) * sqrt(cases) - qnorm(1 - alpha / 2) * sqrt((1 + 1 / r) * pbar * (1 - pbar))) /
    sqrt(p1 * (1 - p1) + p0 * (1 - p0) / r)
  pnorm(z)
}

grid <- expand.grid(or = c(0.5, 1.5, 2, 3), p0 = c(0.05, 0.3, 0.6),
                    cases = c(50, 200), ratio = c(1, 2, 4), alpha = c(0.05, 0.01))
rows <- lapply(seq_len(nrow(grid)), function(i) {
  g <- grid[i, ]
  controls <- g$cases * g$ratio
  e <- epi.sscc(OR = g$or, p0 = g$p0, n = g$cases + controls, power = NA, r = g$ratio,
                conf.level = 1 - g$alpha, sided.test = 2, method = "unmatched", nfractional = TRUE)
  data.frame(or = g$or, p0 = g$p0, cases = g$cases, controls = controls, alpha = g$alpha,
             schlesselman = schlesselman(g$cases, controls, g$or, g$p0, g$alpha),
             epir = e$power)
})
out <- do.call(rbind, rows)
writeLines(toJSON(out, digits = NA, pretty = TRUE), file.path(here, "closed_form.json"))

# Cases needed for a power (Schlesselman eq. 6.3, the inverse of the above),
# and epi.sscc's n.case at r = 1 (nfractional: no rounding).
schlesselman_n <- function(power, r, or, p0, alpha) {
  p1 <- or * p0 / (1 + p0 * (or - 1))
  pbar <- (p1 + r * p0) / (1 + r)
  (qnorm(1 - alpha / 2) * sqrt((1 + 1 / r) * pbar * (1 - pbar)) +
     qnorm(power) * sqrt(p1 * (1 - p1) + p0 * (1 - p0) / r))^2 / (p1 - p0)^2
}
ngrid <- expand.grid(power = c(0.5, 0.8, 0.9), or = c(0.5, 1.5, 2, 3), p0 = c(0.05, 0.3, 0.6),
                     ratio = c(1, 2, 4), alpha = c(0.05, 0.01))
nrows <- lapply(seq_len(nrow(ngrid)), function(i) {
  g <- ngrid[i, ]
  e <- epi.sscc(OR = g$or, p0 = g$p0, n = NA, power = g$power, r = 1, conf.level = 1 - g$alpha,
                sided.test = 2, method = "unmatched", nfractional = TRUE)
  data.frame(power = g$power, or = g$or, p0 = g$p0, ratio = g$ratio, alpha = g$alpha,
             schlesselman = schlesselman_n(g$power, g$ratio, g$or, g$p0, g$alpha),
             epir_r1 = e$n.case)
})
nout <- do.call(rbind, nrows)
writeLines(toJSON(nout, digits = NA, pretty = TRUE), file.path(here, "sample_size.json"))
cat("sample sizes:", nrow(nout), "rows; max rel |schlesselman - epir| at r = 1:",
    max(abs(nout$schlesselman / nout$epir_r1 - 1)[nout$ratio == 1]), "\n")
cat("wrote", nrow(out), "rows; max |schlesselman - epir| at r = 1:",
    max(abs(out$schlesselman - out$epir)[out$controls == out$cases]), "\n")
