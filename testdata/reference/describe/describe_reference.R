# Reference values for `ccstudy describe` (Table 1 and the products trend).
#
# Rerun from the repository root:
#   Rscript testdata/reference/describe/describe_reference.R
# It writes testdata/reference/describe/{companies,birthwt}.json, and
# birthwt.csv (MASS::birthwt as a user's own case-control CSV; its Table
# Schema birthwt.schema.json is committed beside it).
#
# The rule under test, as ccstudy states it under Table 1:
#   categorical: Pearson chi-square without continuity correction, or
#   Fisher's exact test when any expected count is below 5;
#   continuous: Welch t-test, or Wilcoxon rank-sum (normal approximation
#   with tie and continuity correction) for variables declared nonnormal.
# Percentages use the non-missing values of each group as denominator.
# SMD: tableone's formulas (continuous: |mean difference| / sqrt of the
# mean of the variances; categorical: Yang & Dalton), reproduced below
# because tableone is not packaged for this machine.
suppressPackageStartupMessages({library(jsonlite); library(MASS)})
out_dir <- "testdata/reference/describe"

MultinomialVar <- function(p) { covs <- -outer(p, p); diag(covs) <- p * (1 - p); drop(covs) }
smd_cat <- function(tab) { # rows = groups, cols = levels
  pt <- prop.table(tab, margin = 1)
  if (ncol(pt) > 1) pt <- pt[, -1, drop = FALSE]
  m <- lapply(seq_len(nrow(pt)), function(i) pt[i, ])
  S <- (MultinomialVar(m[[1]]) + MultinomialVar(m[[2]])) / 2
  d <- m[[1]] - m[[2]]
  sqrt(drop(t(d) %*% MASS::ginv(S) %*% t(t(d))))
}
smd_cont <- function(x, y) abs(mean(x) - mean(y)) / sqrt((var(x) + var(y)) / 2)

cont_summary <- function(x) {
  miss <- sum(is.na(x)); x <- x[!is.na(x)]
  if (length(x) == 0) return(list(n = 0, missing = miss))
  q <- quantile(x, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
  list(n = length(x), mean = mean(x), sd = if (length(x) > 1) sd(x) else NA,
       median = q[2], q1 = q[1], q3 = q[3], missing = miss)
}

describe_var <- function(v, g, name, levels = NULL, nonnormal = FALSE) {
  if (!is.null(levels)) {
    f <- factor(v, levels = levels)
    tab <- rbind(cases = table(f[g == 1]), controls = table(f[g == 0]))
    grp <- function(rows) { n <- as.numeric(colSums(tab[rows, , drop = FALSE])); list(n = n, percent = 100 * n / sum(n), missing = 0) }
    res <- list(variable = name, kind = "categorical", levels = levels,
                cases = grp("cases"), controls = grp("controls"), overall = grp(c("cases", "controls")))
    res$cases$missing <- sum(is.na(f[g == 1])); res$controls$missing <- sum(is.na(f[g == 0]))
    res$overall$missing <- sum(is.na(f))
    keep <- colSums(tab) > 0
    t2 <- tab[, keep, drop = FALSE]
    ct <- suppressWarnings(chisq.test(t2, correct = FALSE))
    if (any(ct$expected < 5)) {
      ft <- fisher.test(t2)
      res$test <- "fisher"; res$p_value <- ft$p.value
    } else {
      res$test <- "chisq"; res$statistic <- unname(ct$statistic); res$df <- unname(ct$parameter); res$p_value <- ct$p.value
    }
    res$smd <- smd_cat(tab)
    return(res)
  }
  x <- v[g == 1]; y <- v[g == 0]
  res <- list(variable = name, kind = "continuous",
              cases = cont_summary(x), controls = cont_summary(y), overall = cont_summary(v))
  x <- x[!is.na(x)]; y <- y[!is.na(y)]
  if (length(x) < 2 || length(y) < 2) { res$test <- "none"; return(res) }
  if (nonnormal) {
    w <- wilcox.test(x, y, exact = FALSE, correct = TRUE)
    res$test <- "wilcoxon"; res$statistic <- unname(w$statistic); res$p_value <- w$p.value
  } else {
    tt <- t.test(x, y)
    res$test <- "welch_t"; res$statistic <- unname(tt$statistic); res$df <- unname(tt$parameter); res$p_value <- tt$p.value
  }
  res$smd <- smd_cont(x, y)
  res
}

write <- function(x, file) write_json(x, file.path(out_dir, file), digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")

# --- the synthetic reference study ------------------------------------------
d <- read.csv("testdata/companies.csv", na.strings = c("", "NA"), stringsAsFactors = FALSE)
schema <- fromJSON("internal/refstudy/schemas/companies.json", simplifyVector = FALSE)
vars <- list()
for (f in schema$fields) {
  if (!is.null(f$role) && f$role %in% c("id", "outcome")) next
  lv <- NULL
  if (!is.null(f$categories)) lv <- vapply(f$categories, function(c) c$value, "")
  if (f$name %in% c("listed", "orphan_drug")) lv <- c(0, 1)
  vars[[length(vars) + 1]] <- describe_var(d[[f$name]], d$case, f$name, lv, nonnormal = f$name == "rd_expenditure")
}
p <- read.csv("testdata/products.csv", stringsAsFactors = FALSE)
yrs <- seq(min(p$overseas_year), max(p$overseas_year))
n <- as.numeric(table(factor(p$overseas_year, levels = yrs)))
ctype <- d$company_type[match(p$company_id, d$company_id)]
trend <- lapply(seq_along(yrs), function(i) list(year = yrs[i], products = n[i], cumulative = sum(n[1:i]),
  change = if (i == 1) NA else n[i] - n[i - 1],
  biotech = sum(p$overseas_year == yrs[i] & ctype == "biotech"),
  traditional = sum(p$overseas_year == yrs[i] & ctype == "traditional")))
cases <- d[d$case == 1, ]
write(list(table1 = vars, trend = trend,
           biotech_share_cases = mean(cases$company_type == "biotech"),
           modality = as.list(table(p$modality)), indication = as.list(table(p$indication)),
           first_overseas_year = as.list(table(cases$first_overseas_year))), "companies.json")

# --- a public dataset as a user's own CSV: MASS::birthwt ---------------------
bw <- MASS::birthwt
bw$id <- sprintf("B%03d", seq_len(nrow(bw)))
bw$race <- c("white", "black", "other")[bw$race]
bw <- bw[, c("id", "low", "age", "lwt", "race", "smoke", "ptl", "ht", "ui", "ftv", "bwt")]
write.csv(bw, file.path(out_dir, "birthwt.csv"), row.names = FALSE)
bvars <- list(
  describe_var(bw$age, bw$low, "age"),
  describe_var(bw$lwt, bw$low, "lwt", nonnormal = TRUE),
  describe_var(bw$race, bw$low, "race", c("white", "black", "other")),
  describe_var(bw$smoke, bw$low, "smoke", c(0, 1)),
  describe_var(bw$ptl, bw$low, "ptl"),
  describe_var(bw$ht, bw$low, "ht", c(0, 1)),
  describe_var(bw$ui, bw$low, "ui", c(0, 1)),
  describe_var(bw$ftv, bw$low, "ftv", nonnormal = TRUE))
write(list(table1 = bvars, nonnormal = c("lwt", "ftv")), "birthwt.json")
