# Reference for the gap statistic on data with no cluster structure
# (issue 13 item 5): cmd/ccstudy/cluster_test.go and
# internal/analysis/cluster_test.go read nostructure.json.
# Rerun from the repo root:  Rscript testdata/reference/clustercmd/nostructure.R
# Writes nostructure.csv (+ its schema) and nostructure.json. Takes about a minute.
#
# 120 rows of three independent standard normal variables (one population:
# no clusters) and a random binary outcome. clusGap (B = 500, nstart = 25,
# scaledPCA reference sets) with Tibshirani et al.'s rule, maxSE
# "Tibs2001SEmax", gives k = 1; the rule applied from k = 2 on
# (maxSE(gap[-1], SE[-1]) + 1) is the k the command reports then.
suppressMessages({library(jsonlite); library(cluster)})
out_dir <- "testdata/reference/clustercmd"

fp <- function(x) {
  if (is.list(x)) return(lapply(x, fp))
  if (is.double(x)) {
    num <- function(v) { s <- sprintf("%.17g", v); s[is.na(v)] <- "null"; s }
    if (length(x) == 1 && !inherits(x, "AsIs")) return(structure(num(x), class = "json"))
    return(structure(paste0("[", paste(num(x), collapse = ","), "]"), class = "json"))
  }
  x
}

set.seed(20261)
n <- 120
d <- data.frame(id = sprintf("u%03d", 1:n), y = rbinom(n, 1, 0.5),
                x1 = round(rnorm(n), 6), x2 = round(rnorm(n), 6), x3 = round(rnorm(n), 6))
write.csv(d, file.path(out_dir, "nostructure.csv"), row.names = FALSE)
x <- scale(as.matrix(d[, c("x1", "x2", "x3")])); dimnames(x) <- NULL

set.seed(2003)
g <- clusGap(x, FUNcluster = kmeans, K.max = 8, B = 500, d.power = 2,
             spaceH0 = "scaledPCA", verbose = FALSE, nstart = 25)
gap <- unname(g$Tab[, "gap"]); se <- unname(g$Tab[, "SE.sim"])
k_all <- maxSE(gap, se, method = "Tibs2001SEmax")
k_from2 <- maxSE(gap[-1], se[-1], method = "Tibs2001SEmax") + 1
stopifnot(k_all == 1)

# Best tot.withinss per k (many restarts), the criteria the table reports.
tw <- sapply(2:8, function(k) { set.seed(4000 + k); kmeans(x, k, nstart = 100, iter.max = 50)$tot.withinss })

jsonlite::write_json(fp(list(r_version = R.version.string, B = 500L, nstart = 25L, k_max = 8L,
                             log_w = unname(g$Tab[, "logW"]), gap = gap, se_sim = se,
                             k_tibshirani = k_all, k_tibshirani_from_2 = k_from2,
                             totss = sum(x^2), tot_withinss = tw)),
                     file.path(out_dir, "nostructure.json"), digits = NA, auto_unbox = TRUE,
                     pretty = TRUE, json_verbatim = TRUE)
