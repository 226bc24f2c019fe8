//go:build !race

package refstudy_test

const raceEnabled = false
