# Foreign-data reference: AER::ProgramEffectiveness (Spector & Mazzeo 1980,
# the PSI teaching method; Greene's logit example) as a user's CSV.
# Shape: tiny, n = 32 with 11 events; the outcome is text,
# grade = decrease / increase (the schema declares "event": "increase"),
# and the exposure is text no / yes.
#
# Rerun from the repository root:
#   Rscript testdata/foreign/programeffectiveness/programeffectiveness.R
# Writes programeffectiveness.csv and programeffectiveness.json
# (programeffectiveness.schema.json is edited by hand).
source("testdata/foreign/common.R")
data("ProgramEffectiveness", package = "AER")
d <- ProgramEffectiveness
d <- data.frame(id = sprintf("S%02d", seq_len(nrow(d))), grade = as.character(d$grade),
                average = d$average,
                testscore = d$testscore, participation = as.character(d$participation))
write.csv(d, "testdata/foreign/programeffectiveness/programeffectiveness.csv", row.names = FALSE)
foreign_reference("programeffectiveness", "AER::ProgramEffectiveness",
                  "tiny: 32 students, 11 events; text outcome grade and text exposure participation")
