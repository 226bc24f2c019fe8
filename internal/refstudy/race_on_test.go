//go:build race

package refstudy_test

// raceEnabled lets the calibration skip under the race detector, which
// slows its hundreds of fits about tenfold.
const raceEnabled = true
