# Reference values for stats.Summarize on finite values whose sum
# overflows a double (issue 15: the mean of values near 1e308 showed as
# Inf). R's mean() accumulates in long double and refines the result with
# a second pass, and var() also works in long double, so its sd() is Inf
# only where the variance itself exceeds the double range.
#
# Rerun from the repository root:
#   Rscript testdata/reference/stats/overflow.R
# It rewrites testdata/reference/stats/overflow.json. Requires jsonlite.

suppressPackageStartupMessages(library(jsonlite))

out_dir <- file.path("testdata", "reference", "stats")
if (!dir.exists(out_dir)) stop("run from the repository root")

num <- function(v) if (is.finite(v)) v else as.character(v)
case <- function(name, x) {
  f <- x[!is.na(x)]
  list(name = name, x = x, n = length(f), missing = sum(is.na(x)),
       mean = num(mean(f)), sd = num(if (length(f) > 1) sd(f) else NA),
       median = num(median(f)),
       q1 = num(unname(quantile(f, 0.25, type = 7))),
       q3 = num(unname(quantile(f, 0.75, type = 7))),
       min = num(min(f)), max = num(max(f)))
}

# Just below .Machine$double.xmax, which jsonlite would round up past it
# when printing 15 significant digits.
m <- 1.79769313486231e308
cases <- list(
  case("two_near_max", c(1e308, 1.7e308)),
  case("equal_near_max", c(1e308, 1e308, 1e308)),
  case("mixed_sign", c(1.7e308, 1.7e308, -1e308)),
  case("near_xmax_and_small", c(m, m, 1, -3.5, 1e-300)),
  case("negative_near_max", c(-1.5e308, -1.6e308, -1.7e308, -1.1e308)),
  case("with_missing", c(1.2e308, NA, 1.3e308, 1.25e308))
)

write_json(list(summarize = cases), file.path(out_dir, "overflow.json"),
           digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "string")
