package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/service"
)

func newKeyringCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keyring",
		Short: "Rotate the key that seals endpoint credentials and webhook secrets, and move stored values to it",
		Long: `The keyring seals the endpoint credentials of unreleased models and the
signing secrets of webhooks (AES-256-GCM). Rotating it takes four steps:

  aicc keyring rotate        # a new primary key in the key file
  (restart every server and worker, so that each loads it)
  aicc keyring reseal        # move every stored value to the new key
  aicc keyring retire OLDID  # remove the old key once nothing needs it

aicc keyring status shows how many values each key seals. These commands
work on the deployment's files and database directly (--data, --database,
--keyring, as for serve), not through the API. docs/keys.md has the details.`,
	}
	cmd.AddCommand(newKeyringStatusCmd(e), newKeyringRotateCmd(e), newKeyringResealCmd(e), newKeyringRetireCmd(e))
	return cmd
}

func newKeyringStatusCmd(e *env) *cobra.Command {
	var f deploymentFlags
	cmd := &cobra.Command{
		Use:     "status",
		Short:   "Show the keys and how many stored values each seals",
		Example: `  aicc keyring status --data /var/lib/aicc`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := f.config(e)
			if err != nil {
				return err
			}
			return withService(cmd.Context(), cfg, func(s *service.Service) error {
				u, err := s.KeyUsage(cmd.Context())
				if err != nil {
					return err
				}
				if f.format == "json" {
					return writeJSON(e.stdout, u)
				}
				return printKeyUse(e, u)
			})
		},
	}
	f.add(cmd)
	return cmd
}

func printKeyUse(e *env, u *service.KeyUse) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tIN KEYRING\tCREDENTIALS\tWEBHOOK SECRETS\t")
	for _, k := range u.Keys {
		note := ""
		switch {
		case k.ID == u.Primary:
			note = "primary: seals new values"
		case !k.Loaded:
			note = "MISSING: these values cannot be opened; restore the key from backup"
		case k.Total() == 0:
			note = "seals nothing: can be retired"
		default:
			note = "run `aicc keyring reseal`"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", k.ID, yesNo(k.Loaded), k.Credentials, k.WebhookSecrets, note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if u.Malformed > 0 {
		_, err := fmt.Fprintf(e.stdout, "%d stored values are damaged and name no key\n", u.Malformed)
		return err
	}
	return nil
}

func newKeyringRotateCmd(e *env) *cobra.Command {
	var (
		f      deploymentFlags
		reseal bool
	)
	cmd := &cobra.Command{
		Use:   "rotate",
		Short: "Put a new primary key at the front of the key file",
		Long: `Rotate writes a fresh 256-bit key at the front of the key file (atomically,
mode 0600), keeping the old keys so that every stored value still opens.
Running processes keep the keyring they loaded: restart every server and
worker, then run aicc keyring reseal. With --reseal, stored values are moved
to the new key at once: use it only when no other process is running, since
one that has not loaded the new key cannot open them.`,
		Example: `  aicc keyring rotate --data /var/lib/aicc
  aicc keyring rotate --keyring /etc/aicc/keyring --database postgres://aicc@db/aicc`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := f.config(e)
			if err != nil {
				return err
			}
			path, err := f.file(cfg, "rotate")
			if err != nil {
				return err
			}
			id, err := keyring.Rotate(path)
			if err != nil {
				return err
			}
			out := map[string]any{"primary": id, "file": path}
			err = withService(cmd.Context(), cfg, func(s *service.Service) error {
				kr, err := keyring.LoadFile(path)
				if err != nil {
					return err
				}
				out["keys"] = kr.IDs()
				if err := s.RecordKeyChange(cmd.Context(), "keyring.rotate", id, kr.IDs()); err != nil {
					return err
				}
				if reseal {
					r, err := s.Reseal(cmd.Context())
					if err != nil {
						return err
					}
					out["reseal"] = r
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("the key file %s now has the new primary key %s, but: %w", path, id, err)
			}
			if f.format == "json" {
				return writeJSON(e.stdout, out)
			}
			fmt.Fprintf(e.stdout, "new primary key %s in %s (keys: %s)\n", id, path, strings.Join(out["keys"].([]string), ", "))
			if r, ok := out["reseal"].(*service.ResealReport); ok {
				return printReseal(e, r)
			}
			_, err = fmt.Fprintln(e.stdout, "next: restart every server and worker, then run `aicc keyring reseal`")
			return err
		},
	}
	f.add(cmd)
	cmd.Flags().BoolVar(&reseal, "reseal", false, "also move stored values to the new key now (only when no other process is running)")
	return cmd
}

func newKeyringResealCmd(e *env) *cobra.Command {
	var f deploymentFlags
	cmd := &cobra.Command{
		Use:   "reseal",
		Short: "Move every stored credential and webhook secret to the primary key",
		Long: `Reseal re-encrypts every stored value that is not sealed under the primary
key, so that older keys can be retired. Run it after every server and worker
has restarted with the rotated key file. A value that does not open (its key
is missing, or it is damaged) is reported and left alone, and the command
exits 1. Running it again is harmless.`,
		Example: `  aicc keyring reseal --data /var/lib/aicc`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := f.config(e)
			if err != nil {
				return err
			}
			return withService(cmd.Context(), cfg, func(s *service.Service) error {
				r, err := s.Reseal(cmd.Context())
				if err != nil {
					return err
				}
				if f.format == "json" {
					if err := writeJSON(e.stdout, r); err != nil {
						return err
					}
				} else if err := printReseal(e, r); err != nil {
					return err
				}
				if len(r.Failed) > 0 {
					return fmt.Errorf("%d stored values could not be resealed", len(r.Failed))
				}
				return nil
			})
		},
	}
	f.add(cmd)
	return cmd
}

