# Reference for the Fisher branch of the cluster-vs-case test in
# `ccstudy cluster`: PAM (cluster::pam) on the Euclidean distances of
# scale(rd_expenditure, dev_years) of the reference data with k = 6 has a
# cluster of 3 companies, so an expected count is below 5 and the command
# must switch from Pearson's chi-square to fisher.test.
# Rerun from the repo root:  Rscript testdata/reference/clustercmd/pam_fisher.R
# Writes testdata/reference/clustercmd/pam_fisher.json.
suppressMessages({library(jsonlite); library(cluster)})
out_dir <- "testdata/reference/clustercmd"
canon <- function(cl) {  # the command's numbering: decreasing size, ties by earliest row
  tab <- table(factor(cl, levels = unique(cl)))
  ord <- names(tab)[order(-as.integer(tab), seq_along(tab))]
  as.integer(match(as.character(cl), ord))
}
d <- read.csv("testdata/companies.csv", stringsAsFactors = FALSE)
x <- scale(cbind(d$rd_expenditure, d$dev_years))
p <- pam(dist(x), 6)
cl <- canon(p$clustering)
tab <- table(cl, d$case)
ct <- suppressWarnings(chisq.test(tab, correct = FALSE))
res <- list(r_version = R.version.string, vars = c("rd_expenditure", "dev_years"), k = 6,
            cluster = cl, size = as.integer(table(cl)), cases = as.integer(tapply(d$case, cl, sum)),
            min_expected = min(ct$expected), test = "fisher",
            p_value = fisher.test(tab)$p.value,
            silhouette_avg = p$silinfo$avg.width)
write_json(res, file.path(out_dir, "pam_fisher.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
