# Helper sourced by the scripts in this folder. jsonlite (1.8.4) prints at
# most 15 significant digits even with digits = NA, which loses the last
# bits of doubles (enough to flip exact ties, e.g. in pam's BUILD). fp()
# turns every double vector/matrix in a list into verbatim JSON written with
# "%.17g", which round-trips exactly; write_full() writes the result.
fp <- function(x) {
  if (is.list(x)) {
    return(lapply(x, fp))
  }
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
