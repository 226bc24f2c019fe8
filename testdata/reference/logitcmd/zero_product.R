# Reference values for a design column that is 0 in every row although
# its level has rows: a numeric × factor product whose numeric part is 0
# throughout the level (here the number of pregnancies among women who
# have never been pregnant). R's glm reports NA for it and fits the other
# columns; ccstudy leaves it out with a warning and must match.
#
# Rerun from the repository root:
#   Rscript testdata/reference/logitcmd/zero_product.R
# Reads testdata/foreign/pima/pima.csv (MASS::Pima.tr + Pima.te as a
# user's CSV), adds `parous` (yes when npreg > 0; "yes" is the reference
# level, so the product column is npreg:parous[no]) and writes
# pima_parous.csv and zero_product.json next to this script.
suppressPackageStartupMessages(library(jsonlite))
here <- "testdata/reference/logitcmd"
d <- read.csv("testdata/foreign/pima/pima.csv")
d$parous <- factor(ifelse(d$npreg > 0, "yes", "no"), levels = c("yes", "no"))
write.csv(d, file.path(here, "pima_parous.csv"), row.names = FALSE)
d$type <- as.numeric(d$type == "Yes")
f <- type ~ npreg + parous + npreg:parous + glu + bmi
fit <- glm(f, binomial, d, control = glm.control(epsilon = 1e-14, maxit = 100))
s <- coef(summary(fit))
est <- coef(fit)
se <- rep(NA_real_, length(est)); names(se) <- names(est); se[rownames(s)] <- s[, 2]
write_json(list(formula = "type ~ npreg + parous + npreg:parous + glu + bmi", names = I(names(est)),
                estimate = unname(est), std_error = unname(se), deviance = fit$deviance,
                aliased = I(names(est)[is.na(est)])),
           file.path(here, "zero_product.json"), digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE)
