# Foreign-data reference: survival::pbc (Mayo Clinic primary biliary
# cholangitis, 1974-84) as a user's CSV, all 418 patients.
# Shapes: missing values (the 106 patients outside the randomized trial
# lack most laboratory values; chol is missing for 134), written "NA" as
# R does; a numeric code used as categories (edema 0 / 0.5 / 1); sex as
# R's text m/f; a cluster x case table at n = 284 complete cases with
# several numeric covariates, beyond the old exact-test cap.
# The outcome of the schema is death during follow-up (status == 2): the
# CSV carries R's status (0 censored, 1 transplant, 2 dead) and the 0/1
# column died derived from it, as a user would add it.
#
# Rerun from the repository root:
#   Rscript testdata/foreign/pbc/pbc.R
# Writes pbc.csv and pbc.json (pbc.schema.json is edited by hand).
source("testdata/foreign/common.R")
d <- survival::pbc
d$died <- as.integer(d$status == 2)
d <- d[, c("id", "time", "status", "died", "trt", "age", "sex", "ascites", "hepato", "spiders", "edema",
           "bili", "chol", "albumin", "copper", "alk.phos", "ast", "trig", "platelet", "protime", "stage")]
write.csv(d, "testdata/foreign/pbc/pbc.csv", row.names = FALSE, na = "NA")
foreign_reference("pbc", "survival::pbc",
                  "missing values; 284 complete cases for the model and the clustering")
