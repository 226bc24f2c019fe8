# Reference values for `ccstudy describe --by VAR` with a grouping
# variable of k >= 2 levels (Table 1 by any categorical variable or by
# cluster).
#
# Rerun from the repository root:
#   Rscript testdata/reference/describe/byk.R
# It writes testdata/reference/describe/byk.json.
#
# The rule under test, as ccstudy states it under the table:
#   categorical: Pearson chi-square (chisq.test, correct = FALSE) on the
#   levels x groups table without empty levels or groups, or Fisher's
#   exact test (fisher.test) when any expected count is below 5;
#   continuous: Welch's one-way ANOVA (oneway.test, var.equal = FALSE), or
#   Kruskal-Wallis (kruskal.test) for nonnormal variables (the schema's
#   log-scale fields).
# Rows whose group is missing are excluded before anything is computed.
# Percentages use each group's non-missing values as denominator.
# SMD: the mean of tableone's pairwise SMDs (print.TableOne smd = TRUE
# prints the "average" column of ExtractSmd for more than two groups);
# the pairwise formulas are tableone's (continuous: |mean difference| /
# sqrt of the mean of the variances; categorical: Yang & Dalton with
# MASS::ginv), reproduced below because tableone is not packaged here.
suppressPackageStartupMessages({library(jsonlite); library(MASS)})
out_dir <- "testdata/reference/describe"

MultinomialVar <- function(p) { covs <- -outer(p, p); diag(covs) <- p * (1 - p); drop(covs) }
smd_cat2 <- function(a, b) { # level counts of two groups
  if (sum(a) == 0 || sum(b) == 0) return(NA)
  pa <- a / sum(a); pb <- b / sum(b)
  if (length(pa) > 1) { pa <- pa[-1]; pb <- pb[-1] }
  S <- (MultinomialVar(pa) + MultinomialVar(pb)) / 2
  d <- pa - pb
  sqrt(max(0, drop(t(d) %*% MASS::ginv(as.matrix(S)) %*% d)))
}
smd_cont2 <- function(x, y) {
  if (length(x) < 2 || length(y) < 2) return(NA)
  abs(mean(x) - mean(y)) / sqrt((var(x) + var(y)) / 2)
}
mean_pairwise <- function(k, f) {
  s <- c()
  for (i in seq_len(k - 1)) for (j in (i + 1):k) s <- c(s, f(i, j))
  mean(s, na.rm = TRUE)
}

