package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/report"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Exit codes, as documented in the README.
const (
	exitOK    = 0
	exitData  = 1 // bad data, a failed analysis, an I/O error
	exitUsage = 2 // wrong flags, arguments or commands
)

// usageError marks mistakes in how ccstudy was called (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// Main runs ccstudy with args and returns the exit code. It never panics
// in front of a user: a panic is reported as an internal error.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "ccstudy: internal error: %v\nPlease report it with the command line you ran.\n", r)
			code = exitData
		}
	}()
	// An interrupted run removes its temporary files and folders and
	// exits 130 (SIGINT) or 143 (SIGTERM), as a shell reports a signal.
	stop := report.HandleInterrupts(func(s os.Signal) { fmt.Fprintf(stderr, "ccstudy: interrupted (%v)\n", s) })
	defer stop()
	ios := &IOStreams{In: stdin, Out: stdout, ErrOut: stderr}
	root := NewRootCmd(ios, args)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, formatError(err))
	var ue usageError
	// An option that names what the data does not have (--by, --ref,
	// --exposure) is found only once the data is read, by the analysis,
	// and is still wrong usage.
	if errors.As(err, &ue) || isCobraUsage(err) || analysis.IsOptionError(err) || dataset.IsOptionError(err) {
		if !strings.Contains(err.Error(), "--help") {
			// The help of the subcommand that failed ("ccstudy logit").
			path := "ccstudy"
			if cmd != nil {
				path = cmd.CommandPath()
			}
			fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", path)
		}
		return exitUsage
	}
	return exitData
}

// formatError prefixes the error unless it already names a file location.
func formatError(err error) string {
	var ve *dataset.ValidationError
	if errors.As(err, &ve) {
		return err.Error()
	}
	return "ccstudy: " + err.Error()
}

// isCobraUsage recognises the errors cobra itself returns for bad
// commands and arguments, which carry no type of their own.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "invalid argument", "flag needs an argument", "accepts ", "requires at least", "requires at most", "required flag"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}

// NewRootCmd builds the command tree.
func NewRootCmd(ios *IOStreams, args []string) *cobra.Command {
	g := &GlobalOptions{IO: ios, Args: args}
	var showVersion bool
	root := &cobra.Command{
		Use:   "ccstudy",
		Short: "Case-control study analysis: validate, describe, logistic regression, clustering, subgroups",
		Long: `ccstudy analyses case-control studies from a CSV described by a Table Schema
(one row per unit: the outcome marks cases and controls; the schema's roles
give the default covariates and subgroups, its titles name the output).
Draft a schema for your CSV with 'ccstudy schema infer data.csv'.

Without --data it runs on the embedded SYNTHETIC reference study, simulated
from the data-generating process in testdata/README.md: its numbers are no
study's findings.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			g.hasOutDir = cmd.Flags().Lookup("out-dir") != nil
			return g.check()
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if showVersion {
				return printVersion(g)
			}
			return cmd.Help()
		},
	}
	root.Flags().BoolVar(&showVersion, "version", false, "print the version (the same as 'ccstudy version')")
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w%s (see '%s --help')", plainFlagValueError(c, err), flagHint(c, err), c.CommandPath())}
	})
	g.addFlags(root)
	root.AddCommand(
		NewCmdSchema(g, nil),
		NewCmdValidate(g, nil),
		NewCmdDescribe(g, nil),
		NewCmdLogit(g, nil),
		NewCmdCluster(g, nil),
		NewCmdSubgroup(g, nil),
		NewCmdReport(g, nil),
		NewCmdSimulate(g, nil),
		NewCmdVersion(g, nil),
		NewCmdPower(g, nil),
	)
	for _, c := range root.Commands() {
		if c.Args == nil {
			c.Args = noArgs
		}
	}
	fixCompletionCmd(root, args)
	registerChoiceCompletions(root)
	registerSchemaCompletions(root)
	registerGlobalCompletions(root)
	return root
}

// noArgs rejects positional arguments with a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q (see '%s --help')", cmd.CommandPath(), strings.Join(args, " "), cmd.CommandPath())
	}
	return nil
}

// completionShells are the shells cobra's completion command serves.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

// fixCompletionCmd makes cobra's default `completion` command refuse an
// unknown shell ("completion tcsh") with exit 2 and the valid shells;
// cobra itself prints the help and exits 0, which a script takes for
// success.
func fixCompletionCmd(root *cobra.Command, args []string) {
	root.InitDefaultCompletionCmd(args...)
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown shell %q for completion (expected one of %s; see '%s --help')", args[0], strings.Join(completionShells, ", "), cmd.CommandPath())
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
	}
}

// strconvFlagErr matches pflag's message for a number or boolean flag
// whose value does not parse: it quotes strconv's internal wording
// ("strconv.ParseFloat: parsing "high": invalid syntax"), which tells a
// user nothing about what the flag wants.
var strconvFlagErr = regexp.MustCompile(`^invalid argument "(.*)" for "(?:-., )?--([^"]+)" flag: strconv\.Parse(Float|Int|Uint|Bool): parsing ".*": (invalid syntax|value out of range)$`)

// expectAnnotation names a flag annotation holding what a number flag
// expects ("a number between 0 and 1, e.g. 0.95"), for its parse error.
const expectAnnotation = "ccstudy_expect"

// plainFlagValueError rewrites pflag's strconv text into what the flag
// expects; other errors are returned unchanged.
func plainFlagValueError(c *cobra.Command, err error) error {
	m := strconvFlagErr.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	value, name, kind, why := m[1], m[2], m[3], m[4]
	what := map[string]string{"Float": "a number", "Int": "a whole number", "Uint": "a whole number", "Bool": "a boolean"}[kind]
	expect := map[string]string{"Float": "a number, e.g. 0.05", "Int": "a whole number, e.g. 3", "Uint": "a whole number, 0 or more, e.g. 20211", "Bool": "true or false"}[kind]
	if f := c.Flags().Lookup(name); f != nil {
		if e := f.Annotations[expectAnnotation]; len(e) > 0 {
			expect = e[0]
		}
	}
	what = "is not " + what
	if why == "value out of range" {
		what = "is out of range"
	}
	return fmt.Errorf("--%s: %q %s (expected %s)", name, dataset.ElideValue(value), what, expect)
}

// flagHint suggests the closest flag for a mistyped one ("--methd").
func flagHint(c *cobra.Command, err error) string {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return ""
	}
	var names []string
	seen := map[string]bool{}
	add := func(f *pflag.Flag) {
		if !seen[f.Name] {
			seen[f.Name] = true
			names = append(names, f.Name)
		}
	}
	c.Flags().VisitAll(add)
	c.InheritedFlags().VisitAll(add)
	if s := dataset.Suggest(name, names); len(s) > 0 {
		return "; did you mean --" + strings.Join(s, " or --") + "?"
	}
	return ""
}
