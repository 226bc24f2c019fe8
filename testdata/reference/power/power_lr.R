# R's side of `ccstudy power --test lr` and `--test firth-lr` on the
# reference design: the same simulated studies, tested by R.
#
# Rerun from the repository root (needs Go to draw the studies, and
# jsonlite):
#   Rscript testdata/reference/power/power_lr.R
# It runs `go test ./internal/analysis -run TestPowerLRDump` to write the
# first 200 studies of `ccstudy power --model dgp` (90 cases, 90 controls,
# the default seed 20211; study j is SimulatePower's study j) as design
# matrices (x1 = intercept, …, y) with the term structure (design.json),
# then for each study and each term of the true model (all columns of a
# factor together):
#   - lr: glm of y on the full design and on the design without the term's
#     columns, anova(reduced, full, test = "LRT")'s p-value. A study fails
#     (not significant for every term) when the full glm errs, has an NA
#     (aliased) coefficient, does not converge or warns of fitted
#     probabilities numerically 0 or 1, ccstudy's rule; a reduced fit that
#     fails by the same rule leaves that term's p NA (not significant).
#   - firth-lr: Firth's penalized likelihood from its definition
#     (testdata/reference/logit/firth/penalized_profile.R; logistf is not
#     packaged): pl_max of the full design, pl_max with the term's columns
#     fixed at 0 (from the full estimate, as logistftest), PLR = 2 (pl_full
#     - pl_constrained) ~ chi-square(columns), logistf's anova method
#     "nested". A study fails when the design is rank-deficient.
# Output: power_lr.json, per-study p-values (terms in design.json's order)
# and per term the number of studies with p < alpha.
suppressPackageStartupMessages(library(jsonlite))
source("testdata/reference/logit/firth/penalized_profile.R")
out <- "testdata/reference/power/power_lr.json"
dir <- tempfile("ccstudy-power-")
status <- system2("go", c("test", "-count=1", "-run", "^TestPowerLRDump$", "./internal/analysis",
                          "-args", paste0("-power.dump=", dir)))
if (status != 0) stop("go test -run TestPowerLRDump failed")
des <- fromJSON(file.path(dir, "design.json"))
alpha <- des$alpha
groups <- des$groups[-1]
cols <- lapply(seq_along(groups), function(g) which(des$assign == g))
df <- vapply(cols, length, 1L)

# fit_ok is glm with ccstudy's failure rule: NULL on an error, an NA
# coefficient, no convergence or the fitted-0-or-1 warning.
fit_ok <- function(X, y) {
  d <- data.frame(y = y)
  d$X <- X
  tryCatch(withCallingHandlers({
    m <- glm(y ~ 0 + X, family = binomial, data = d)
    if (!m$converged || anyNA(coef(m))) stop("failed")
    m
  }, warning = function(w) stop("failed")), error = function(e) NULL)
}

lr_study <- function(X, y) {
  full <- fit_ok(X, y)
  if (is.null(full)) return(list(failed = TRUE, p = rep(NA_real_, length(groups))))
  p <- vapply(cols, function(cj) {
    red <- fit_ok(X[, -cj, drop = FALSE], y)
    if (is.null(red)) return(NA_real_)
    anova(red, full, test = "LRT")[2, "Pr(>Chi)"]
  }, 0)
  list(failed = FALSE, p = p)
}

firth_study <- function(X, y) {
  if (qr(X, tol = 1e-7)$rank < ncol(X)) return(list(failed = TRUE, p = rep(NA_real_, length(groups))))
  full <- pl_max(X, y, rep(0, ncol(X)))
  p <- vapply(cols, function(cj) {
    start <- full$beta
    start[cj] <- 0
    con <- pl_max(X, y, start, cj, rep(0, length(cj)))
    pchisq(max(0, 2 * (full$value - con$value)), length(cj), lower.tail = FALSE)
  }, 0)
  list(failed = FALSE, p = p)
}

n <- des$studies
lr <- vector("list", n)
fi <- vector("list", n)
for (s in seq_len(n)) {
  d <- read.csv(file.path(dir, sprintf("study_%03d.csv", s - 1)))
  y <- d$y
  X <- as.matrix(d[, setdiff(names(d), "y")])
  lr[[s]] <- lr_study(X, y)
  fi[[s]] <- firth_study(X, y)
  if (s %% 20 == 0) cat("study", s, "\n")
}
summ <- function(r) {
  P <- t(vapply(r, function(x) x$p, numeric(length(groups))))
  list(failed = vapply(r, function(x) x$failed, TRUE), p = P,
       rejected = unname(colSums(!is.na(P) & P < alpha)))
}
res <- list(studies = n, cases = des$cases, controls = des$controls, seed = des$seed, alpha = alpha,
            terms = groups, df = df, lr = summ(lr), firth = summ(fi))
writeLines(toJSON(res, digits = NA, pretty = TRUE, auto_unbox = TRUE, na = "null"), out)
print(data.frame(term = groups, df = df, lr = res$lr$rejected, firth = res$firth$rejected))
