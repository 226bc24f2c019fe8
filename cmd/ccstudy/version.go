package main

import (
	"runtime"
	"runtime/debug"

	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/spf13/cobra"
)

// Version is the ccstudy release.
const Version = "0.1.0"

// VersionInfo is what `ccstudy version` reports.
type VersionInfo struct {
	Version   string `json:"version"`
	GoVersion string `json:"go_version"`
	Revision  string `json:"revision,omitempty"`
}

// CurrentVersion collects the version, Go version and VCS revision.
func CurrentVersion() VersionInfo {
	v := VersionInfo{Version: Version, GoVersion: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				v.Revision = s.Value
			}
		}
	}
	return v
}

// NewCmdVersion prints the version.
func NewCmdVersion(g *GlobalOptions, runF func(*GlobalOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the ccstudy version",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(g)
			}
			return printVersion(g)
		},
	}
}

// printVersion is the output of `ccstudy version` and `ccstudy --version`.
func printVersion(g *GlobalOptions) error {
	v := CurrentVersion()
	rows := [][]string{{"version", v.Version}, {"go", v.GoVersion}}
	if v.Revision != "" {
		rows = append(rows, []string{"revision", v.Revision})
	}
	return g.Emit(&render.Document{JSON: v, Tables: []render.Table{{Name: "version", Columns: []string{"key", "value"}, Rows: rows}}})
}
