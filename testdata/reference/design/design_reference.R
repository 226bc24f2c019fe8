# Reference model matrices for dataset.Design (design_test.go).
#
# Rerun from the repository root:
#   Rscript testdata/reference/design/design_reference.R
# It writes testdata/reference/design/design_reference.json with the input
# data frames (factor levels in R's order) and, for every formula, R's
# terms() (term labels, order, intercept, variables) and model.matrix()
# output (column names, assign, the full matrix, rows used after na.omit)
# under treatment contrasts, plus the columns lm() reports as NA (aliased,
# tolerance 1e-7), terms() of formulas that exercise the formula algebra,
# and for Indicators() the full 0/1 coding of every level
# (model.matrix with contrasts = FALSE). It also prints the timing of model.frame + model.matrix +
# qr() on 20,000 rows of a study-like data set (not written to the JSON).
suppressPackageStartupMessages(library(MASS))
library(jsonlite)
options(contrasts = c("contr.treatment", "contr.poly"))

# ---- data ----
bw <- birthwt
bw$race <- factor(bw$race, levels = 1:3, labels = c("white", "black", "other"))
bw$ptl_f <- factor(bw$ptl)
bw$age2 <- 2 * bw$age + 3
bw <- bw[, c("low", "age", "lwt", "race", "smoke", "ptl_f", "ht", "ui", "age2")]
rownames(bw) <- NULL

# birthwt with deterministic missing values for listwise deletion.
bwna <- bw[, c("low", "age", "race", "smoke")]
bwna$age[c(3, 10, 50)] <- NA
bwna$race[c(10, 20)] <- NA
bwna$low[c(77)] <- NA
bwna$smoke[c(150, 151)] <- NA

wb <- warpbreaks
wb$high <- as.integer(wb$breaks > 26)
wb <- wb[, c("high", "breaks", "wool", "tension")]

inf <- infert
inf$induced_f <- factor(inf$induced)
inf$spont_f <- factor(inf$spontaneous)
inf <- inf[, c("case", "education", "age", "parity", "induced", "spontaneous", "induced_f", "spont_f")]

datasets <- list(birthwt = bw, birthwt_na = bwna, warpbreaks = wb, infert = inf)

encode_data <- function(d) {
  cols <- lapply(names(d), function(nm) {
    x <- d[[nm]]
    if (is.factor(x)) {
      list(name = nm, type = "factor", levels = levels(x), values = as.character(x))
    } else {
      list(name = nm, type = "numeric", values = as.numeric(x))
    }
  })
  list(n = nrow(d), columns = cols)
}

# ---- cases ----
cases <- list(
  list(data = "birthwt", formula = "low ~ race*smoke + age"),
  list(data = "birthwt", formula = "low ~ log(lwt) + race"),
  list(data = "birthwt", formula = "low ~ race + race:smoke"),
  list(data = "birthwt", formula = "low ~ race*smoke*ht"),
  list(data = "birthwt", formula = "low ~ (race + smoke)*age"),
  list(data = "birthwt", formula = "low ~ race + age - 1"),
  list(data = "birthwt", formula = "low ~ age + race - 1"),
  list(data = "birthwt", formula = "low ~ 0 + age + smoke:race"),
  list(data = "birthwt", formula = "low ~ age:race"),
  list(data = "birthwt", formula = "low ~ age + age:race"),
  list(data = "birthwt", formula = "low ~ race + smoke + log(lwt)", ref = list(race = "black")),
  list(data = "birthwt", formula = "low ~ (race + smoke + ht)^2"),
  list(data = "birthwt", formula = "low ~ ptl_f + race + ui"),
  list(data = "birthwt", formula = "low ~ age + age2 + race"),
  list(data = "birthwt_na", formula = "low ~ race + age + smoke"),
  list(data = "warpbreaks", formula = "high ~ wool + wool:tension"),
  list(data = "warpbreaks", formula = "high ~ tension + tension:wool"),
  list(data = "warpbreaks", formula = "high ~ wool/tension"),
  list(data = "warpbreaks", formula = "high ~ 0 + wool:tension"),
  list(data = "warpbreaks", formula = "high ~ wool*tension - 1"),
  list(data = "warpbreaks", formula = "high ~ tension:wool + wool"),
  list(data = "warpbreaks", formula = "high ~ wool:tension"),
  list(data = "warpbreaks", formula = "high ~ tension*wool", ref = list(tension = "H", wool = "B")),
  list(data = "infert", formula = "case ~ education + age + parity + induced + spontaneous"),
  list(data = "infert", formula = "case ~ education*induced_f"),
  list(data = "infert", formula = "case ~ education*induced_f*spont_f"),
  list(data = "infert", formula = "case ~ induced + spontaneous + induced:spontaneous:education")
)

