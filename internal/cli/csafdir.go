package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/service"
)

func newAdvisoryCSAFDirCmd(e *env) *cobra.Command {
	var f deploymentFlags
	var out, publicURL string
	cmd := &cobra.Command{
		Use:   "csaf-directory --out DIR",
		Short: "Write the complete CSAF provider directory of every published advisory (operators)",
		Long: `csaf-directory writes the CSAF 2.0 trusted-provider directory of every
published advisory into DIR, as a web server would serve it under
/.well-known/csaf/: provider-metadata.json, per-TLP ROLIE feeds, YYYY/
folders, index.txt, changes.csv, SHA-256/512 files and OpenPGP signatures
with the key in DATA/csaf-signing.asc. It replaces DIR atomically. It holds
every folder, white to red: a server that publishes it must keep green/ to
members and amber/ and red/ to their recipients (aicc serve does this
itself at /.well-known/csaf/). It works on the deployment's files and
database directly (--data, --database), not through the API.`,
		Example: `  aicc advisory csaf-directory --data /var/lib/aicc --public-url https://aicc.example --out /srv/www/.well-known/csaf`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageErrorf("--out DIR is required")
			}
			cfg, err := f.config(e)
			if err != nil {
				return err
			}
			cfg.PublicURL = publicURL
			return withService(cmd.Context(), cfg, func(s *service.Service) error {
				n, err := s.WriteCSAFDirectory(cmd.Context(), out)
				if err != nil {
					return err
				}
				if f.format == "json" {
					return writeJSON(e.stdout, map[string]any{"dir": out, "documents": n})
				}
				_, err = fmt.Fprintf(e.stdout, "wrote %d documents to %s\n", n, out)
				return err
			})
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&out, "out", "", "the directory to write (replaced)")
	cmd.Flags().StringVar(&publicURL, "public-url", "", "the URL the directory is served under, without /.well-known/csaf (as aicc serve --public-url)")
	return cmd
}
