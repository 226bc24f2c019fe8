# Reference values for package stats (github.com/ccstudy/ccstudy/stats).
#
# Rerun from the repository root:
#   Rscript testdata/reference/stats/stats_reference.R
# It rewrites testdata/reference/stats/{descriptive,tests,subgroup}.json.
# Every JSON case holds the INPUT data and R's output, so the Go tests need
# neither R nor a data loader. Requires MASS, epiR, metafor, jsonlite.
#
# Notes on the references:
# - tableone is not packaged for this machine; its SMD code (smdModules.R:
#   MultinomialVar, LstMeansFromFullTable, StdDiffFromLstMeans) is reproduced
#   below line for line (it uses MASS::ginv), and the continuous SMD uses
#   tableone's StdDiff formula.
# - epiR 2.0.57's epi.2by2(method = "case.control") fails for stratified
#   tables while formatting its printout; the homogeneity tests
#   (OR.homog.woolf, OR.homog.brday) are computed by shared code, so they are
#   taken from method = "cross.sectional", which returns them.
# - epiR computes p-values as 1 - pchisq(); we recompute them with
#   pchisq(lower.tail = FALSE) from epiR's statistic so that small p-values
#   keep full relative precision.
# - Breslow-Day with Tarone's correction is computed independently from the
#   textbook formula (Breslow & Day 1980; Tarone 1985) below.
# - fisher.test's 2x2 conditional MLE and CI are found by uniroot with
#   tol = .Machine$double.eps^0.25, so they carry ~1e-4 error; the same
#   equations (noncentral hypergeometric, as in fisher.test's source) are
#   also solved here with tol = 1e-13 ("*_precise"), and Go is checked at
#   1e-6 against those and at 1e-4 against fisher.test's own output.

suppressPackageStartupMessages({
  library(MASS)
  library(jsonlite)
  library(epiR)
  library(metafor)
})

out_dir <- file.path("testdata", "reference", "stats")
if (!dir.exists(out_dir)) stop("run from the repository root")
wj <- function(x, name) {
  write_json(x, file.path(out_dir, name), digits = NA, auto_unbox = TRUE,
             pretty = TRUE)
}

bw <- MASS::birthwt
tg <- datasets::ToothGrowth
mt <- datasets::mtcars

# ---------------------------------------------------------------- descriptive
probs <- c(0, 0.01, 0.1, 0.25, 1 / 3, 0.5, 0.75, 0.9, 0.99, 1)
qcase <- function(name, x) {
  list(name = name, x = x, probs = probs,
       q = unname(quantile(x, probs, type = 7)))
}
quantile_cases <- list(
  qcase("birthwt_bwt", bw$bwt),
  qcase("birthwt_age", bw$age),
  qcase("mtcars_mpg", mt$mpg),
  qcase("unsorted_small", c(3, 1, 2, 10, -4)),
  qcase("single", c(5)),
  qcase("two", c(7, 1))
)

scase <- function(name, x) {
  y <- x[!is.na(x)]
  list(name = name, x = x, n = length(y), missing = sum(is.na(x)),
       mean = mean(y), sd = if (length(y) > 1) sd(y) else NA,
       median = median(y), q1 = unname(quantile(y, 0.25)),
       q3 = unname(quantile(y, 0.75)), min = min(y), max = max(y))
}
summary_cases <- list(
  scase("birthwt_bwt", bw$bwt),
  scase("birthwt_lwt", bw$lwt),
  scase("mtcars_hp", mt$hp),
  scase("toothgrowth_len", tg$len),
  scase("with_missing", c(1, NA, 3, 4, NA, 10, 2.5)),
  scase("single", c(42))
)

# tableone::StdDiff (continuous): |mean1 - mean2| / sqrt((var1 + var2) / 2)
smdc <- function(name, x, y) {
  list(name = name, x = x, y = y,
       smd = abs(mean(x) - mean(y)) / sqrt((var(x) + var(y)) / 2))
}
smd_cont_cases <- list(
  smdc("birthwt_bwt_by_low", bw$bwt[bw$low == 0], bw$bwt[bw$low == 1]),
  smdc("birthwt_age_by_low", bw$age[bw$low == 0], bw$age[bw$low == 1]),
  smdc("birthwt_lwt_by_smoke", bw$lwt[bw$smoke == 0], bw$lwt[bw$smoke == 1]),
  smdc("mtcars_mpg_by_am", mt$mpg[mt$am == 0], mt$mpg[mt$am == 1]),
  smdc("toothgrowth_len_by_supp", tg$len[tg$supp == "OJ"], tg$len[tg$supp == "VC"])
)

