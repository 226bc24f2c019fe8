package report

import "github.com/ccstudy/ccstudy/dataset"

// Manifest records how a report was made (manifest.json).
type Manifest struct {
	Tool        string            `json:"tool"`
	Version     string            `json:"version"`
	GoVersion   string            `json:"go_version"`
	Revision    string            `json:"revision,omitempty"`
	Synthetic   bool              `json:"synthetic_data"`
	Data        []ManifestData    `json:"data"`
	Seed        uint64            `json:"seed"`
	CommandLine []string          `json:"command_line"`
	Settings    map[string]any    `json:"settings"`
	Steps       []*Section        `json:"steps"`
	Figures     FigureSettings    `json:"figures"`
	Files       []ManifestFile    `json:"files"`
	Notes       map[string]string `json:"notes"`
}

// ManifestData identifies an input file.
type ManifestData struct {
	Role   string `json:"role"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}

// ManifestFile is one written file and its digest.
type ManifestFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// manifest describes r; the caller adds the files.
func (r *Report) manifest() *Manifest {
	m := &Manifest{Tool: "ccstudy", Version: r.Version, GoVersion: r.GoVersion, Revision: r.Revision, Synthetic: r.Synthetic,
		Seed: r.Seed, CommandLine: r.CommandLine, Steps: r.Sections, Settings: map[string]any{},
		Figures: FigureSettings{Formats: r.Figures.formats(), DPI: r.Figures.DPI},
		Notes:   map[string]string{"timings": "steps[].seconds are wall-clock times and the only part of a report that differs between identical runs"},
	}
	for _, s := range r.Sections {
		m.Settings[s.Name] = s.settings
	}
	for _, in := range r.Inputs {
		if in.Table == nil {
			continue
		}
		info := dataset.NewDataInfo(in.Table)
		m.Data = append(m.Data, ManifestData{Role: in.Role, Path: info.Path, SHA256: info.SHA256, Rows: info.RowsRead})
	}
	return m
}
