package dataset

import (
	"fmt"
	"os"
	"path/filepath"
)

// The loader's tests run on the reference study's schemas, which live in
// internal/refstudy (that package imports this one, so the tests read the
// files rather than import it).

// BuiltinSchemaJSON reads the raw JSON of a schema of internal/refstudy.
func BuiltinSchemaJSON(name string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join("..", "internal", "refstudy", "schemas", name+".json"))
	if err != nil {
		return nil, fmt.Errorf("no built-in schema %q: %v", name, err)
	}
	return b, nil
}

// BuiltinSchema parses a schema of internal/refstudy.
func BuiltinSchema(name string) (*Schema, error) {
	b, err := BuiltinSchemaJSON(name)
	if err != nil {
		return nil, err
	}
	return ParseSchema(b, "embedded:"+name)
}