# tableone smdModules.R, reproduced
MultinomialVar <- function(multinomialMeans) {
  p <- multinomialMeans
  vars <- p * (1 - p)
  covs <- -outer(p, p)
  diag(covs) <- vars
  drop(covs)
}
LstMeansFromFullTable <- function(strataByLevels) {
  propTables <- prop.table(strataByLevels, margin = 1)
  if (ncol(propTables) > 1) propTables <- propTables[, -1, drop = FALSE]
  lapply(seq_len(nrow(propTables)), function(i) propTables[i, ])
}
StdDiffFromLstMeans <- function(lstMeans) {
  lstCovs <- lapply(lstMeans, MultinomialVar)
  d <- lstMeans[[1]] - lstMeans[[2]]
  S <- (lstCovs[[1]] + lstCovs[[2]]) / 2
  sqrt(drop(t(d) %*% MASS::ginv(S) %*% t(t(d))))
}
smdk <- function(name, cx, cy) {
  tab <- rbind(cx, cy)
  list(name = name, counts_x = cx, counts_y = cy,
       smd = StdDiffFromLstMeans(LstMeansFromFullTable(tab)))
}
cnt <- function(v, g, lv) {
  v <- factor(v, levels = lv)
  list(as.numeric(table(v[g == 0])), as.numeric(table(v[g == 1])))
}
ck <- function(name, v, g, lv = sort(unique(v))) {
  cc <- cnt(v, g, lv)
  smdk(name, cc[[1]], cc[[2]])
}
smd_cat_cases <- list(
  ck("birthwt_race_by_low", bw$race, bw$low),
  ck("birthwt_smoke_by_low", bw$smoke, bw$low),
  ck("birthwt_ftv_by_low", bw$ftv, bw$low),
  ck("birthwt_ptl_by_low", bw$ptl, bw$low),
  ck("mtcars_cyl_by_am", mt$cyl, mt$am),
  ck("mtcars_gear_by_am", mt$gear, mt$am),
  # level 5 absent in both groups: singular S, ginv drops it
  ck("birthwt_race_empty_level", bw$race, bw$low, lv = c(1, 2, 5, 3)),
  # first level absent in both groups (dropped as reference anyway)
  ck("birthwt_race_empty_first", bw$race, bw$low, lv = c(0, 1, 2, 3)),
  # a level present in one group only
  smdk("absent_in_one_group", c(10, 5, 0), c(4, 6, 3)),
  smdk("single_level", c(10), c(7)),
  smdk("identical_props", c(2, 4, 6), c(1, 2, 3))
)

wj(list(quantile = quantile_cases, summarize = summary_cases,
        smd_continuous = smd_cont_cases, smd_categorical = smd_cat_cases),
   "descriptive.json")

# ---------------------------------------------------------------------- tests
tab2 <- function(a, b) unclass(table(a, b))
mat_rows <- function(m) unname(lapply(seq_len(nrow(m)), function(i) as.numeric(m[i, ])))

chisq_case <- function(name, m) {
  r <- suppressWarnings(chisq.test(m, correct = FALSE))
  list(name = name, table = mat_rows(m), statistic = unname(r$statistic),
       df = unname(r$parameter), p_value = r$p.value,
       expected = mat_rows(r$expected), min_expected = min(r$expected))
}
hec <- apply(HairEyeColor, c(1, 2), sum)
ucb <- apply(UCBAdmissions, c(1, 2), sum)
chisq_cases <- list(
  chisq_case("birthwt_race_low", tab2(bw$race, bw$low)),
  chisq_case("birthwt_smoke_low", tab2(bw$smoke, bw$low)),
  chisq_case("birthwt_ht_low", tab2(bw$ht, bw$low)),
  chisq_case("birthwt_ftv_low", tab2(bw$ftv, bw$low)),
  chisq_case("birthwt_ptl_low", tab2(bw$ptl, bw$low)),
  chisq_case("mtcars_cyl_gear", tab2(mt$cyl, mt$gear)),
  chisq_case("ucb_admit_gender", ucb),
  chisq_case("haireye", hec)
)