run_case <- function(cs) {
  d <- datasets[[cs$data]]
  if (!is.null(cs$ref)) for (v in names(cs$ref)) d[[v]] <- relevel(d[[v]], ref = cs$ref[[v]])
  f <- as.formula(cs$formula)
  tt <- terms(f)
  mf <- model.frame(f, d, na.action = na.omit)
  X <- model.matrix(tt, mf)
  fit <- lm(f, data = d)
  out <- list(
    data = cs$data,
    formula = cs$formula,
    ref = if (is.null(cs$ref)) setNames(list(), character(0)) else cs$ref,
    term_labels = attr(tt, "term.labels"),
    order = attr(tt, "order"),
    intercept = attr(tt, "intercept"),
    variables = vapply(as.list(attr(tt, "variables"))[-1], deparse, ""),
    colnames = colnames(X),
    assign = attr(X, "assign"),
    rows = as.integer(rownames(mf)) - 1L,  # 0-based row indices used
    matrix = unname(X),
    aliased = names(coef(fit))[is.na(coef(fit))]
  )
  out
}

# Indicators(): one 0/1 column per level of every factor (contrasts = FALSE),
# numeric columns as they are, rows with any NA dropped.
indicator_cases <- list(
  list(data = "birthwt", vars = c("age", "race", "log(lwt)", "ptl_f")),
  list(data = "birthwt_na", vars = c("race", "age", "smoke")),
  list(data = "infert", vars = c("education", "spont_f", "parity"))
)
run_indicators <- function(cs) {
  d <- datasets[[cs$data]]
  f <- as.formula(paste("~ 0 +", paste(cs$vars, collapse = " + ")))
  mf <- model.frame(f, d, na.action = na.omit)
  facs <- names(mf)[vapply(mf, is.factor, FALSE)]
  ca <- setNames(lapply(facs, function(v) contrasts(mf[[v]], contrasts = FALSE)), facs)
  X <- model.matrix(f, mf, contrasts.arg = ca)
  list(data = cs$data, vars = cs$vars, colnames = colnames(X),
       rows = as.integer(rownames(mf)) - 1L, matrix = unname(X))
}

# terms() alone, for the formula parser: term labels, order, intercept and
# variables of formulas that exercise R's formula algebra.
terms_formulas <- c(
  "y ~ a", "y ~ a*b", "y ~ a*b*c", "y ~ b:a + a", "y ~ a + b + b:a", "y ~ (a+b):c + a",
  "y ~ a/b", "y ~ (a+b)/c", "y ~ (a+b+c)^2", "y ~ a + a:b:c", "y ~ a:b + b - 1",
  "y ~ a*b - a", "y ~ log(x) + x + log(x):a", "y ~ a + (b - 1)", "y ~ a*(b - 1)",
  "y ~ (a - 1):b", "y ~ a + b - a:b + a:b", "y ~ a - a", "y ~ 1 + a - 1 + 1", "y ~ a:b:a",
  "y ~ (a+b)^3", "y ~ a*b*c - a:b:c", "y ~ (a + b) - (a)", "y ~ 0", "y ~ -1", "y ~ 1",
  "y ~ a + 0 + 1", "y ~ 1 - 1 + a", "y ~ -a + b", "y ~ a/(b+c)", "y ~ (a*b)/c",
  "y ~ a:(b+c)^2", "y ~ c:b + b:a + a", "y ~ a*b + c:a:b", "y ~ 0 + a:b + b",
  "y ~ log(x)*a + log(z)", "y ~ a + a + a:a", "~ a + b", "y ~ (a+b):(c+d)^2",
  # the remaining cases of TestParseFormulaExpansion
  "y~a+b", "y ~ 0 + a", "y ~ -1 + a", "y ~ a - 1 + 1", "y ~ (a + b)*c", "y ~ `my var` + b", "~ a"
)
run_terms <- function(s) {
  tt <- terms(as.formula(s))
  list(formula = s, term_labels = as.list(attr(tt, "term.labels")),
       order = as.list(attr(tt, "order")), intercept = attr(tt, "intercept"),
       response = attr(tt, "response"),
       variables = as.list(vapply(as.list(attr(tt, "variables"))[-1], deparse, "", backtick = TRUE)))
}

