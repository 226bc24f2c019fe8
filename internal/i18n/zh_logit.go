package i18n

// zhLogit: Chinese words of the logit output, keyed by their English text.
var zhLogit = map[string]string{}