# Noncentral hypergeometric pieces as in fisher.test's source.
fisher_precise <- function(m, conf.level = 0.95) {
  x <- m[1, 1]; mm <- sum(m[, 1]); n <- sum(m[, 2]); k <- sum(m[1, ])
  lo <- max(0L, k - n); hi <- min(k, mm)
  support <- lo:hi
  logdc <- dhyper(support, mm, n, k, log = TRUE)
  dnhyper <- function(ncp) {
    d <- logdc + log(ncp) * support
    d <- exp(d - max(d))
    d / sum(d)
  }
  mnhyper <- function(ncp) {
    if (ncp == 0) return(lo)
    if (ncp == Inf) return(hi)
    sum(support * dnhyper(ncp))
  }
  pnhyper <- function(q, ncp, upper.tail = FALSE) {
    if (ncp == 1) {
      return(if (upper.tail) phyper(x - 1, mm, n, k, lower.tail = FALSE)
             else phyper(x, mm, n, k))
    }
    if (ncp == 0) return(as.numeric(if (upper.tail) q <= lo else q >= lo))
    if (ncp == Inf) return(as.numeric(if (upper.tail) q <= hi else q >= hi))
    sum(dnhyper(ncp)[if (upper.tail) support >= q else support <= q])
  }
  tol <- 1e-13
  mle <- if (x == lo) 0 else if (x == hi) Inf else {
    mu <- mnhyper(1)
    if (mu > x) uniroot(function(t) mnhyper(t) - x, c(0, 1), tol = tol)$root
    else if (mu < x) 1 / uniroot(function(t) mnhyper(1 / t) - x, c(.Machine$double.eps, 1), tol = tol)$root
    else 1
  }
  alpha <- (1 - conf.level) / 2
  ncp.U <- function(x, alpha) {
    if (x == hi) return(Inf)
    p <- pnhyper(x, 1)
    if (p < alpha) uniroot(function(t) pnhyper(x, t) - alpha, c(0, 1), tol = tol)$root
    else if (p > alpha) 1 / uniroot(function(t) pnhyper(x, 1 / t) - alpha, c(.Machine$double.eps, 1), tol = tol)$root
    else 1
  }
  ncp.L <- function(x, alpha) {
    if (x == lo) return(0)
    p <- pnhyper(x, 1, upper.tail = TRUE)
    if (p > alpha) uniroot(function(t) pnhyper(x, t, upper.tail = TRUE) - alpha, c(0, 1), tol = tol)$root
    else if (p < alpha) 1 / uniroot(function(t) pnhyper(x, 1 / t, upper.tail = TRUE) - alpha, c(.Machine$double.eps, 1), tol = tol)$root
    else 1
  }
  list(estimate = mle, conf_int = c(ncp.L(x, alpha), ncp.U(x, alpha)))
}
fisher_case <- function(name, m) {
  r <- fisher.test(m)
  out <- list(name = name, table = mat_rows(m), p_value = r$p.value)
  if (all(dim(m) == 2)) {
    pr <- fisher_precise(m)
    out$estimate <- unname(r$estimate)
    out$conf_int <- as.numeric(r$conf.int)
    out$estimate_precise <- pr$estimate
    out$conf_int_precise <- pr$conf_int
  }
  out
}
fisher_cases <- list(
  fisher_case("birthwt_smoke_low", tab2(bw$smoke, bw$low)),
  fisher_case("birthwt_ht_low", tab2(bw$ht, bw$low)),
  fisher_case("birthwt_ui_low", tab2(bw$ui, bw$low)),
  fisher_case("mtcars_am_vs", tab2(mt$am, mt$vs)),
  fisher_case("zero_cell", matrix(c(0, 10, 5, 3), 2)),
  fisher_case("zero_cell_hi", matrix(c(6, 0, 4, 9), 2)),
  fisher_case("birthwt_race_low", tab2(bw$race, bw$low)),
  fisher_case("birthwt_ptl_low", tab2(bw$ptl, bw$low)),
  fisher_case("birthwt_ftv_low", tab2(bw$ftv, bw$low)),
  fisher_case("birthwt_low_ptl_2xc", t(tab2(bw$ptl, bw$low))),
  fisher_case("mtcars_cyl_gear", tab2(mt$cyl, mt$gear)),
  fisher_case("mtcars_gear_carb", tab2(mt$gear, mt$carb)),
  # 90 cases / 90 controls over 6 levels, the shape of the study's Table 1
  fisher_case("case_control_6x2", matrix(c(20, 25, 15, 12, 10, 8,
                                           31, 20, 16, 10, 9, 4), 6)),
  fisher_case("rxc_4x3", matrix(c(8, 3, 5, 2, 4, 9, 2, 6, 1, 3, 7, 5), 4)),
  fisher_case("ucb_admit_gender", ucb)
)

