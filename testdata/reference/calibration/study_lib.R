# Shared by calibration.R and coverage2000.R: the calibration's studies as
# TestCalibrationDump writes them, read with the schema's factor levels, and
# the true model they are fitted with. Sourced from the repository root.
library(jsonlite)

# dump_studies writes the first n studies of each DGP (true_%03d.csv,
# null_%03d.csv, truth.json) to a new temporary folder and returns it.
dump_studies <- function(n, prefix) {
  dir <- tempfile(prefix)
  status <- system2("go", c("test", "-count=1", "-run", "^TestCalibrationDump$", "./internal/refstudy",
                            "-args", paste0("-calibrate.n=", n), paste0("-calibrate.dump=", dir)))
  if (status != 0) stop("go test -run TestCalibrationDump failed")
  dir
}

schema <- fromJSON("internal/refstudy/schemas/companies.json", simplifyVector = FALSE)
as_levels <- function(d) {
  for (f in schema$fields) if (!is.null(f$categories))
    d[[f$name]] <- factor(d[[f$name]], levels = vapply(f$categories, function(c) c$value, ""))
  d
}
true_formula <- case ~ company_type + founder_background + rd_leader_background + dev_years +
  log(rd_expenditure) + listed + product_source + novelty + orphan_drug +
  company_type:novelty + listed:orphan_drug
interactions <- c("company_type:novelty", "listed:orphan_drug")

# separated: glm's coefficients keep growing when given more iterations
# (the check used instead of lpSolve, which fails on these programs).
separated <- function(formula, d) {
  g <- function(maxit, eps) suppressWarnings(glm(formula, binomial, d, control = glm.control(maxit = maxit, epsilon = eps)))
  any(abs(coef(g(50, 1e-300))) - abs(coef(g(25, 1e-8))) > 1, na.rm = TRUE)
}

# read_study reads study i of kind "true" or "null" from the folder dir
# of the calling script.
read_study <- function(kind, i) as_levels(read.csv(file.path(dir, sprintf("%s_%03d.csv", kind, i)), na.strings = c("", "NA")))
