# Reference values for stats.MantelHaenszel's homogeneity tests and their
# handling of uninformative strata and zero cells (issue 13 item 6), and
# for its intervals at a level other than 95% (item 11).
#
# Rerun from the repository root:
#   Rscript testdata/reference/subgroup/mh_homogeneity.R
# It writes testdata/reference/subgroup/mh_homogeneity.json.
#
# The rule under test (the same in stats/mantelhaenszel.go):
#   - a stratum with an empty margin (no exposed, no unexposed, no cases or
#     no controls) is uninformative: it is excluded from the MH estimate and
#     test, Breslow-Day(-Tarone) and Woolf, and from their df;
#   - Woolf's statistic is the inverse-variance Q of the stratum log odds
#     ratios, 0.5 added to the cells of a stratum only when it has a zero
#     cell (metafor: add = 0.5, to = "only0").
# The script applies the exclusion itself (informative()), then asks R:
#   - mantelhaen.test (exact = FALSE; correct = FALSE and TRUE; conf.level
#     0.95 and 0.9) for the MH estimate, CI and test;
#   - metafor::rma.mh(measure = "OR") for Breslow-Day (BD) and Tarone (TA);
#   - epiR::epi.2by2 for Breslow-Day (OR.homog.brday) as a second source;
#   - metafor::rma(measure = "OR", add = 0.5, to = "only0", method = "FE")
#     for Woolf's Q (QE, QEp) and escalc() with the same correction for the
#     per-stratum log odds ratios and variances;
#   - Breslow-Day from the textbook formula (uniroot at tol 1e-14) as a
#     third, high-precision source.
# epiR's own Woolf test (OR.homog.woolf) adds 0.5 to every cell of every
# stratum; it is recorded (epir_woolf_all_cells) but is not the rule.
# Tables are arr[exposure (1, 0), outcome (case, control), stratum].
suppressPackageStartupMessages({
  library(jsonlite); library(metafor); library(epiR)
})
here <- file.path("testdata", "reference", "subgroup")
if (!dir.exists(here)) stop("run from the repository root")

informative <- function(arr) {
  vapply(seq_len(dim(arr)[3]), function(k) {
    t <- arr[, , k]
    all(rowSums(t) > 0) && all(colSums(t) > 0)
  }, TRUE)
}

bd_textbook <- function(arr, or_mh) {
  K <- dim(arr)[3]
  a <- arr[1, 1, ]; r1 <- arr[1, 1, ] + arr[1, 2, ]
  c1 <- arr[1, 1, ] + arr[2, 1, ]; n <- apply(arr, 3, sum)
  E <- numeric(K); V <- numeric(K)
  for (k in seq_len(K)) {
    lo <- max(0, c1[k] - (n[k] - r1[k])); hi <- min(r1[k], c1[k])
    f <- function(e) e * (n[k] - r1[k] - c1[k] + e) - or_mh * (r1[k] - e) * (c1[k] - e)
    e <- uniroot(f, c(lo, hi), tol = 1e-14)$root
    E[k] <- e
    V[k] <- 1 / (1 / e + 1 / (r1[k] - e) + 1 / (c1[k] - e) + 1 / (n[k] - r1[k] - c1[k] + e))
  }
  bd <- sum((a - E)^2 / V)
  list(breslow_day = bd, tarone = bd - (sum(a) - sum(E))^2 / sum(V))
}

