# Reference values for `ccstudy logit` on three choices of issue 13:
#   * item 9, empty factor levels: MASS::birthwt with a schema whose race
#     factor has a level (asian) that no row has. glm's model.frame drops
#     unused levels (drop.unused.levels = TRUE), so R fits the other
#     coefficients as without the level (an empty cell of an interaction
#     is reported NA instead); ccstudy must give the same estimates and
#     name the level it left out;
#   * item 10, samples: survival::lung (testdata/foreign/lung) with missing
#     values; each crude model on the rows available for its variable
#     (glm's na.omit per model) and on the adjusted model's complete cases;
#   * item 8, GVIF: car::vif on a brglm2 (Firth, AS_mean) fit, and the
#     message car::vif prints for a model with an interaction.
#
# Rerun from the repository root:
#   Rscript testdata/reference/logitcmd/samples_levels.R
# Needs car, brglm2, jsonlite. Writes testdata/reference/logitcmd/samples_levels.json.
suppressPackageStartupMessages({library(jsonlite); library(car); library(brglm2)})

read_study <- function(csv, schema_path) {
  schema <- fromJSON(schema_path, simplifyVector = FALSE)
  d <- read.csv(csv)
  for (f in schema$fields) if (!is.null(f$categories)) {
    lv <- vapply(f$categories, function(c) as.character(if (is.list(c)) c$value else c), "")
    d[[f$name]] <- factor(as.character(d[[f$name]]), levels = lv)
  }
  d
}

ctl <- glm.control(epsilon = 1e-14, maxit = 100)
glm_ref <- function(name, formula, data) {
  fit <- glm(formula, binomial, data, control = ctl)
  stopifnot(fit$converged)
  s <- summary(fit)$coefficients # rows of the estimable coefficients only
  cf <- coef(fit)
  list(name = name, names = I(names(cf)), aliased = I(names(cf)[is.na(cf)]),
       estimable = I(rownames(s)), estimate = unname(s[, 1]), std_error = unname(s[, 2]),
       statistic = unname(s[, 3]), p_value = unname(s[, 4]),
       n = length(fit$y), events = sum(fit$y), deviance = fit$deviance, null_deviance = fit$null.deviance,
       aic = AIC(fit))
}

# Item 9: empty level.
bw <- read_study("testdata/reference/describe/birthwt.csv", "testdata/reference/logitcmd/birthwt_emptylevel.schema.json")
stopifnot(sum(bw$race == "asian") == 0)
empty <- list(
  glm_ref("multivariable", low ~ age + lwt + race + smoke, bw),
  glm_ref("univariable:race", low ~ race, bw))

# Item 10: samples of the crude models.
lung <- read_study("testdata/foreign/lung/lung.csv", "testdata/foreign/lung/lung.schema.json")
vars <- c("age", "sex", "ph.karno", "wt.loss", "meal.cal")
adj <- glm_ref("multivariable", reformulate(vars, "dead"), lung)
cc <- lung[complete.cases(lung[, c("dead", vars)]), ]
available <- lapply(vars, function(v) glm_ref(paste0("univariable:", v), reformulate(v, "dead"), lung))
complete <- lapply(vars, function(v) glm_ref(paste0("univariable:", v), reformulate(v, "dead"), cc))

# Item 8: GVIF of a Firth fit (car::vif uses vcov, brglm2's at the
# penalized estimate), and car's message for an interaction model.
bw0 <- read_study("testdata/reference/describe/birthwt.csv", "testdata/reference/describe/birthwt.schema.json")
ff <- low ~ age + lwt + race + smoke + ptl + ht + ui + ftv
firth <- glm(ff, binomial, bw0, method = "brglm_fit", type = "AS_mean", epsilon = 1e-14, maxit = 1000)
stopifnot(firth$converged)
v <- vif(firth)
inter <- glm(low ~ age + smoke * ui, binomial, bw0, control = ctl)
msg <- ""
withCallingHandlers(vi <- vif(inter), message = function(m) { msg <<- conditionMessage(m); invokeRestart("muffleMessage") })
stopifnot(nzchar(msg))

out <- list(
  empty_level = list(schema = "testdata/reference/logitcmd/birthwt_emptylevel.schema.json", models = empty),
  samples = list(covariates = I(vars), adjusted = adj, available = available, complete = complete),
  firth_gvif = list(formula = deparse(ff), names = I(names(coef(firth))), estimate = unname(coef(firth)),
                    terms = I(rownames(v)), gvif = unname(v[, 1]), df = unname(v[, 2])),
  interaction_vif = list(formula = "low ~ age + smoke * ui", car_message = msg, terms = I(names(vi)), gvif = unname(vi)))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "testdata/reference/logitcmd/samples_levels.json")
