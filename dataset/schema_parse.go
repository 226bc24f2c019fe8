package dataset

import (
	"encoding/json"
	"fmt"
)

// ParseSchema decodes a Table Schema. (Minimal version: validation of the
// schema itself is to be completed.)
func ParseSchema(b []byte, source string) (*Schema, error) {
	var s Schema
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: not valid JSON: %v", source, err)
	}
	if s.MissingValues == nil {
		s.MissingValues = []string{"", "NA"}
	}
	return &s, nil
}
