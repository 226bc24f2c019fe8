# Foreign-data reference: survival::veteran (Veterans' Administration lung
# cancer trial) as a user's CSV, 137 patients, with a Chinese schema.
# Shapes: sparse strata: 128 of 137 died, so each cell type has one to
# four survivors; treatment coded 1/2 and prior therapy coded 0/10 (integer
# codes as categories); Chinese titles and category labels in the schema.
# The outcome is R's status (1 = dead, 0 = censored) as it is.
#
# Rerun from the repository root:
#   Rscript testdata/foreign/veteran/veteran.R
# Writes veteran.csv and veteran.json (veteran.schema.json is edited by hand).
source("testdata/foreign/common.R")
d <- survival::veteran
d <- data.frame(id = sprintf("V%03d", seq_len(nrow(d))), d[, c("status", "time", "trt", "celltype", "karno", "diagtime", "age", "prior")])
d$celltype <- as.character(d$celltype)
write.csv(d, "testdata/foreign/veteran/veteran.csv", row.names = FALSE)
foreign_reference("veteran", "survival::veteran",
                  "sparse strata: 9 survivors in 137; Chinese labels in the schema")
