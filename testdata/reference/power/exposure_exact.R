# Exact power of the Wald test that `ccstudy power --exposure-or` simulates:
# with one binary exposure, a study is the pair (a, c) of exposed cases
# and exposed controls, a ~ Bin(cases, p1) and c ~ Bin(controls, p0)
# independently, and case ~ exposure is saturated, so glm's MLE and Wald
# statistic are those of the 2x2 table: log OR = log(a d / (b c)) with
# SE = sqrt(1/a + 1/b + 1/c + 1/d). A table with an empty cell has an
# infinite MLE (glm: a huge SE, never significant) and one without exposed
# or unexposed units an aliased column: neither counts as significant.
# Summing over every (a, c) gives the power without Monte-Carlo error.
# Run: Rscript testdata/reference/power/exposure_exact.R (from the repo root or here)
suppressPackageStartupMessages(library(jsonlite))
here <- if (dir.exists("testdata/reference/power")) "testdata/reference/power" else "."
exact_wald <- function(cases, controls, or, p0, alpha) {
  p1 <- or * p0 / (1 + p0 * (or - 1))
  a <- 0:cases; c <- 0:controls
  A <- matrix(a, length(a), length(c)); C <- matrix(c, length(a), length(c), byrow = TRUE)
  B <- cases - A; D <- controls - C
  ok <- A > 0 & B > 0 & C > 0 & D > 0
  z <- ifelse(ok, log(A * D / (B * C)) / sqrt(1 / A + 1 / B + 1 / C + 1 / D), 0)
  sig <- ok & abs(z) > qnorm(1 - alpha / 2)
  sum(outer(dbinom(a, cases, p1), dbinom(c, controls, p0)) * sig)
}
designs <- data.frame(
  or = c(2, 1.8, 0.5, 2, 3, 1.5),
  p0 = c(0.3, 0.2, 0.4, 0.3, 0.1, 0.5),
  cases = c(100, 150, 80, 50, 40, 200),
  controls = c(100, 300, 80, 100, 160, 200),
  alpha = c(0.05, 0.05, 0.05, 0.05, 0.01, 0.05))
designs$wald_exact <- mapply(exact_wald, designs$cases, designs$controls, designs$or, designs$p0, designs$alpha)
writeLines(toJSON(designs, digits = NA, pretty = TRUE), file.path(here, "exposure_exact.json"))
print(designs)
