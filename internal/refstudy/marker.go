package refstudy

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// MarkerName is the file `ccstudy simulate` writes beside the CSVs it
// simulates, so that an analysis of them says they are synthetic even
// when they are read back with --data.
const MarkerName = "SYNTHETIC.json"

// Marker is the content of MarkerName.
type Marker struct {
	Generator string `json:"generator"`
	Notice    string `json:"notice"`
	Seed      uint64 `json:"seed"`
	// CompaniesSHA256 is the hash of the companies.csv written with it:
	// a file edited afterwards no longer matches (and is then the user's).
	CompaniesSHA256 string `json:"companies_sha256"`
}

// NewMarker is the marker of a simulated companies file.
func NewMarker(seed uint64, companies []byte) ([]byte, error) {
	sum := sha256.Sum256(companies)
	b, err := json.MarshalIndent(Marker{Generator: "ccstudy simulate", Notice: Notice, Seed: seed, CompaniesSHA256: hex.EncodeToString(sum[:])}, "", "  ")
	return append(b, '\n'), err
}

// IsSyntheticDigest reports whether a companies file is synthetic from
// its SHA-256 in hex (as dataset.Table.SHA256 holds it, so the file's
// bytes need not be kept): the embedded reference data, or a file whose
// simulate marker (the content of MarkerName beside it, nil if none)
// names that digest.
func IsSyntheticDigest(digest string, marker []byte) bool {
	if digest == embeddedDigest {
		return true
	}
	if marker == nil {
		return false
	}
	var m Marker
	if json.Unmarshal(marker, &m) != nil || m.Generator != "ccstudy simulate" {
		return false
	}
	return m.CompaniesSHA256 == digest
}

// embeddedDigest is the SHA-256 of CompaniesCSV in hex.
var embeddedDigest = func() string {
	sum := sha256.Sum256(CompaniesCSV)
	return hex.EncodeToString(sum[:])
}()
