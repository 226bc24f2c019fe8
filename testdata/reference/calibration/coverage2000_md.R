# Writes coverage2000.md from coverage2000.json and pseudotrue.json (no
# fitting: coverage2000.R sources this at its end; run alone it rewrites
# the markdown from the committed JSON):
#   Rscript testdata/reference/calibration/coverage2000_md.R
suppressPackageStartupMessages(library(jsonlite))

write_coverage_md <- function(res, pseudo, path) {
  pc <- function(x) sprintf("%.1f", 100 * x)
  sgn <- function(x, d = 3) sprintf(paste0("%+.", d, "f"), x)
  zs <- function(r, nominal) (r$rate - nominal) / sqrt(nominal * (1 - nominal) / r$studies)
  lvl <- res$level
  L <- character(0); add <- function(...) L <<- c(L, sprintf(...))
  slope <- function(term) res$slopes[[match(term, vapply(res$slopes, function(s) s$term, ""))]]
  dev <- slope("dev_years"); big <- res$design_4x
  dev4 <- big$slopes[[match("dev_years", vapply(big$slopes, function(s) s$term, ""))]]
  pdev <- pseudo$slopes[pseudo$slopes$term == "dev_years", ]

  add("# Is `dev_years` really under-covered? The calibration with %d studies, in R", res$studies)
  add("")
  add("Written by testdata/reference/calibration/coverage2000.R (this text by coverage2000_md.R) from coverage2000.json and pseudotrue.json; do not edit by hand. %s.", res$r_version)
  add("")
  add("testdata/calibration.md (500 studies) puts the %.0f%% Wald and profile coverage of a few slopes below the 93.5–96.5%% band, `dev_years` lowest. Three explanations were open: chance (16 slopes, MC SE 1.4 points at 390 studies), a real small-sample property of ML intervals at this design (90 cases, 90 controls, 16 slopes), or a wrong truth (the slope a fit to the case-control sample estimates is not `refstudy.TrueCoefficients`). These are properties of the methods on synthetic data, not findings of the thesis.", 100 * lvl)
  add("")
  add("## The truth is right")
  add("")
  add("pseudotrue.R fits the true formula by `glm` to one study of the same DGP with %s cases and %s controls from a source population of %s (`ccstudy simulate --seed %d`): its slopes are the pseudo-true values up to their SE. Case status is drawn from the logistic model in exactly the covariates the CSV records (dev_years as the capped integer, log(rd_expenditure) of the rounded value), so case-control sampling changes only the intercept; the fit agrees.",
      format(pseudo$cases, big.mark = ","), format(pseudo$controls, big.mark = ","), format(pseudo$population, big.mark = ","), pseudo$seed)
  add("")
  add("| slope | DGP log OR | large-sample estimate | SE | z |")
  add("|---|---:|---:|---:|---:|")
  for (j in seq_len(nrow(pseudo$slopes))) with(pseudo$slopes[j, ], add("| `%s` | %.4f | %.4f | %.4f | %+.2f |", term, log_or, estimate, se, z))
  add("")
  add("Joint Wald test that all %d slopes equal the DGP's: χ² %.1f on %d df, p %.2f. For `dev_years` the large-sample slope is %.4f ± %.4f against the DGP's %.4f, while the ML bias at the design is %s (below): the bias is %.0f times the large-sample SE, so it is not the truth that is off. TestPseudoTrueSlopes (internal/refstudy/calibration_pseudotrue_test.go) keeps this checked.",
      pseudo$joint$df, pseudo$joint$chisq, pseudo$joint$df, pseudo$joint$p, pdev$estimate, pdev$se, pdev$log_or, sgn(dev$bias), dev$bias / pdev$se)
  add("")
  add("## Coverage in %d studies", res$studies)
  add("")
  add("The first %d studies of calibration.md's true DGP (the same seeds; its 500 are the first 500 here), glm with a tight control; separation (found as calibration.R finds it) in %d, which are left out, so each ML figure is over %d studies. Profile limits are MASS's `confint`, for the slopes outside the band in calibration.md only (%d profile failures, left out). A miss is *below* when the whole interval is below the truth (the estimate too low) and *above* when it is above. MC SE = √(p(1−p)/n). \"Normal approx.\" is the coverage a normal estimator with the measured bias and SD would have with a fixed SE equal to the mean Wald SE: what bias and an SE that understates the spread explain of the shortfall.",
      res$studies, res$separated, res$studies - res$separated, res$profile_failed)
  add("")
  add("| slope | true log OR | studies | Wald | MC SE | misses below / above | profile | misses below / above | ML bias ± MC SE | SD of estimates | IQR-based SD | mean Wald SE | SD / mean SE | bias / SD | normal approx. |")
  add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
  for (s in res$slopes) {
    pr <- if (is.null(s$profile)) c("", "") else c(pc(s$profile$rate), sprintf("%d / %d", s$profile$below, s$profile$above))
    add("| `%s` | %.4f | %d | %s | %.1f | %d / %d | %s | %s | %s ± %.3f | %.3f | %.3f | %.3f | %.2f | %s | %s |",
        s$term, s$log_or, s$wald$studies, pc(s$wald$rate), 100 * s$wald$mc_se, s$wald$below, s$wald$above, pr[1], pr[2],
        sgn(s$bias), s$bias_mc_se, s$sd_estimate, s$iqr_sd_estimate, s$mean_se, s$sd_over_mean_se, sgn(s$bias_over_sd, 2), pc(s$normal_approx_coverage))
  }
  add("")
  out <- character(0)
  for (s in res$slopes) for (kind in c("wald", "profile")) {
    r <- s[[kind]]
    if (is.null(r)) next
    if (r$rate < 0.935 || r$rate > 0.965)
      out <- c(out, sprintf("- %s coverage of `%s`: %s%% (%+.1f MC SEs from %.0f%%)", if (kind == "wald") "Wald" else "profile", s$term, pc(r$rate), zs(r, lvl), 100 * lvl))
  }
  add("Outside the 93.5–96.5%% band with %d studies:%s", res$studies - res$separated, if (length(out)) "" else " none.")
  if (length(out)) { add(""); L <- c(L, out) }
  add("")
  add("## Four times the design")
  add("")
  add("%d studies of %d cases and %d controls from a source population of %s (`ccstudy simulate --seed 3000000+i`, the same DGP; separation in %d, left out): Wald limits of every slope. A small-sample property of ML shrinks as the study grows; a wrong truth would not (its miss would grow with the precision).",
      big$studies, big$cases, big$controls, format(big$population, big.mark = ","), big$separated)
  add("")
  add("| slope | Wald, 90 + 90 | MC SE | Wald, %d + %d | MC SE | misses below / above (%d + %d) | ML bias, 90 + 90 | ML bias, %d + %d | SD / mean SE, 90 + 90 | SD / mean SE, %d + %d |",
      big$cases, big$controls, big$cases, big$controls, big$cases, big$controls, big$cases, big$controls)
  add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
  for (j in seq_along(res$slopes)) {
    s <- res$slopes[[j]]; b <- big$slopes[[j]]
    add("| `%s` | %s | %.1f | %s | %.1f | %d / %d | %s ± %.3f | %s ± %.3f | %.2f | %.2f |", s$term, pc(s$wald$rate), 100 * s$wald$mc_se,
        pc(b$wald$rate), 100 * b$wald$mc_se, b$wald$below, b$wald$above, sgn(s$bias), s$bias_mc_se, sgn(b$bias), b$bias_mc_se,
        s$sd_over_mean_se, b$sd_over_mean_se)
  }
  add("")
  add("## Type-I error of the interaction likelihood-ratio test (%d null studies)", res$studies)
  add("")
  add("The null DGP of calibration.md (both interactions 0), tested as calibration.R tests it: `anova(reduced, full, test = \"LRT\")` with glm's default control, rejected at p < %.2f; the default column is `ccstudy subgroup --method auto`'s test (Firth's penalized LR test where the full model is separated, %d studies). Target 4–6%%.", 1 - lvl, res$null_separated)
  add("")
  add("| interaction | ML, all studies | MC SE | ML, MLE exists | MC SE | default (`--method auto`) | MC SE |")
  add("|---|---:|---:|---:|---:|---:|---:|")
  for (t in res$type_i) add("| `%s` | %s (%d / %d) | %.1f | %s (%d / %d) | %.1f | %s (%d / %d) | %.1f |", t$interaction,
                            pc(t$ml_all$rate), t$ml_all$rejected, t$ml_all$tested, 100 * t$ml_all$mc_se,
                            pc(t$ml_mle_exists$rate), t$ml_mle_exists$rejected, t$ml_mle_exists$tested, 100 * t$ml_mle_exists$mc_se,
                            pc(t$default$rate), t$default$rejected, t$default$tested, 100 * t$default$mc_se)
  add("")
  ti <- res$type_i
  mnc <- slope("rd_leader_backgroundoverseas_mnc"); fic <- slope("company_typetraditional:noveltyfirst_in_class")
  add("## Conclusion")
  add("")
  add("**A real small-sample property of maximum likelihood at this design; neither chance nor a wrong truth.**")
  add("")
  add("- *Not a wrong truth.* The slope a fit to a case-control sample of the DGP estimates is `refstudy.TrueCoefficients` (joint p %.2f above; `dev_years` z %+.2f). The calibration keeps scoring against them, and nothing in the DGP or the embedded data changes.",
      pseudo$joint$p, pdev$z)
  # The studies after calibration.md's first 500 alone: a replication
  # that shares no study with the figures that raised the question.
  st <- read.csv(sub("\\.md$", "_studies.csv", path))
  st <- st[st$study >= 500 & !st$separated, ]
  z <- qnorm(1 - (1 - lvl) / 2)
  t_dev <- dev$log_or
  rep_hit <- with(st, dev_years_estimate - z * dev_years_se <= t_dev & t_dev <= dev_years_estimate + z * dev_years_se)
  rep <- list(rate = mean(rep_hit), studies = length(rep_hit))
  add("- *Not chance.* With %d studies (%d with an MLE) `dev_years`'s Wald coverage is %s%% (%+.1f MC SEs from %.0f%%) and its profile coverage %s%% (%+.1f); in the %d studies after calibration.md's 500 alone (%d with an MLE), which share none of the studies that raised the question, the Wald coverage is %s%% (%+.1f).",
      res$studies, dev$wald$studies, pc(dev$wald$rate), zs(dev$wald, lvl), 100 * lvl, pc(dev$profile$rate), zs(dev$profile, lvl),
      res$studies - 500L, rep$studies, pc(rep$rate), zs(rep, lvl))
  add("- *A property of ML at 90 cases and 90 controls for 16 slopes* (under 6 cases per slope): the estimate is biased away from zero (%s ± %.3f, %.2f of its SD, %.0f MC SEs) and the Wald SE understates the spread of the estimates (SD / mean SE %.2f); so the misses fall mostly above the truth (%d below, %d above), and a normal estimator with that bias and spread covers %s%%, close to the observed %s%%. At four times the design the coverage is %s%% ± %.1f and the bias %s ± %.3f: the shortfall goes as the study grows, as a small-sample property does.",
      sgn(dev$bias), dev$bias_mc_se, dev$bias_over_sd, dev$bias / dev$bias_mc_se, dev$sd_over_mean_se, dev$wald$below, dev$wald$above,
      pc(dev$normal_approx_coverage), pc(dev$wald$rate), pc(dev4$wald$rate), 100 * dev4$wald$mc_se, sgn(dev4$bias), dev4$bias_mc_se)
  add("- The same holds for `rd_leader_background[overseas_mnc]` (Wald %s%%, bias %s, misses %d below / %d above) and the other slopes listed above; the first-in-class interaction errs the other way (Wald %s%%, conservative). Firth's penalized likelihood removes the first-order bias of ML, and calibration.md's Firth column (ccstudy's, 500 studies) puts these under-covered slopes in the band: at a design this small, Firth's intervals are the better-calibrated choice.",
      pc(mnc$wald$rate), sgn(mnc$bias), mnc$wald$below, mnc$wald$above, pc(fic$wald$rate))
  add("- Type-I error: the ML likelihood ratio in every study rejects %s%% and %s%%, too often, because of the separated studies; where the MLE exists it is %s%% and %s%%, and the default test (Firth's where separated) %s%% and %s%%.",
      pc(ti[[1]]$ml_all$rate), pc(ti[[2]]$ml_all$rate), pc(ti[[1]]$ml_mle_exists$rate), pc(ti[[2]]$ml_mle_exists$rate),
      pc(ti[[1]]$default$rate), pc(ti[[2]]$default$rate))
  add("")
  add("TestCoverage2000 (internal/refstudy/calibration_pseudotrue_test.go) checks that the first 500 studies here are calibration.json's, recounts the `dev_years` coverage and the type-I counts from coverage2000_studies.csv, and fails if a rerun no longer supports this conclusion.")
  writeLines(L, path, useBytes = TRUE)
}

if (sys.nframe() == 0L) {
  args <- commandArgs(trailingOnly = TRUE)
  prefix <- if (length(args) >= 1) args[1] else "testdata/reference/calibration/coverage2000"
  write_coverage_md(fromJSON(paste0(prefix, ".json"), simplifyVector = FALSE),
                    fromJSON("testdata/reference/calibration/pseudotrue.json"), paste0(prefix, ".md"))
}
