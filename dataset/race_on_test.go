//go:build race

package dataset

// raceEnabled: the race detector slows the bit comparisons with the old
// design path several times over; they then check fewer designs (the
// parallel paths are still compared, at 2^15 rows).
const raceEnabled = true
