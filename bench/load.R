# Time R reading the CSV that bench/load_compare.sh also gives to
# `ccstudy validate`: read.csv, and data.table::fread on two threads when
# data.table is installed. Prints "name seconds" lines (elapsed time of
# the read call only, so R's start-up is not counted against R).
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]
what <- if (length(args) > 1) args[2] else "read.csv"
t <- switch(what,
  "read.csv" = system.time(d <- read.csv(path, na.strings = c("", "NA")))[["elapsed"]],
  "fread" = {
    suppressPackageStartupMessages(library(data.table))
    system.time(d <- fread(path, nThread = 2, na.strings = c("", "NA")))[["elapsed"]]
  })
stopifnot(nrow(d) == 1e6, ncol(d) == 12)
cat(what, format(t, digits = 15), "\n")
