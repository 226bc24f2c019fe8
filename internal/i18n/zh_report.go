package i18n

// zhReport: Chinese words of the report output, keyed by their English text.
var zhReport = map[string]string{}
