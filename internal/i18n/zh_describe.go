package i18n

// zhDescribe: Chinese words of the describe output, keyed by their English text.
var zhDescribe = map[string]string{}
