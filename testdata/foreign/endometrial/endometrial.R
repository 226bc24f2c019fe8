# Foreign-data reference: brglm2::endometrial as a user's CSV.
# Shape: separated strata. Every patient with neovasculation (NV = 1) has a
# high histology grade (HG = 1): quasi-complete separation, the example of
# Heinze & Schemper (2002) for Firth's penalized likelihood. 79 rows.
#
# Rerun from the repository root:
#   Rscript testdata/foreign/endometrial/endometrial.R
# Writes endometrial.csv and endometrial.json (the schema
# endometrial.schema.json beside them is edited by hand).
source("testdata/foreign/common.R")
d <- brglm2::endometrial
d <- data.frame(id = sprintf("E%02d", seq_len(nrow(d))), d[, c("HG", "NV", "PI", "EH")])
write.csv(d, "testdata/foreign/endometrial/endometrial.csv", row.names = FALSE)
foreign_reference("endometrial", "brglm2::endometrial",
                  "quasi-complete separation: NV = 1 only among HG = 1")