res <- list(
  r_version = R.version.string,
  terms = lapply(terms_formulas, run_terms),
  datasets = lapply(datasets, encode_data),
  cases = lapply(cases, run_case),
  indicators = lapply(indicator_cases, run_indicators)
)
write_json(res, "testdata/reference/design/design_reference.json",
           digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")

# ---- timing (printed only): 20,000 rows, study formula ----
set.seed(1)
n <- 20000
sim <- data.frame(
  case = rbinom(n, 1, 0.5),
  company_type = factor(sample(c("biotech", "traditional"), n, TRUE), levels = c("biotech", "traditional")),
  founder_background = factor(sample(c("returnee_scientist", "domestic_scientist", "business"), n, TRUE)),
  rd_leader_background = factor(sample(c("domestic", "overseas_academic", "overseas_mnc"), n, TRUE)),
  dev_years = sample(0:30, n, TRUE),
  rd_expenditure = rlnorm(n, 4, 1),
  listed = rbinom(n, 1, 0.4),
  product_source = factor(sample(c("licensed_in", "co_development", "in_house"), n, TRUE)),
  novelty = factor(sample(c("me_too", "fast_follow", "first_in_class"), n, TRUE)),
  orphan_drug = rbinom(n, 1, 0.2)
)
sf <- case ~ company_type + founder_background + rd_leader_background + dev_years +
  log(rd_expenditure) + listed + product_source + novelty + orphan_drug
reps <- 50
tm <- system.time(for (i in 1:reps) {
  mf <- model.frame(sf, sim, na.action = na.omit)
  X <- model.matrix(sf, mf)
  r <- qr(X, tol = 1e-7)$rank
})
cat(sprintf("R: model.frame + model.matrix + qr on %d rows: %.3f ms per call\n", n, 1000 * tm[["elapsed"]] / reps))

# Indicators(): the same variables, one column per level.
ivars <- ~ 0 + company_type + founder_background + rd_leader_background + dev_years +
  log(rd_expenditure) + listed + product_source + novelty + orphan_drug
tm <- system.time(for (i in 1:reps) {
  mf <- model.frame(ivars, sim, na.action = na.omit)
  facs <- names(mf)[vapply(mf, is.factor, FALSE)]
  ca <- setNames(lapply(facs, function(v) contrasts(mf[[v]], contrasts = FALSE)), facs)
  X <- model.matrix(ivars, mf, contrasts.arg = ca)
})
cat(sprintf("R: indicator coding (contrasts = FALSE) on %d rows: %.3f ms per call\n", n, 1000 * tm[["elapsed"]] / reps))
tm <- system.time(for (i in 1:1000) terms(case ~ company_type*novelty + founder_background + rd_leader_background +
  dev_years + log(rd_expenditure) + listed + product_source + orphan_drug + (listed + orphan_drug)^2))
cat(sprintf("R: terms() of a 12-term formula: %.1f us per call\n", 1000 * tm[["elapsed"]]))
