# Reference values for odds ratios per K units (`ccstudy logit --per
# VAR=K`, or the schema's "per"): the coefficient of x per K units is that
# of glm(y ~ I(x / K)), with its standard error and Wald interval
# (confint.default), on the synthetic reference study: dev_years per 5
# years in the default model.
#
# Rerun from the repository root:
#   Rscript testdata/reference/logitcmd/per.R
# Needs jsonlite. Writes per.json.
suppressPackageStartupMessages(library(jsonlite))
out_dir <- "testdata/reference/logitcmd"
schema <- fromJSON("internal/refstudy/schemas/companies.json", simplifyVector = FALSE)
d <- read.csv("testdata/companies.csv", na.strings = c("", "NA"))
for (f in schema$fields) if (!is.null(f$categories))
  d[[f$name]] <- factor(d[[f$name]], levels = vapply(f$categories, function(c) c$value, ""))
K <- 5
fit <- glm(case ~ company_type + founder_background + rd_leader_background + I(dev_years / K) +
             log(rd_expenditure) + listed + product_source + novelty + orphan_drug, binomial, d,
           control = glm.control(epsilon = 1e-14, maxit = 100))
term <- "I(dev_years/K)"
ci <- confint.default(fit)[term, ]
write_json(list(variable = "dev_years", per = K, estimate_per = unname(coef(fit)[term]),
                std_error_per = unname(summary(fit)$coefficients[term, 2]),
                conf_low_per = unname(ci[1]), conf_high_per = unname(ci[2]),
                odds_ratio_per = unname(exp(coef(fit)[term])), or_conf_low_per = unname(exp(ci[1])),
                or_conf_high_per = unname(exp(ci[2]))),
           file.path(out_dir, "per.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
