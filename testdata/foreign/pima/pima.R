# Foreign-data reference: the Pima Indians diabetes data of MASS
# (Pima.tr and Pima.te together: the 532 women with complete records) as a
# user's CSV.
# Shape: the outcome is text, type = No / Yes, as R has it; the schema
# reads it as a boolean with trueValues "Yes" and falseValues "No".
#
# Rerun from the repository root:
#   Rscript testdata/foreign/pima/pima.R
# Writes pima.csv and pima.json (pima.schema.json is edited by hand).
source("testdata/foreign/common.R")
d <- rbind(MASS::Pima.tr, MASS::Pima.te)
d <- data.frame(id = sprintf("P%03d", seq_len(nrow(d))), d)
d$type <- as.character(d$type)
write.csv(d, "testdata/foreign/pima/pima.csv", row.names = FALSE)
foreign_reference("pima", "MASS::Pima.tr + MASS::Pima.te",
                  "Yes/No outcome as text (type)")
