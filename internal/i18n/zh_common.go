package i18n

// zhCommon: Chinese words of the common output, keyed by their English text.
var zhCommon = map[string]string{}
