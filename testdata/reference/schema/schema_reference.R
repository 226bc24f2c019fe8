# Reference data and values for `ccstudy schema infer`.
#
# Rerun from the repository root:
#   Rscript testdata/reference/schema/schema_reference.R
# It writes users'-style CSVs of public R datasets, each with a trait a
# draft schema must handle, and schema.json with what R reads in them:
#   airquality.csv  datasets::airquality, NA markers in two columns
#   pima.csv        MASS::Pima.tr, a Yes/No outcome (type)
#   biopsy.csv      MASS::biopsy, NA markers, a repeated ID column and a
#                   two-level text outcome (class: benign/malignant)
#   mtcars2.csv     datasets::mtcars written by write.csv2: ';' separated,
#                   decimal commas, and R's unnamed row-names column
#   chinese.csv     a small synthetic table with Chinese column names and
#                   labels (是/否 outcome, NA and "." markers)
# For every column: rows, missing cells, the sum of a numeric column, and
# the distinct values ordered as the draft schema orders categories: most
# frequent first, ties by first appearance.
suppressPackageStartupMessages({library(jsonlite); library(MASS)})
out_dir <- "testdata/reference/schema"

ordered_levels <- function(x) {
  x <- as.character(x[!is.na(x)])
  tab <- table(x)
  first <- match(names(tab), unique(x))
  names(tab)[order(-as.vector(tab), first)]
}

describe_csv <- function(df, outcome = NULL, event = NULL) {
  cols <- lapply(names(df), function(n) {
    x <- df[[n]]
    out <- list(name = n, missing = sum(is.na(x)), distinct = length(unique(x[!is.na(x)])))
    if (is.numeric(x)) out$sum <- sum(x, na.rm = TRUE)
    if (out$distinct <= 20) out$levels <- I(ordered_levels(x))
    out
  })
  res <- list(rows = nrow(df), columns = cols)
  if (!is.null(outcome)) {
    y <- df[[outcome]]
    res$outcome <- outcome
    res$cases <- sum(as.character(y) == event, na.rm = TRUE)
    res$controls <- sum(as.character(y) != event, na.rm = TRUE)
  }
  res
}

ref <- list()

write.csv(airquality, file.path(out_dir, "airquality.csv"), row.names = FALSE)
ref$airquality <- describe_csv(airquality)

pima <- MASS::Pima.tr
write.csv(pima, file.path(out_dir, "pima.csv"), row.names = FALSE)
ref$pima <- describe_csv(pima, "type", "Yes")

biopsy <- MASS::biopsy
biopsy$class <- as.character(biopsy$class)
write.csv(biopsy, file.path(out_dir, "biopsy.csv"), row.names = FALSE)
ref$biopsy <- describe_csv(biopsy, "class", "malignant")

write.csv2(mtcars, file.path(out_dir, "mtcars2.csv"))
ref$mtcars2 <- describe_csv(mtcars)

# Synthetic: no real people. Ages are missing as NA or as "." (as SAS
# and Stata write it); 地区 has one level that appears once.
set.seed(20211)
n <- 60
zh <- data.frame(
  编号 = sprintf("P%03d", seq_len(n)),
  性别 = sample(c("男", "女"), n, replace = TRUE, prob = c(0.55, 0.45)),
  病例 = sample(c("是", "否"), n, replace = TRUE, prob = c(0.4, 0.6)),
  年龄 = sample(30:80, n, replace = TRUE),
  地区 = c(sample(c("北京", "上海", "广州"), n - 1, replace = TRUE), "深圳"),
  吸烟 = sample(c("是", "否"), n, replace = TRUE),
  check.names = FALSE, stringsAsFactors = FALSE)
zh$年龄[c(5, 17, 40)] <- NA
lines <- c(paste(names(zh), collapse = ","),
           apply(zh, 1, function(r) paste(r, collapse = ",")))
lines <- sub(",  ?NA,", ",NA,", lines)
age_dot <- c(23, 51) # rows (data) whose age is written "."
for (i in age_dot) {
  parts <- strsplit(lines[i + 1], ",")[[1]]
  parts[4] <- "."
  lines[i + 1] <- paste(parts, collapse = ",")
}
zh$年龄[age_dot] <- NA
writeLines(enc2utf8(lines), file.path(out_dir, "chinese.csv"), useBytes = TRUE)
ref$chinese <- describe_csv(zh, "病例", "是")

writeLines(toJSON(ref, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(out_dir, "schema.json"))
