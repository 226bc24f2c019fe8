# Is the slope the calibration counts as "true" the one a logistic fit to a
# case-control SAMPLE of this DGP estimates (its pseudo-true value)?
# testdata/calibration.md scores each 95% interval against
# refstudy.TrueCoefficients; if case status, the covariates' distributions,
# the capping of dev_years at 40, the rounding of rd_expenditure or the
# case-control sampling from a finite population moved the sample's slopes
# away from those values, the coverage would be judged against the wrong
# truth. One very large study of the same DGP answers it: its glm slopes
# are the pseudo-true values up to an SE far smaller than the small-sample
# bias and interval widths in question.
#
# Rerun from the repository root (needs Go and jsonlite; about a minute):
#   nice -n 10 Rscript testdata/reference/calibration/pseudotrue.R
# It draws the study with `ccstudy simulate` (the same Simulate as every
# calibration study, only larger) into a temporary folder and writes
# testdata/reference/calibration/pseudotrue.json: per slope the DGP's
# value, glm's estimate and SE, and the z of the difference; and the joint
# Wald test that all 16 slopes equal the DGP's (vcov of the fit, also
# written, in the order of slopes).
# TestPseudoTrueSlopes (internal/refstudy/calibration_r_test.go) reads it.
suppressPackageStartupMessages(library(jsonlite))
out <- "testdata/reference/calibration/pseudotrue.json"
seed <- 20211L; population <- 2000000L; cases <- 150000L; controls <- 150000L
dir <- tempfile("ccstudy-pseudotrue-")
status <- system2("go", c("run", "./cmd/ccstudy", "simulate", "--seed", seed, "--population", population,
                          "--cases", cases, "--controls", controls, "--products", "none", "--out-dir", dir))
if (status != 0) stop("ccstudy simulate failed")
# The DGP's slopes, by R's model.matrix names, from the same Go test
# helper the calibration dump uses (a 1-study dump writes truth.json).
tdir <- tempfile("ccstudy-truth-")
status <- system2("go", c("test", "-count=1", "-run", "^TestCalibrationDump$", "./internal/refstudy",
                          "-args", "-calibrate.n=1", paste0("-calibrate.dump=", tdir)))
if (status != 0) stop("go test -run TestCalibrationDump failed")
truth <- fromJSON(file.path(tdir, "truth.json"))

schema <- fromJSON("internal/refstudy/schemas/companies.json", simplifyVector = FALSE)
d <- read.csv(file.path(dir, "companies.csv"), na.strings = c("", "NA"))
for (f in schema$fields) if (!is.null(f$categories))
  d[[f$name]] <- factor(d[[f$name]], levels = vapply(f$categories, function(c) c$value, ""))
m <- glm(case ~ company_type + founder_background + rd_leader_background + dev_years +
           log(rd_expenditure) + listed + product_source + novelty + orphan_drug +
           company_type:novelty + listed:orphan_drug, binomial, d,
         control = glm.control(epsilon = 1e-14, maxit = 100))
if (!m$converged) stop("glm did not converge")
k <- match(truth$term, names(coef(m)))
if (anyNA(k)) stop("a DGP slope is not a column of the fit: ", paste(truth$term[is.na(k)], collapse = ", "))
est <- unname(coef(m)[k]); V <- vcov(m)[k, k]; se <- sqrt(diag(V))
diff <- est - truth$log_or
chisq <- drop(t(diff) %*% solve(V, diff))
unlink(c(dir, tdir), recursive = TRUE)
write_json(list(seed = seed, population = population, cases = cases, controls = controls, rows = nrow(d),
                slopes = data.frame(term = truth$term, log_or = truth$log_or, estimate = est, se = se, z = diff / se, row.names = NULL),
                vcov = unname(V),
                joint = list(chisq = chisq, df = length(k), p = pchisq(chisq, length(k), lower.tail = FALSE)),
                r_version = R.version.string),
           out, digits = NA, auto_unbox = TRUE, pretty = TRUE)
