package cli

import (
	"fmt"
	"mime"
	"net/url"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/service"
)

func newAdvisoryExportCmd(e *env) *cobra.Command {
	var format, out string
	var revision int
	local := deploymentFlags{format: "text"}
	var publicURL string
	r := &remote{format: "text"}
	cmd := &cobra.Command{
		Use:   "export ADVISORY_ID",
		Short: "Write what you may see of an advisory as CSAF, CSAF VEX, OpenVEX, OSV or STIX",
		Long: `Export writes an advisory as a document in a standard format: a published
revision exactly as every earlier export of it (byte for byte), or, for the
clearinghouse and the developer, the current draft. With --data DIR (or
--database URL) it reads the deployment's database directly instead of a
server, as the clearinghouse sees the advisory. With --out DIR it writes
the document under its standard file name and prints the path; otherwise it
writes the document to standard output. Every export is in the audit log.`,
		Example: `  aicc advisory export AICC-2026-0001 --format csaf --out ./advisories
  aicc advisory export AICC-2026-0001 --format stix --revision 1 > bundle.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format == "" {
				return usageErrorf("--format is required: csaf, csaf-vex, openvex, osv or stix")
			}
			var raw []byte
			var name string
			if local.data != "" || local.database != "" {
				// Offline: from the deployment's database, as the clearinghouse sees it.
				cfg, err := local.config(e)
				if err != nil {
					return err
				}
				cfg.PublicURL = publicURL
				err = withService(cmd.Context(), cfg, func(s *service.Service) error {
					d, err := s.ExportAdvisoryOffline(cmd.Context(), args[0], format, revision)
					if err != nil {
						return err
					}
					raw, name = d.Body, d.Name
					return nil
				})
				if err != nil {
					return err
				}
			} else {
				c, err := r.client(e)
				if err != nil {
					return err
				}
				q := url.Values{"format": {format}}
				if revision > 0 {
					q.Set("revision", fmt.Sprint(revision))
				}
				b, h, err := c.DoHeader(cmd.Context(), "GET", "/v1/advisories/"+url.PathEscape(args[0])+"/export?"+q.Encode(), nil, nil)
				if err != nil {
					return err
				}
				_, params, perr := mime.ParseMediaType(h.Get("Content-Disposition"))
				raw, name = b, filepath.Base(params["filename"])
				if out != "" && (perr != nil || name == "." || name == "/" || name == "") {
					return fmt.Errorf("the server named no file for the document")
				}
			}
			if out == "" {
				_, err := e.stdout.Write(raw)
				return err
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			path := filepath.Join(out, name)
			if err := os.WriteFile(path, raw, 0o644); err != nil {
				return err
			}
			_, err := fmt.Fprintln(e.stdout, path)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&r.server, "server", "", "the clearinghouse server's URL (default: AICC_SERVER)")
	fl.StringVar(&format, "format", "", "the document's format: csaf, csaf-vex, openvex, osv or stix")
	fl.StringVar(&out, "out", "", "a directory to write the document into, under its standard file name (default: standard output)")
	fl.IntVar(&revision, "revision", 0, "a published revision (default: the current one)")
	fl.StringVar(&local.data, "data", "", "export offline from this data directory's database instead of a server (the clearinghouse's view)")
	fl.StringVar(&local.database, "database", "", "export offline from this PostgreSQL database instead of a server")
	fl.StringVar(&local.keyringPath, "keyring", "", "key file, for offline export (default DATA/keyring)")
	fl.StringVar(&publicURL, "public-url", "", "for offline export: the server's --public-url, which documents name")
	return cmd
}
