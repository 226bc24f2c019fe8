# Reference for `ccstudy logit --strata` (conditional logistic regression)
# run end to end on R's infert data (matched case-control study: each case
# with up to two controls, matched on age, parity and education).
#
# Rerun from the repository root:
#   Rscript testdata/reference/logitcmd/clogit_reference.R
# Writes infert.csv (the data as a user's CSV) and clogit_infert.json.
suppressPackageStartupMessages({library(jsonlite); library(survival)})
out_dir <- "testdata/reference/logitcmd"
d <- datasets::infert
d$id <- sprintf("I%03d", seq_len(nrow(d)))
write.csv(d[, c("id", "stratum", "case", "spontaneous", "induced", "age", "parity", "education")],
          file.path(out_dir, "infert.csv"), row.names = FALSE)
fit <- clogit(case ~ spontaneous + induced + strata(stratum), data = d, method = "exact")
s <- summary(fit)$coefficients
ci <- confint(fit)
res <- list(names = I(names(coef(fit))), estimate = unname(coef(fit)), std_error = unname(s[, "se(coef)"]),
            statistic = unname(s[, "z"]), p_value = unname(s[, "Pr(>|z|)"]),
            conf_low = unname(ci[, 1]), conf_high = unname(ci[, 2]),
            loglik_null = fit$loglik[1], loglik = fit$loglik[2],
            lr_statistic = unname(summary(fit)$logtest["test"]), lr_df = unname(summary(fit)$logtest["df"]),
            lr_p_value = unname(summary(fit)$logtest["pvalue"]), n = fit$n, events = fit$nevent)
write_json(res, file.path(out_dir, "clogit_infert.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
