# Reference for formulas with field names that clash with formula syntax
# (issue 15: a name with a backtick, "a:b" or literally "log(x)" broke the
# formulas ccstudy builds). For each formula: R's variables (all.vars,
# without the response) and term labels, whose backtick quoting and
# escaping (\` and \\) ccstudy's quoteRName must reproduce.
#
# Rerun from the repository root:
#   Rscript testdata/reference/design/quoted_names.R
# It rewrites testdata/reference/design/quoted_names.json. Requires jsonlite.

suppressPackageStartupMessages(library(jsonlite))

out_dir <- file.path("testdata", "reference", "design")
if (!dir.exists(out_dir)) stop("run from the repository root")

formulas <- c(
  "y ~ `a\\`b` + `c:d` + `log(x)` + log(`e f`) + `g\\\\h`",
  "y ~ `a:b` * `log(x)`",
  "y ~ (`x + y` + `1st` + z)^2",
  "y ~ `名字` + log(`a\\`b`) + `名字`:`c:d`",
  "y ~ `a*b` / `~`"
)
cases <- lapply(formulas, function(s) {
  f <- as.formula(s)
  list(formula = unbox(s), vars = all.vars(f)[-1],
       labels = attr(terms(f), "term.labels"))
})
write_json(cases, file.path(out_dir, "quoted_names.json"), digits = NA,
           auto_unbox = FALSE, pretty = TRUE)
