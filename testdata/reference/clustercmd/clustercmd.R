# Command-level reference for `ccstudy cluster` (cmd/ccstudy/cluster_test.go
# and internal/analysis/cluster_test.go read the JSON written here).
# Rerun from the repo root:  Rscript testdata/reference/clustercmd/clustercmd.R
# Writes companies.json, usarrests.json (+ USArrests.csv and its schema) and
# timing.json in testdata/reference/clustercmd. Takes a few minutes.
#
# Everything is computed by R's own functions on data encoded here exactly
# as the command encodes it (one 0/1 column per level of every categorical
# covariate, log(rd_expenditure), scale()). Partitions are relabelled as the
# command numbers its clusters (decreasing size, ties: the cluster holding
# the earliest row first), so two partitions are the same exactly when their
# label vectors are equal (adjusted Rand index 1).
suppressMessages({library(jsonlite); library(cluster); library(fpc)})
out_dir <- "testdata/reference/clustercmd"

# jsonlite prints at most 15 significant digits; write doubles with %.17g.
fp <- function(x) {
  if (is.list(x)) return(lapply(x, fp))
  if (is.double(x)) {
    num <- function(v) { s <- sprintf("%.17g", v); s[is.na(v)] <- "null"; s }
    if (is.matrix(x)) {
      rows <- apply(x, 1, function(r) paste0("[", paste(num(r), collapse = ","), "]"))
      return(structure(paste0("[", paste(rows, collapse = ","), "]"), class = "json"))
    }
    if (length(x) == 1 && !inherits(x, "AsIs")) return(structure(num(x), class = "json"))
    return(structure(paste0("[", paste(num(x), collapse = ","), "]"), class = "json"))
  }
  x
}
write_full <- function(x, path) {
  jsonlite::write_json(fp(x), path, digits = NA, auto_unbox = TRUE, pretty = TRUE,
                       json_verbatim = TRUE, na = "null")
}

canon <- function(cl) {
  tab <- table(factor(cl, levels = unique(cl)))        # clusters in order of first row
  ord <- names(tab)[order(-as.integer(tab), seq_along(tab))]
  as.integer(match(as.character(cl), ord))
}

# Best of many k-means restarts, then the criteria for that partition.
best_kmeans <- function(x, k, seed) {
  set.seed(seed)
  km <- kmeans(x, k, nstart = 100, iter.max = 50)
  cl <- canon(km$cluster)
  list(k = k, tot_withinss = km$tot.withinss, cluster = cl,
       size = as.integer(table(factor(cl, levels = 1:k))),
       silhouette_avg = summary(silhouette(cl, dist(x)))$avg.width,
       calinski_harabasz = calinhara(x, cl))
}

case_test <- function(cl, case) {
  tab <- table(cl, case)
  ct <- suppressWarnings(chisq.test(tab, correct = FALSE))
  if (min(ct$expected) < 5) {
    list(test = "fisher", p_value = fisher.test(tab)$p.value, min_expected = min(ct$expected))
  } else {
    list(test = "chi-square", statistic = unname(ct$statistic), df = unname(ct$parameter),
         p_value = ct$p.value, min_expected = min(ct$expected))
  }
}

gap_of <- function(x, seed) {
  set.seed(seed)
  tm <- system.time(g <- clusGap(x, FUNcluster = kmeans, K.max = 8, B = 500, d.power = 2,
                                 spaceH0 = "scaledPCA", verbose = FALSE, nstart = 25))
  gap_time <<- tm
  list(B = 500, nstart = 25, k_max = 8, log_w = unname(g$Tab[, "logW"]),
       gap = unname(g$Tab[, "gap"]), se_sim = unname(g$Tab[, "SE.sim"]),
       k_tibshirani = maxSE(g$Tab[, "gap"], g$Tab[, "SE.sim"], method = "Tibs2001SEmax"))
}

# ---- the reference companies data ----
d <- read.csv("testdata/companies.csv", stringsAsFactors = FALSE)
schema <- fromJSON("internal/refstudy/schemas/companies.json", simplifyVector = FALSE)
covs <- Filter(function(f) identical(f$role, "covariate"), schema$fields)
mf <- list(); names_out <- character(); vars_out <- character()
for (f in covs) {
  if (!is.null(f$categories)) {
    lev <- vapply(f$categories, function(c) c$value, "")
    mf[[f$name]] <- factor(d[[f$name]], levels = lev)
    names_out <- c(names_out, paste0(f$name, "[", lev, "]"))
    vars_out <- c(vars_out, rep(f$name, length(lev)))
  } else if (identical(f$transform, "log")) {
    nm <- paste0("log(", f$name, ")")
    mf[[nm]] <- log(d[[f$name]])
    names_out <- c(names_out, nm); vars_out <- c(vars_out, nm)
  } else {
    mf[[f$name]] <- as.numeric(d[[f$name]])
    names_out <- c(names_out, f$name); vars_out <- c(vars_out, f$name)
  }
}
mf <- as.data.frame(mf, check.names = FALSE)
facs <- names(mf)[vapply(mf, is.factor, TRUE)]
X <- model.matrix(~ . - 1, mf, contrasts.arg = lapply(mf[facs], contrasts, contrasts = FALSE))
stopifnot(ncol(X) == length(names_out))
x <- scale(X)
dimnames(x) <- NULL
attr(x, "scaled:center") <- NULL; attr(x, "scaled:scale") <- NULL

