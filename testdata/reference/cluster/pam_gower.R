# Reference values for cluster.PAM and cluster.Gower:
# cluster::pam(diss, k) and cluster::daisy(x, metric = "gower").
# Rerun from the repo root:  Rscript testdata/reference/cluster/pam_gower.R
# Writes testdata/reference/cluster/pam_gower.json (inputs included).
suppressMessages({library(jsonlite); library(cluster)})
out_dir <- "testdata/reference/cluster"
source(file.path(out_dir, "fulljson.R"))

pam_case <- function(name, d, k) {
  p <- pam(d, k)
  si <- p$silinfo
  w <- si$widths
  ord <- as.integer(rownames(w))   # observation index of each silhouette row
  sil <- numeric(attr(d, "Size")); sil[ord] <- w[, "sil_width"]
  nb <- integer(attr(d, "Size")); nb[ord] <- w[, "neighbor"]
  list(name = name, k = k, d = unname(as.matrix(d)), medoids = p$id.med,
       clustering = unname(p$clustering),
       objective_build = unname(p$objective["build"]),
       objective_swap = unname(p$objective["swap"]),
       sil_width = sil, neighbor = nb,
       clus_avg_widths = si$clus.avg.widths, avg_width = si$avg.width,
       clusinfo = unname(p$clusinfo), isolation = as.character(p$isolation))
}

agr <- agriculture; rownames(agr) <- NULL
usa <- USArrests; rownames(usa) <- NULL
fl <- flower
cases <- list()
for (k in 2:4) cases[[length(cases) + 1]] <- pam_case("agriculture_daisy", daisy(agr), k)
for (k in 2:5) cases[[length(cases) + 1]] <- pam_case("usarrests_dist", dist(usa), k)
for (k in 2:4) cases[[length(cases) + 1]] <- pam_case("flower_gower", daisy(fl, metric = "gower"), k)

# Gower inputs: factors -> nominal codes, ordered factors -> ordinal codes
# (daisy's data.matrix gives their integer codes, range-normalised like numbers).
gower_cols <- function(df) {
  lapply(names(df), function(nm) {
    v <- df[[nm]]
    kind <- if (is.ordered(v)) "ordinal" else if (is.factor(v)) "nominal" else "numeric"
    list(name = nm, kind = kind, values = as.numeric(if (is.factor(v)) as.integer(v) else v))
  })
}
fl_na <- flower
fl_na[2, "V7"] <- NA; fl_na[5, "V7"] <- NA; fl_na[3, "V1"] <- NA
fl_na[3, "V4"] <- NA; fl_na[10, "V6"] <- NA; fl_na[11, "V8"] <- NA
g1 <- daisy(fl, metric = "gower")
g2 <- daisy(fl_na, metric = "gower")
gower <- list(
  list(name = "flower", columns = gower_cols(fl), d = unname(as.matrix(g1))),
  list(name = "flower_with_na", columns = gower_cols(fl_na), d = unname(as.matrix(g2))))

res <- list(r_version = R.version.string, pam = cases, gower = gower)
write_full(res, file.path(out_dir, "pam_gower.json"))
