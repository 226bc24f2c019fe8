# R twin of `ccstudy power --from logit.json --cases 90 --controls 90` on
# the embedded SYNTHETIC reference study (testdata/companies.csv): the
# adjusted model is fitted with glm, covariate rows are resampled with
# replacement from the controls' model-matrix rows, each drawn row is a
# case with probability plogis(x'b) at the fitted coefficients, and rows
# are kept until the study has 90 cases and 90 controls (rejection). Each
# study is refitted with glm; a study fails (not significant for every
# term) on an error, an NA (aliased) coefficient, non-convergence, or a
# glm warning (fitted probabilities numerically 0 or 1). Power per term is
# the share of the 2000 studies with Wald p < 0.05; its MC SE is
# sqrt(p(1-p)/2000). Output: from_model.json.
# Run: Rscript testdata/reference/power/from_model.R (from the repo root or here)
suppressPackageStartupMessages(library(jsonlite))
root <- if (file.exists("testdata/companies.csv")) "." else "../../.."
here <- file.path(root, "testdata/reference/power")
d <- read.csv(file.path(root, "testdata/companies.csv"))
d$company_type <- factor(d$company_type, levels = c("biotech", "traditional"))
d$founder_background <- factor(d$founder_background, levels = c("returnee_scientist", "domestic_scientist", "business"))
d$rd_leader_background <- factor(d$rd_leader_background, levels = c("domestic", "overseas_academic", "overseas_mnc"))
d$product_source <- factor(d$product_source, levels = c("licensed_in", "co_development", "in_house"))
d$novelty <- factor(d$novelty, levels = c("me_too", "fast_follow", "first_in_class"))
f <- case ~ company_type + founder_background + rd_leader_background + dev_years + log(rd_expenditure) + listed + product_source + novelty + orphan_drug
fit <- glm(f, family = binomial, data = d)
b <- coef(fit)
X <- model.matrix(fit)[d$case == 0, ]
eta <- drop(X %*% b)
cases <- 90; controls <- 90; sims <- 2000; alpha <- 0.05
set.seed(20211)
draw <- function() {
  got1 <- integer(0); got0 <- integer(0)
  while (length(got1) < cases || length(got0) < controls) {
    i <- sample.int(nrow(X), 4 * (cases + controls), replace = TRUE)
    y <- runif(length(i)) < plogis(eta[i])
    got1 <- c(got1, i[y]); got0 <- c(got0, i[!y])
  }
  list(X = X[c(got1[1:cases], got0[1:controls]), ], y = rep(c(1, 0), c(cases, controls)))
}
sig <- matrix(FALSE, sims, length(b) - 1, dimnames = list(NULL, names(b)[-1]))
failed <- 0L
for (s in seq_len(sims)) {
  st <- draw()
  ok <- TRUE
  p <- tryCatch(withCallingHandlers({
    m <- glm.fit(st$X, st$y, family = binomial())
    if (!m$converged || anyNA(m$coefficients)) stop("failed")
    class(m) <- c("glm", "lm")
    coef(summary.glm(m))[, 4]
  }, warning = function(w) stop("failed")), error = function(e) NULL)
  if (is.null(p)) { failed <- failed + 1L; next }
  sig[s, ] <- p[-1] < alpha
}
pw <- colMeans(sig)
out <- list(cases = cases, controls = controls, sims = sims, alpha = alpha, failed = failed,
            coefficients = data.frame(term = names(b), estimate = unname(b)),
            power = data.frame(term = names(pw), power = unname(pw), mc_se = sqrt(pw * (1 - pw) / sims)))
writeLines(toJSON(out, digits = NA, pretty = TRUE, auto_unbox = TRUE), file.path(here, "from_model.json"))
cat("failed", failed, "of", sims, "\n"); print(round(pw, 3))