cont_summary <- function(x) {
  miss <- sum(is.na(x)); x <- x[!is.na(x)]
  if (length(x) == 0) return(list(n = 0, missing = miss))
  q <- quantile(x, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
  list(n = length(x), mean = mean(x), sd = if (length(x) > 1) sd(x) else NA,
       median = q[2], q1 = q[1], q3 = q[3], missing = miss)
}

# describe_k: one variable v by the factor g (no missing groups).
describe_k <- function(v, g, name, levels = NULL, nonnormal = FALSE) {
  k <- nlevels(g)
  if (!is.null(levels)) {
    f <- factor(v, levels = levels)
    tab <- table(f, g) # levels x groups, NA excluded
    grp <- function(n, miss) list(n = as.numeric(n), percent = 100 * as.numeric(n) / sum(n), missing = miss)
    res <- list(variable = name, kind = "categorical", levels = levels,
                groups = lapply(seq_len(k), function(j) grp(tab[, j], sum(is.na(f[g == levels(g)[j]])))),
                overall = grp(rowSums(tab), sum(is.na(f))))
    t2 <- tab[rowSums(tab) > 0, colSums(tab) > 0, drop = FALSE]
    ct <- suppressWarnings(chisq.test(t2, correct = FALSE))
    if (any(ct$expected < 5)) {
      ft <- fisher.test(t2, workspace = 2e8)
      res$test <- "fisher"; res$p_value <- ft$p.value
    } else {
      res$test <- "chisq"; res$statistic <- unname(ct$statistic); res$df <- unname(ct$parameter); res$p_value <- ct$p.value
    }
    res$smd <- mean_pairwise(k, function(i, j) smd_cat2(tab[, i], tab[, j]))
    return(res)
  }
  res <- list(variable = name, kind = "continuous",
              groups = lapply(levels(g), function(l) cont_summary(v[g == l])), overall = cont_summary(v))
  ok <- !is.na(v)
  d <- data.frame(y = v[ok], g = droplevels(g[ok]))
  if (nonnormal) {
    kw <- kruskal.test(y ~ g, data = d)
    res$test <- "kruskal"; res$statistic <- unname(kw$statistic); res$df <- unname(kw$parameter); res$p_value <- kw$p.value
  } else {
    ow <- oneway.test(y ~ g, data = d, var.equal = FALSE)
    res$test <- "welch_anova"; res$statistic <- unname(ow$statistic)
    res$df <- unname(ow$parameter[1]); res$df2 <- unname(ow$parameter[2]); res$p_value <- ow$p.value
  }
  xs <- lapply(levels(g), function(l) { x <- v[g == l]; x[!is.na(x)] })
  res$smd <- mean_pairwise(k, function(i, j) smd_cont2(xs[[i]], xs[[j]]))
  res
}

# --- the synthetic reference study by founder_background (3 levels) --------
d <- read.csv("testdata/companies.csv", na.strings = c("", "NA"), stringsAsFactors = FALSE)
schema <- fromJSON("internal/refstudy/schemas/companies.json", simplifyVector = FALSE)
by <- "founder_background"
fields <- Filter(function(f) f$name == by, schema$fields)[[1]]
glev <- vapply(fields$categories, function(c) c$value, "")
g <- factor(d[[by]], levels = glev)
vars <- list()
for (f in schema$fields) {
  if (f$name == by || (!is.null(f$role) && f$role %in% c("id", "outcome"))) next
  lv <- NULL
  if (!is.null(f$categories)) lv <- vapply(f$categories, function(c) as.character(c$value), "")
  if (f$name %in% c("listed", "orphan_drug")) lv <- c(0, 1)
  vars[[length(vars) + 1]] <- describe_k(d[[f$name]], g, f$name, lv, nonnormal = identical(f$transform, "log"))
}
companies <- list(by = by, groups = glev, n = as.numeric(table(g)), table1 = vars)

# --- a foreign dataset: survival::pbc by histologic stage (4 levels) -------
# stage is missing for 6 patients (excluded); chol, platelet, trt and
# ascites have missing values; bili and chol are log-scale (nonnormal)
# in pbc.schema.json; edema has sparse levels (Fisher's test).
p <- read.csv("testdata/foreign/pbc/pbc.csv", na.strings = c("", "NA"), stringsAsFactors = FALSE)
excluded <- sum(is.na(p$stage))
p <- p[!is.na(p$stage), ]
g <- factor(p$stage, levels = 1:4)
pvars <- list(
  describe_k(p$age, g, "age"),
  describe_k(p$sex, g, "sex", c("f", "m")),
  describe_k(as.character(p$edema), g, "edema", c("0", "0.5", "1")),
  describe_k(p$bili, g, "bili", nonnormal = TRUE),
  describe_k(p$chol, g, "chol", nonnormal = TRUE),
  describe_k(p$albumin, g, "albumin"),
  describe_k(p$ascites, g, "ascites", c(0, 1)),
  describe_k(p$trt, g, "trt", c(1, 2)),
  describe_k(p$platelet, g, "platelet"),
  describe_k(p$protime, g, "protime"))
pbc <- list(by = "stage", groups = as.character(1:4), n = as.numeric(table(g)), excluded = excluded,
            vars = vapply(pvars, function(v) v$variable, ""), table1 = pvars)

# --- the tests themselves, on small groups with ties and NA -----------------
# (stats.WelchANOVA, stats.KruskalWallis; NA is dropped, an empty group
# is ignored as R drops unused factor levels.)
sg <- list(c(2.1, 3.4, 3.4, 5.0, NA, 4.2), c(6.3, 7.7, 5.9, 8.8, 6.3), c(1.0, 9.5, 3.4, 12.2), c(2.5, 2.5, 4.0))
y <- unlist(sg); gg <- factor(rep(seq_along(sg), lengths(sg)))
ow <- oneway.test(y ~ gg, var.equal = FALSE)
kw <- kruskal.test(y ~ gg)
tests <- list(groups = sg,
              welch = list(statistic = unname(ow$statistic), df1 = unname(ow$parameter[1]), df2 = unname(ow$parameter[2]), p_value = ow$p.value),
              kruskal = list(statistic = unname(kw$statistic), df = unname(kw$parameter), p_value = kw$p.value))

write_json(list(companies = companies, pbc = pbc, tests = tests), file.path(out_dir, "byk.json"),
           digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
