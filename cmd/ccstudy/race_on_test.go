//go:build race

package main

// raceEnabled: the race detector slows the full report tenfold, so the
// example-report check runs in the separate non-race step of make test.
const raceEnabled = true