# Random tables of assorted shapes (seeded) to exercise the r x c network
# bounds beyond the public datasets.
set.seed(20240611)
for (i in 1:12) {
  nr <- sample(2:5, 1); nc <- sample(2:4, 1)
  m <- matrix(rpois(nr * nc, lambda = runif(1, 1, 8)), nr, nc)
  if (any(rowSums(m) == 0) || any(colSums(m) == 0)) m <- m + 1
  fisher_cases[[length(fisher_cases) + 1]] <- fisher_case(sprintf("random_%02d_%dx%d", i, nr, nc), m)
}

tcase <- function(name, x, y) {
  r <- t.test(x, y)
  list(name = name, x = x, y = y, statistic = unname(r$statistic),
       df = unname(r$parameter), p_value = r$p.value,
       mean_x = unname(r$estimate[1]), mean_y = unname(r$estimate[2]),
       conf_int = as.numeric(r$conf.int), std_err = r$stderr)
}
ttest_cases <- list(
  tcase("birthwt_age_by_low", bw$age[bw$low == 0], bw$age[bw$low == 1]),
  tcase("birthwt_bwt_by_smoke", bw$bwt[bw$smoke == 0], bw$bwt[bw$smoke == 1]),
  tcase("mtcars_mpg_by_am", mt$mpg[mt$am == 0], mt$mpg[mt$am == 1]),
  tcase("toothgrowth_len_by_supp", tg$len[tg$supp == "OJ"], tg$len[tg$supp == "VC"]),
  tcase("one_group_constant", c(5, 5, 5, 5), c(1, 2, 3, 4, 6)),
  tcase("tiny_p", mt$mpg[mt$cyl == 4], mt$mpg[mt$cyl == 8] - 0)
)

wcase <- function(name, x, y) {
  r <- suppressWarnings(wilcox.test(x, y, exact = FALSE, correct = TRUE))
  list(name = name, x = x, y = y, statistic = unname(r$statistic),
       p_value = r$p.value)
}
wilcoxon_cases <- list(
  wcase("birthwt_age_by_low", bw$age[bw$low == 0], bw$age[bw$low == 1]),
  wcase("birthwt_lwt_by_low", bw$lwt[bw$low == 0], bw$lwt[bw$low == 1]),
  wcase("birthwt_bwt_by_smoke", bw$bwt[bw$smoke == 0], bw$bwt[bw$smoke == 1]),
  wcase("mtcars_mpg_by_am", mt$mpg[mt$am == 0], mt$mpg[mt$am == 1]),
  wcase("toothgrowth_len_by_supp", tg$len[tg$supp == "OJ"], tg$len[tg$supp == "VC"]),
  wcase("ties", c(1, 2, 2, 3, 3, 3), c(2, 3, 4, 4, 5)),
  wcase("z_zero", c(1, 2), c(1, 2)),
  wcase("separated", as.numeric(1:30), as.numeric(31:70))
)

