//go:build race

package cluster

// raceEnabled lets the slowest Monte-Carlo tests use fewer replicates under
// the race detector, which slows them about tenfold.
const raceEnabled = true