func printReseal(e *env, r *service.ResealReport) error {
	fmt.Fprintf(e.stdout, "resealed %d values under key %s (%d already under it)\n", r.Resealed, r.Primary, r.Current)
	if r.Changed > 0 {
		fmt.Fprintf(e.stdout, "%d values changed while resealing and were left alone; run reseal again\n", r.Changed)
	}
	for _, f := range r.Failed {
		fmt.Fprintf(e.stdout, "not resealed: %s %s: %s\n", f.Kind, f.ID, f.Error)
	}
	return nil
}

func newKeyringRetireCmd(e *env) *cobra.Command {
	var f deploymentFlags
	cmd := &cobra.Command{
		Use:   "retire KEYID",
		Short: "Remove an old key from the key file once no stored value needs it",
		Long: `Retire removes a key from the key file. It refuses while any stored value is
still sealed under the key (run aicc keyring reseal first) and refuses to
remove the primary key. Restart every process afterwards. Keep a copy of the
retired key with the backups for as long as you keep database backups taken
before the reseal.`,
		Example: `  aicc keyring retire 17e2d4c0 --data /var/lib/aicc`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			cfg, err := f.config(e)
			if err != nil {
				return err
			}
			path, err := f.file(cfg, "retire a key from")
			if err != nil {
				return err
			}
			return withService(cmd.Context(), cfg, func(s *service.Service) error {
				u, err := s.KeyUsage(cmd.Context())
				if err != nil {
					return err
				}
				for _, k := range u.Keys {
					if k.ID == id && k.Total() > 0 {
						return fmt.Errorf("key %s still seals %d stored values (%d credentials, %d webhook secrets): run `aicc keyring reseal` first", id, k.Total(), k.Credentials, k.WebhookSecrets)
					}
				}
				if err := keyring.Retire(path, id); err != nil {
					return err
				}
				kr, err := keyring.LoadFile(path)
				if err != nil {
					return err
				}
				if err := s.RecordKeyChange(cmd.Context(), "keyring.retire", id, kr.IDs()); err != nil {
					return fmt.Errorf("key %s was removed from %s, but: %w", id, path, err)
				}
				if f.format == "json" {
					return writeJSON(e.stdout, map[string]any{"retired": id, "file": path, "keys": kr.IDs()})
				}
				_, err = fmt.Fprintf(e.stdout, "removed key %s from %s (keys: %s); restart every server and worker\n", id, path, strings.Join(kr.IDs(), ", "))
				return err
			})
		},
	}
	f.add(cmd)
	return cmd
}