trcase <- function(name, x, n, score = seq_along(x)) {
  r <- prop.trend.test(x, n, score)
  list(name = name, x = x, n = n, score = score,
       statistic = unname(r$statistic), df = unname(r$parameter),
       p_value = unname(r$p.value))
}
ftv3 <- pmin(bw$ftv, 3)
trend_cases <- list(
  trcase("smokers", c(83, 90, 129, 70), c(86, 93, 136, 82)),
  trcase("smokers_scores", c(83, 90, 129, 70), c(86, 93, 136, 82), c(0, 0, 1, 1)),
  trcase("birthwt_ftv_low", as.numeric(tapply(bw$low, ftv3, sum)),
         as.numeric(table(ftv3)))
)

wj(list(chisq = chisq_cases, fisher = fisher_cases, ttest = ttest_cases,
        wilcoxon = wilcoxon_cases, trend = trend_cases),
   "tests.json")

# ------------------------------------------------------------------- subgroup
set.seed(123)
xx <- rnorm(50, mean = c(rep(0, 25), rep(3, 25)))
p_example <- 2 * pnorm(sort(-abs(xx)))
padj <- function(name, p) {
  list(name = name, p = p, holm = p.adjust(p, "holm"), bh = p.adjust(p, "BH"))
}
padjust_cases <- list(
  padj("pnorm_example", p_example),
  padj("unsorted_ties_na", c(0.04, NA, 0.01, 0.04, 0.3, NA, 0.001, 0.04, 0.9)),
  padj("single", c(0.2)),
  padj("all_na", c(NA_real_, NA_real_))
)

ccase <- function(name, yi, sei) {
  r <- rma(yi = yi, sei = sei, method = "FE")
  list(name = name, est = yi, se = sei, beta = as.numeric(r$beta),
       se_beta = r$se, zval = r$zval, pval = r$pval, ci_lb = r$ci.lb,
       ci_ub = r$ci.ub, q = r$QE, q_p = r$QEp, df = r$k - 1, i2 = r$I2)
}
bcg <- escalc(measure = "OR", ai = tpos, bi = tneg, ci = cpos, di = cneg,
              data = dat.bcg)
ucb_lor <- apply(UCBAdmissions, 3, function(t) log(t[1, 1] * t[2, 2] / (t[1, 2] * t[2, 1])))
ucb_se <- apply(UCBAdmissions, 3, function(t) sqrt(sum(1 / t)))
cochran_cases <- list(
  ccase("dat_bcg_logor", as.numeric(bcg$yi), sqrt(as.numeric(bcg$vi))),
  ccase("ucb_logor", unname(ucb_lor), unname(ucb_se)),
  ccase("two_studies", c(0.1, 0.5), c(0.2, 0.3)),
  ccase("homogeneous", c(0.3, 0.3, 0.3), c(0.1, 0.2, 0.3))
)

