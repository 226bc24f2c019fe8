# Foreign-data reference: the Pima Indians diabetes data of MASS
# (Pima.tr and Pima.te together: the 532 women with complete records) as a
# user's CSV.
# Shape: the outcome is text, type = No / Yes, as R has it. Until ccstudy
# reads a two-level text outcome, the CSV also carries the 0/1 column
# diabetic (1 = Yes) and the schema marks that one as the outcome.
#
# Rerun from the repository root:
#   Rscript testdata/foreign/pima/pima.R
# Writes pima.csv and pima.json (pima.schema.json is edited by hand).
source("testdata/foreign/common.R")
d <- rbind(MASS::Pima.tr, MASS::Pima.te)
d <- data.frame(id = sprintf("P%03d", seq_len(nrow(d))), d)
d$type <- as.character(d$type)
d$diabetic <- as.integer(d$type == "Yes")
write.csv(d, "testdata/foreign/pima/pima.csv", row.names = FALSE)
foreign_reference("pima", "MASS::Pima.tr + MASS::Pima.te",
                  "Yes/No outcome as text (type), with the 0/1 column diabetic")
