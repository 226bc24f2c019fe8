# Foreign-data reference: survival::lung (NCCTG advanced lung cancer) as a
# user's CSV, 228 patients.
# Shapes: a many-level factor, the enrolling institution inst (18 levels,
# several with one to four patients and some with no survivor: sparse
# strata); ph.ecog with a level held by one patient; R's dotted column
# names (ph.ecog, wt.loss); missing values written as empty cells, as a
# spreadsheet saves them. The outcome is death during follow-up: R's
# status is 1 = censored, 2 = dead, so the CSV adds the 0/1 column dead.
#
# Rerun from the repository root:
#   Rscript testdata/foreign/lung/lung.R
# Writes lung.csv and lung.json (lung.schema.json is edited by hand).
source("testdata/foreign/common.R")
d <- survival::lung
d <- data.frame(id = sprintf("L%03d", seq_len(nrow(d))), d, check.names = FALSE)
d$dead <- as.integer(d$status == 2)
d <- d[, c("id", "inst", "time", "status", "dead", "age", "sex", "ph.ecog", "ph.karno", "pat.karno",
           "meal.cal", "wt.loss")]
write.csv(d, "testdata/foreign/lung/lung.csv", row.names = FALSE, na = "")
foreign_reference("lung", "survival::lung",
                  "many-level factor inst (18 institutions), sparse levels, missing values as empty cells")