# Breslow-Day (uncorrected) and with Tarone's correction, textbook formula.
bd_tarone <- function(arr, or_mh) {
  K <- dim(arr)[3]
  a <- arr[1, 1, ]; r1 <- arr[1, 1, ] + arr[1, 2, ]
  c1 <- arr[1, 1, ] + arr[2, 1, ]; n <- apply(arr, 3, sum)
  E <- numeric(K); V <- numeric(K)
  for (k in seq_len(K)) {
    lo <- max(0, c1[k] - (n[k] - r1[k])); hi <- min(r1[k], c1[k])
    f <- function(e) e * (n[k] - r1[k] - c1[k] + e) - or_mh * (r1[k] - e) * (c1[k] - e)
    e <- if (lo == hi) lo else uniroot(f, c(lo, hi), tol = 1e-14)$root
    E[k] <- e
    V[k] <- 1 / (1 / e + 1 / (r1[k] - e) + 1 / (c1[k] - e) + 1 / (n[k] - r1[k] - c1[k] + e))
  }
  bd <- sum((a - E)^2 / V)
  tarone <- bd - (sum(a) - sum(E))^2 / sum(V)
  list(breslow_day = bd, tarone = tarone,
       p_breslow_day = pchisq(bd, K - 1, lower.tail = FALSE),
       p_tarone = pchisq(tarone, K - 1, lower.tail = FALSE))
}
mhcase <- function(name, arr) {
  arr <- array(as.numeric(arr), dim = dim(arr))
  K <- dim(arr)[3]
  r0 <- mantelhaen.test(arr, correct = FALSE)
  r1 <- mantelhaen.test(arr, correct = TRUE)
  ep <- suppressWarnings(epi.2by2(as.table(arr), method = "cross.sectional"))
  wo <- ep$massoc.detail$OR.homog.woolf
  bd <- ep$massoc.detail$OR.homog.brday
  bt <- bd_tarone(arr, unname(r0$estimate))
  # per-stratum OR with Woolf CI; 0.5 added to all cells of a stratum
  # that has a zero cell (the Go package's documented rule)
  st <- lapply(seq_len(K), function(k) {
    t <- arr[, , k]
    if (any(t == 0)) t <- t + 0.5
    lor <- log(t[1, 1] * t[2, 2] / (t[1, 2] * t[2, 1]))
    se <- sqrt(sum(1 / t))
    list(or = exp(lor), se_log_or = se,
         lower = exp(lor - qnorm(0.975) * se), upper = exp(lor + qnorm(0.975) * se))
  })
  list(name = name,
       tables = lapply(seq_len(K), function(k) mat_rows(arr[, , k])),
       or_mh = unname(r0$estimate), conf_int = as.numeric(r0$conf.int),
       se_log_or_mh = log(r0$conf.int[2] / r0$estimate) / qnorm(0.975),
       chisq = unname(r0$statistic), p_value = r0$p.value,
       chisq_corrected = unname(r1$statistic), p_value_corrected = r1$p.value,
       epir_or_mh = ep$massoc.detail$OR.mh.wald$est,
       epir_or_mh_lower = ep$massoc.detail$OR.mh.wald$lower,
       epir_or_mh_upper = ep$massoc.detail$OR.mh.wald$upper,
       woolf = wo$test.statistic, woolf_df = wo$df,
       woolf_p = pchisq(wo$test.statistic, wo$df, lower.tail = FALSE),
       breslow_day = bd$test.statistic, breslow_day_df = bd$df,
       breslow_day_p = pchisq(bd$test.statistic, bd$df, lower.tail = FALSE),
       textbook = bt,
       strata = st)
}
# UCBAdmissions: [Admit, Gender, Dept] -> exposure = Admitted/Rejected rows
ucb_arr <- UCBAdmissions
# infert: exposure = any spontaneous abortion, outcome = case, strata = education
inf <- datasets::infert
inf_arr <- xtabs(~ factor(spontaneous > 0, levels = c(TRUE, FALSE)) +
                   factor(case, levels = c(1, 0)) + education, data = inf)
# esoph: exposure = alcohol >= 80 g/day, outcome = case, strata = age group
es <- datasets::esoph
es$exp <- factor(es$alcgp %in% c("80-119", "120+"), levels = c(TRUE, FALSE))
es_arr <- array(0, dim = c(2, 2, nlevels(es$agegp)))
for (k in seq_len(nlevels(es$agegp))) {
  s <- es[es$agegp == levels(es$agegp)[k], ]
  es_arr[1, 1, k] <- sum(s$ncases[s$exp == "TRUE"])
  es_arr[1, 2, k] <- sum(s$ncontrols[s$exp == "TRUE"])
  es_arr[2, 1, k] <- sum(s$ncases[s$exp == "FALSE"])
  es_arr[2, 2, k] <- sum(s$ncontrols[s$exp == "FALSE"])
}
# birthwt: exposure = smoke, outcome = low, strata = race
bw_arr <- xtabs(~ factor(smoke, levels = c(1, 0)) + factor(low, levels = c(1, 0)) + race, data = bw)
mh_cases <- list(
  mhcase("ucb_admissions", ucb_arr),
  mhcase("infert_spontaneous_by_education", inf_arr),
  mhcase("esoph_alcohol_by_age", es_arr),
  mhcase("birthwt_smoke_by_race", bw_arr)
)

wj(list(padjust = padjust_cases, cochran = cochran_cases, mantel_haenszel = mh_cases),
   "subgroup.json")
