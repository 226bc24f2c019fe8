package i18n

// zhSubgroup: Chinese words of the subgroup output, keyed by their English text.
var zhSubgroup = map[string]string{}