per_k <- lapply(2:8, function(k) {
  b <- best_kmeans(x, k, 1000 + k)
  b$case_test <- case_test(b$cluster, d$case)
  b$cases <- as.integer(tapply(d$case, factor(b$cluster, levels = 1:k), sum))
  b
})
gap <- gap_of(x, 2001)
t_gap <- gap_time

# PAM on Gower distances of the unencoded covariates (daisy), and on the
# Euclidean distances of the standardized matrix.
gdf <- mf
gd <- suppressWarnings(daisy(gdf, metric = "gower"))
pam_gower <- lapply(2:8, function(k) {
  p <- pam(gd, k)
  cl <- canon(p$clustering)
  list(k = k, cluster = cl, silhouette_avg = p$silinfo$avg.width,
       medoids = d$company_id[p$id.med], case_test = case_test(cl, d$case))
})
ed <- dist(x)
pam_euclid <- lapply(2:8, function(k) {
  p <- pam(ed, k)
  cl <- canon(p$clustering)
  list(k = k, cluster = cl, silhouette_avg = p$silinfo$avg.width,
       calinski_harabasz = calinhara(x, cl))
})

# Time R doing what `ccstudy cluster` does with its defaults: k-means
# (nstart 25) and its criteria for k = 2..8, clusGap (B = 500), and 200
# bootstrap replicates of kmeans(nstart = 25) for the chosen k.
set.seed(7)
t_sel <- system.time(for (k in 2:8) {
  km <- kmeans(x, k, nstart = 25)
  summary(silhouette(km$cluster, ed))$avg.width; calinhara(x, km$cluster)
})
kmCBI25 <- function(data, k) {
  km <- kmeans(data, k, nstart = 25)
  list(result = km, nc = k, clusterlist = lapply(1:k, function(i) km$cluster == i),
       partition = km$cluster, clustermethod = "kmeans")
}
t_boot <- system.time(clusterboot(x, B = 200, bootmethod = "boot", clustermethod = kmCBI25,
                                   k = gap$k_tibshirani, count = FALSE, showplots = FALSE))

companies <- list(
  r_version = R.version.string,
  columns = names_out, column_vars = vars_out, ids = d$company_id, case = d$case,
  x = x, totss = sum(scale(x, scale = FALSE)^2),
  kmeans = per_k, gap = gap, pam_gower = pam_gower, pam_euclidean = pam_euclid)
write_full(companies, file.path(out_dir, "companies.json"))

# ---- a public data set end to end: USArrests ----
ua <- data.frame(State = rownames(USArrests), USArrests, row.names = NULL)
write.csv(ua, file.path(out_dir, "USArrests.csv"), row.names = FALSE)
ux <- scale(as.matrix(USArrests)); dimnames(ux) <- NULL
attr(ux, "scaled:center") <- NULL; attr(ux, "scaled:scale") <- NULL
ua_k <- lapply(2:8, function(k) best_kmeans(ux, k, 3000 + k))
ua_gap <- gap_of(ux, 2002)
ua_prof <- lapply(ua_k, function(b) {
  lapply(c("Murder", "Assault", "UrbanPop", "Rape"), function(v) {
    g <- factor(b$cluster, levels = 1:b$k)
    list(variable = v, mean = unname(tapply(USArrests[[v]], g, mean)),
         sd = unname(tapply(USArrests[[v]], g, sd)),
         median = unname(tapply(USArrests[[v]], g, median)))
  })
})
for (i in seq_along(ua_k)) ua_k[[i]]$profiles <- ua_prof[[i]]
write_full(list(r_version = R.version.string, ids = ua$State, x = ux, totss = sum(ux^2),
                columns = colnames(USArrests), kmeans = ua_k, gap = ua_gap),
           file.path(out_dir, "usarrests.json"))

cpu <- function(tm) tm[["user.self"]] + tm[["sys.self"]]
write_full(list(r_version = R.version.string,
                note = "seconds on the machine that ran this script: elapsed, and CPU (user + system; R is single-threaded)",
                elapsed = list(companies_gap_b500_nstart25 = t_gap[["elapsed"]],
                               companies_selection_k2to8_nstart25 = t_sel[["elapsed"]],
                               companies_clusterboot_b200_nstart25 = t_boot[["elapsed"]]),
                cpu = list(companies_gap_b500_nstart25 = cpu(t_gap),
                           companies_selection_k2to8_nstart25 = cpu(t_sel),
                           companies_clusterboot_b200_nstart25 = cpu(t_boot))),
           file.path(out_dir, "timing.json"))
