package i18n

// zhCluster: Chinese words of the cluster output, keyed by their English text.
var zhCluster = map[string]string{}
