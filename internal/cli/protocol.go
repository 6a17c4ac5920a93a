package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/protocol"
)

func newProtocolCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "protocol",
		Short: "List, show and lint scanning protocols",
		Long: `A protocol is a versioned YAML file of probes: conversations sent to a model
and the detectors that judge its answers. aicc embeds built-in protocols;
your own files use the same format (see docs/protocols.md).`,
		Example: `  aicc protocol list
  aicc protocol show core
  aicc protocol lint my-probes.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown command %q for aicc protocol: use list, show or lint", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(newProtocolListCmd(e), newProtocolShowCmd(e), newProtocolLintCmd(e))
	return cmd
}

// protocolSummary is the JSON form of a protocol in list and show.
type protocolSummary struct {
	Name            string         `json:"name"`
	Version         string         `json:"version"`
	Description     string         `json:"description,omitempty"`
	File            string         `json:"file"`
	Digest          string         `json:"digest"`
	Probes          int            `json:"probes"`
	PlannedAttempts int            `json:"planned_attempts"` // with one repetition
	ProbeList       []probeSummary `json:"probe_list,omitempty"`
}

type probeSummary struct {
	ID        string        `json:"id"`
	Class     aicc.Class    `json:"class"`
	Title     string        `json:"title"`
	Severity  aicc.Severity `json:"severity"`
	Variants  int           `json:"variants"`
	Taxonomy  aicc.Taxonomy `json:"taxonomy"`
	Detectors []string      `json:"detectors"`
}

func summarize(p *protocol.Protocol, withProbes bool) protocolSummary {
	s := protocolSummary{
		Name: p.Name, Version: p.Version, Description: p.Description, File: p.File,
		Digest: p.Digest, Probes: len(p.Probes), PlannedAttempts: p.PlannedAttempts(1),
	}
	if !withProbes {
		return s
	}
	s.ProbeList = []probeSummary{}
	for _, pr := range p.Probes {
		ps := probeSummary{ID: pr.ID, Class: pr.Class, Title: pr.Title, Severity: pr.Severity,
			Variants: pr.NumVariants(), Taxonomy: pr.Taxonomy, Detectors: []string{}}
		for _, d := range pr.Detectors {
			ps.Detectors = append(ps.Detectors, d.Type)
		}
		s.ProbeList = append(s.ProbeList, ps)
	}
	return s
}

func newProtocolListCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the built-in protocols",
		Args:  cobra.NoArgs,
		Example: `  aicc protocol list
  aicc protocol list --format json`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			var list []protocolSummary
			for _, name := range protocol.BuiltinNames() {
				p, err := protocol.Builtin(name)
				if err != nil {
					return fmt.Errorf("built-in protocol %s: %w", name, err)
				}
				list = append(list, summarize(p, false))
			}
			if format == "json" {
				return writeJSON(e.stdout, list)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tVERSION\tPROBES\tATTEMPTS\tDIGEST")
			for _, s := range list {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", s.Name, s.Version, s.Probes, s.PlannedAttempts, s.Digest)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newProtocolShowCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show NAME|FILE",
		Short: "Show a protocol's probes",
		Long: `Show a built-in protocol (by name, or builtin:NAME) or a protocol file.
--format yaml prints the exact source bytes the digest covers.`,
		Args: exactArgs(1, "a protocol name or file"),
		Example: `  aicc protocol show core
  aicc protocol show ./my-probes.yaml --format json
  aicc protocol show builtin:core --format yaml > core.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json", "yaml"); err != nil {
				return err
			}
			p, err := protocol.Load(args[0])
			if err != nil {
				return protocolLoadError(err)
			}
			switch format {
			case "yaml":
				_, err := e.stdout.Write(p.Source)
				return err
			case "json":
				return writeJSON(e.stdout, summarize(p, true))
			}
			return writeProtocolText(e.stdout, p)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or yaml")
	return cmd
}

// protocolLoadError makes an invalid protocol a plain failure (exit 1)
// rather than a usage error.
func protocolLoadError(err error) error {
	var le *protocol.LintError
	if errors.As(err, &le) {
		return &exitError{code: ExitError, err: fmt.Errorf("invalid protocol:\n%w", err)}
	}
	return err
}

func writeProtocolText(w io.Writer, p *protocol.Protocol) error {
	fmt.Fprintf(w, "%s %s (%s)\n", p.Name, p.Version, p.File)
	if p.Description != "" {
		fmt.Fprintf(w, "%s\n", strings.TrimSpace(p.Description))
	}
	fmt.Fprintf(w, "digest:   %s\n", p.Digest)
	fmt.Fprintf(w, "probes:   %d, %d planned attempts per repetition\n\n", len(p.Probes), p.PlannedAttempts(1))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCLASS\tSEVERITY\tVARIANTS\tTAXONOMY")
	for _, pr := range p.Probes {
		tax := slices.Concat(pr.Taxonomy.OWASP, pr.Taxonomy.ATLAS, pr.Taxonomy.CWE)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", pr.ID, pr.Class, pr.Severity, pr.NumVariants(), strings.Join(tax, " "))
	}
	return tw.Flush()
}

func newProtocolLintCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "lint FILE...",
		Short: "Check protocol files for problems",
		Long: `Check protocol files against the format's rules. A clean file prints
"FILE: ok (N probes, DIGEST)"; otherwise each problem prints as
FILE:LINE:COL: FIELD: MESSAGE and the command exits 1.`,
		Args: minArgs(1, "one or more protocol files"),
		Example: `  aicc protocol lint my-probes.yaml
  aicc protocol lint probes/*.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			failed := 0
			for _, file := range args {
				p, err := lintFile(file)
				var le *protocol.LintError
				switch {
				case err == nil:
					fmt.Fprintf(e.stdout, "%s: ok (%d probes, %s)\n", file, len(p.Probes), p.Digest)
					continue
				case errors.As(err, &le):
					for _, pr := range le.Problems {
						fmt.Fprintln(e.stdout, pr)
					}
				default:
					fmt.Fprintln(e.stderr, "aicc:", err)
				}
				failed++
			}
			if failed > 0 {
				return &exitError{code: ExitError, err: fmt.Errorf("%d of %d protocol files failed lint", failed, len(args))}
			}
			return nil
		},
	}
}

// lintFile reads and checks one file; "builtin:NAME" checks a built-in.
func lintFile(file string) (*protocol.Protocol, error) {
	if name, ok := strings.CutPrefix(file, "builtin:"); ok {
		return protocol.Builtin(name)
	}
	return protocol.LoadFile(file)
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErrorf("need %s, got %d arguments", what, len(args))
		}
		return nil
	}
}

func minArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < n {
			return usageErrorf("need %s", what)
		}
		return nil
	}
}