mhcase <- function(name, arr, note) {
  arr <- array(as.numeric(arr), dim = dim(arr))
  inf <- informative(arr)
  sub <- arr[, , inf, drop = FALSE]
  K <- dim(sub)[3]
  df <- K - 1
  r0 <- mantelhaen.test(sub, correct = FALSE)
  r1 <- mantelhaen.test(sub, correct = TRUE)
  r90 <- mantelhaen.test(sub, correct = FALSE, conf.level = 0.9)
  d <- data.frame(ai = sub[1, 1, ], bi = sub[1, 2, ], ci = sub[2, 1, ], di = sub[2, 2, ])
  mh <- rma.mh(ai = ai, bi = bi, ci = ci, di = di, data = d, measure = "OR")
  wo <- rma(ai = ai, bi = bi, ci = ci, di = di, data = d, measure = "OR",
            add = 0.5, to = "only0", method = "FE")
  es <- escalc(ai = ai, bi = bi, ci = ci, di = di, data = d, measure = "OR",
               add = 0.5, to = "only0")
  ep <- suppressWarnings(epi.2by2(as.table(sub), method = "cross.sectional"))
  tb <- bd_textbook(sub, unname(r0$estimate))
  yi <- as.numeric(es$yi); sei <- sqrt(as.numeric(es$vi))
  strata <- lapply(seq_len(K), function(k) {
    list(or = exp(yi[k]), se_log_or = sei[k], corrected = any(sub[, , k] == 0),
         lower = exp(yi[k] - qnorm(0.975) * sei[k]), upper = exp(yi[k] + qnorm(0.975) * sei[k]),
         lower_90 = exp(yi[k] - qnorm(0.95) * sei[k]), upper_90 = exp(yi[k] + qnorm(0.95) * sei[k]))
  })
  list(name = name, note = note,
       tables = lapply(seq_len(dim(arr)[3]), function(k) lapply(1:2, function(i) arr[i, , k])),
       excluded = I(which(!inf) - 1), # 0-based, as the Go result
       informative = K, df = df,
       or_mh = unname(r0$estimate), conf_int = as.numeric(r0$conf.int),
       conf_int_90 = as.numeric(r90$conf.int),
       chisq = unname(r0$statistic), p_value = r0$p.value,
       chisq_corrected = unname(r1$statistic), p_value_corrected = r1$p.value,
       rma_mh_or = exp(as.numeric(mh$beta)),
       breslow_day = mh$BD, breslow_day_p = mh$BDp,
       tarone = mh$TA, tarone_p = mh$TAp,
       epir_breslow_day = ep$massoc.detail$OR.homog.brday$test.statistic,
       epir_breslow_day_df = ep$massoc.detail$OR.homog.brday$df,
       textbook_breslow_day = tb$breslow_day, textbook_tarone = tb$tarone,
       textbook_breslow_day_p = pchisq(tb$breslow_day, df, lower.tail = FALSE),
       textbook_tarone_p = pchisq(tb$tarone, df, lower.tail = FALSE),
       woolf = wo$QE, woolf_p = wo$QEp, woolf_df = wo$k - 1,
       epir_woolf_all_cells = ep$massoc.detail$OR.homog.woolf$test.statistic,
       strata = strata)
}

# UCBAdmissions: no zero cell, every stratum informative.
ucb <- UCBAdmissions
# esoph: alcohol >= 80 g/day by age group; the youngest group has a zero cell.
es <- datasets::esoph
es$exp <- es$alcgp %in% c("80-119", "120+")
es_arr <- array(0, dim = c(2, 2, nlevels(es$agegp)))
for (k in seq_len(nlevels(es$agegp))) {
  s <- es[es$agegp == levels(es$agegp)[k], ]
  es_arr[1, , k] <- c(sum(s$ncases[s$exp]), sum(s$ncontrols[s$exp]))
  es_arr[2, , k] <- c(sum(s$ncases[!s$exp]), sum(s$ncontrols[!s$exp]))
}
# birthwt: smoking by number of first-trimester visits; ftv = 6 is one
# subject (uninformative), ftv = 4 has a zero cell.
bw <- MASS::birthwt
bw_arr <- xtabs(~ factor(smoke, levels = c(1, 0)) + factor(low, levels = c(1, 0)) + ftv, data = bw)
# infert: any spontaneous abortion by education.
inf <- datasets::infert
inf_arr <- xtabs(~ factor(spontaneous > 0, levels = c(TRUE, FALSE)) +
                   factor(case, levels = c(1, 0)) + education, data = inf)
# UCBAdmissions with two constructed strata appended: one without
# controls, one without exposed subjects (both uninformative).
ucb_plus <- array(c(as.numeric(ucb), 10, 20, 0, 0, 0, 7, 0, 9), dim = c(2, 2, 8))

cases <- list(
  mhcase("ucb_admissions", ucb, "no zero cell, all strata informative"),
  mhcase("esoph_alcohol_by_age", es_arr, "a zero cell in an informative stratum"),
  mhcase("birthwt_smoke_by_ftv", bw_arr, "ftv = 6 (one subject) uninformative; ftv = 4 has a zero cell"),
  mhcase("infert_spontaneous_by_education", inf_arr, "no zero cell"),
  mhcase("ucb_plus_two_uninformative", ucb_plus, "constructed: two strata with an empty margin appended")
)
write_json(list(mantel_haenszel = cases), file.path(here, "mh_homogeneity.json"),
           digits = NA, auto_unbox = TRUE, pretty = TRUE)
