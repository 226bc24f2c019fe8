// Command ccstudy analyses case-control studies: it validates a
// case-control CSV against its Table Schema, describes it, fits logistic
// models, clusters the units and tests heterogeneity across subgroups.
// Without --data it runs on the embedded SYNTHETIC reference study.
package main

import (
	"os"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
