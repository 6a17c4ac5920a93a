// Package app wires the clearinghouse service together and owns its
// lifecycle: it opens the store, the keyring and the audit key, builds the
// service and the API, and serves HTTP until its context ends. The CLI's
// serve command and the end-to-end tests both use it.
package app

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/csaf/provider"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/api"
	"github.com/aicc-dev/aicc/internal/config"
	"github.com/aicc-dev/aicc/internal/jobs"
	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/service"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/postgres"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
	"github.com/aicc-dev/aicc/internal/webhook"
)

// Config configures an App.
type Config struct {
	DataDir string // where the SQLite database and, by default, the keys live
	Addr    string // host:port to listen on
	// KeyringPath is the key file sealing endpoint credentials; default
	// DataDir/keyring, created on first start. Getenv(keyring.EnvVar), when
	// set, takes precedence.
	KeyringPath string
	// OrgName names the clearinghouse organization created on first start,
	// and the publisher of advisories.
	OrgName string
	// PublicURL is where consumers reach the service: advisories' canonical
	// URLs, feeds and the CSAF provider metadata name it (default
	// http://Addr).
	PublicURL string
	// Contact is how consumers reach the clearinghouse about advisories.
	Contact string
	// AdvisoryFallbackDays is how long a developer may stay silent before
	// an advisory's embargo lifts anyway (0: 45 days; negative: never).
	AdvisoryFallbackDays int
	// PoliciesDir, when set, holds coverage policy files (*.yaml) evaluated
	// with the built-in ones; a file with a problem stops start-up.
	PoliciesDir string
	// DatabaseURL, when set, is a PostgreSQL database (postgres://…) that
	// holds the store and River's queue, shared by any number of servers
	// and workers; DataDir then holds only the key files.
	DatabaseURL string
	// DatabaseSchema is the PostgreSQL schema to use ("" for the search
	// path's default).
	DatabaseSchema string
	// ScanWorkers is how many scans this process runs at once (default 2;
	// negative: none, the process only serves the API).
	ScanWorkers int
	// LeaseTTL and RescueAfter tune how fast a dead worker's scan is
	// handed to another (defaults 15 s and 1 min).
	LeaseTTL, RescueAfter time.Duration
	// NoBootstrap skips the first-start preparation (a worker's case).
	NoBootstrap bool
	// WebhookAllowPrivate lets webhooks go to loopback and private
	// addresses (tests, on-premises receivers); off, they are refused.
	WebhookAllowPrivate bool
	// WebhookRetryBase is the first wait before a failed delivery is tried
	// again (default 30 s, tripled each time).
	WebhookRetryBase time.Duration
	Getenv           func(string) string
	Logger           *slog.Logger
	Now              func() time.Time
}

// App is a running clearinghouse service.
type App struct {
	cfg     Config
	db      backend
	queue   *jobs.Queue
	Service *service.Service
	handler http.Handler
	ln      net.Listener
	srv     *http.Server
	// AdminToken is the first admin's token, set only on the first start.
	AdminToken string
}

// backend is a storage engine: the scans and the service's records.
type backend interface {
	store.Store
	store.Service
}

// Open opens the service's store and keys, preparing a new data directory
// on first start.
func Open(ctx context.Context, cfg Config) (_ *App, err error) {
	if cfg.DataDir == "" {
		return nil, aicc.Errorf(aicc.KindInvalid, "a data directory is required")
	}
	cfg.Logger = cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))
	cfg.OrgName = cmp.Or(cfg.OrgName, "AI Cybersecurity Clearinghouse")
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	a := &App{cfg: cfg}
	defer func() {
		if err != nil {
			err = errors.Join(err, a.Close())
		}
	}()
	policies, err := loadPolicies(cfg.PoliciesDir)
	if err != nil {
		return nil, err
	}
	kr, err := openKeyring(cfg)
	if err != nil {
		return nil, err
	}
	auditKey, err := loadOrCreateKey(filepath.Join(cfg.DataDir, "audit.key"))
	if err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	var pg *postgres.DB
	if cfg.DatabaseURL != "" {
		if pg, err = postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{Schema: cfg.DatabaseSchema}); err != nil {
			return nil, err
		}
		a.db = pg
	} else if a.db, err = sqlite.Open(ctx, config.DBPath(cfg.DataDir)); err != nil {
		return nil, err
	}
	public := strings.TrimRight(cmp.Or(cfg.PublicURL, "http://"+cmp.Or(cfg.Addr, "127.0.0.1:8080")), "/")
	publisher := advisory.Publisher{Name: cfg.OrgName, Namespace: public, BaseURL: public,
		ContactDetails:   cmp.Or(cfg.Contact, "see "+public),
		IssuingAuthority: "Advisories of the voluntary pre-release review; advisory only: nothing in them approves, denies or blocks a release."}
	signer, err := openCSAFSigner(cfg.DataDir, publisher)
	if err != nil {
		return nil, fmt.Errorf("CSAF signing key: %w", err)
	}
	a.Service, err = service.New(service.Config{Publisher: publisher, CSAFSigner: signer, AdvisoryFallbackDays: cfg.AdvisoryFallbackDays, Store: a.db, Scans: a.db, Keyring: kr, AuditKey: auditKey, Policies: policies, ScanLeaseTTL: cfg.LeaseTTL, ScanSlice: cfg.RescueAfter, Logger: cfg.Logger, Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	jc := jobs.Config{Runner: a.Service, Workers: cfg.ScanWorkers, RescueAfter: cfg.RescueAfter, Logger: cfg.Logger}
	if cfg.ScanWorkers < 0 {
		jc.Runner = nil
	}
	if pg != nil {
		a.queue, err = jobs.OpenPostgres(ctx, pg.Pool(), jc)
	} else {
		// The queue has its own SQLite file: River's driver wants a single
		// connection of its own, and must not wait on the store's writer.
		a.queue, err = jobs.OpenSQLite(ctx, filepath.Join(cfg.DataDir, "queue.db"), jc)
	}
	if err != nil {
		return nil, err
	}
	a.Service.SetQueue(a.queue)
	if !cfg.NoBootstrap {
		tk, err := a.Service.Bootstrap(ctx, cfg.OrgName)
		if err != nil {
			return nil, fmt.Errorf("first start: %w", err)
		}
		if tk != nil {
			a.AdminToken = tk.Value.Reveal()
		}
	}
	a.handler = api.New(api.Config{Service: a.Service, Logger: cfg.Logger})
	return a, nil
}

// openKeyring loads the keyring from the environment, the configured file,
// or DataDir/keyring, which it creates on first start.
func openKeyring(cfg Config) (*keyring.Keyring, error) {
	if v := cfg.Getenv(keyring.EnvVar); v != "" {
		return keyring.LoadEnv(cfg.Getenv, keyring.EnvVar)
	}
	path := cfg.KeyringPath
	if path == "" {
		path = filepath.Join(cfg.DataDir, "keyring")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			// Another process starting on the same directory may win the
			// race; then its key is the one to load.
			if _, err := keyring.Generate(path); err != nil && aicc.KindOf(err) != aicc.KindConflict {
				return nil, fmt.Errorf("create keyring: %w", err)
			}
			waitWritten(path)
		}
	}
	return keyring.LoadFile(path)
}

// loadOrCreateKey reads a 32-byte hex key from path, creating the file
// (mode 0600) with a random key when it does not exist.
func loadOrCreateKey(path string) ([]byte, error) {
	b, err := readOrCreate(path, func() ([]byte, error) {
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		return []byte(hex.EncodeToString(key) + "\n"), nil
	})
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != 32 {
		return nil, aicc.Errorf(aicc.KindInvalid, "%s: not a 32-byte hexadecimal key", path)
	}
	return key, nil
}

// readOrCreate reads the file at path, creating it first (mode 0600) with
// what generate makes when it does not exist. When another process starting
// on the same directory creates it at the same time, its content wins.
func readOrCreate(path string, generate func() ([]byte, error)) ([]byte, error) {
	b, err := os.ReadFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return b, err
	}
	content, err := generate()
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case errors.Is(err, fs.ErrExist):
		waitWritten(path)
		return os.ReadFile(path)
	case err != nil:
		return nil, err
	}
	_, werr := f.Write(content)
	if cerr := f.Close(); werr != nil || cerr != nil {
		os.Remove(path)
		return nil, errors.Join(werr, cerr)
	}
	return content, nil
}

// Handler is the API's HTTP handler.
func (a *App) Handler() http.Handler { return a.handler }

// Listen binds the configured address; Addr then reports the bound one.
func (a *App) Listen(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cmp.Or(a.cfg.Addr, "127.0.0.1:8080"))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	a.ln = ln
	return nil
}

// Addr is the address the app listens on, after Listen.
func (a *App) Addr() string { return a.ln.Addr().String() }

// Serve serves the API until ctx ends, then shuts down gracefully.
func (a *App) Serve(ctx context.Context) error {
	a.srv = &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(a.cfg.Logger.Handler(), slog.LevelWarn),
	}
	if err := a.queue.Start(ctx); err != nil {
		return fmt.Errorf("start scan workers: %w", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := a.queue.Stop(sctx); err != nil {
			a.cfg.Logger.Warn("stopping scan workers", "err", err)
		}
	}()
	d, err := webhook.NewDispatcher(a.Service.Outbox(), webhook.Config{AllowPrivate: a.cfg.WebhookAllowPrivate, BackoffBase: a.cfg.WebhookRetryBase, PollInterval: 500 * time.Millisecond}, a.cfg.Logger)
	if err != nil {
		return err
	}
	go func() {
		if err := d.Run(ctx); err != nil {
			a.cfg.Logger.Error("webhook dispatcher stopped", "err", err)
		}
	}()
	reminded := make(chan struct{})
	go func() {
		defer close(reminded)
		a.remind(ctx)
	}()
	defer func() {
		<-reminded
		// Write down the token uses counted since the last entries,
		// including those of the requests that shutdown let finish.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := a.Service.FlushTokenUses(fctx); err != nil {
			a.cfg.Logger.Warn("recording token uses", "err", err)
		}
	}()
	if n, err := a.Service.ResumeScans(ctx); err != nil {
		a.cfg.Logger.Warn("resuming unfinished scans", "err", err)
	} else if n > 0 {
		a.cfg.Logger.Info("resuming unfinished scans", "scans", n)
	}
	errc := make(chan error, 1)
	go func() { errc <- a.srv.Serve(a.ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := a.srv.Shutdown(sctx); err != nil {
		return a.srv.Close()
	}
	return nil
}

// Close releases the store.
func (a *App) Close() error {
	var errs []error
	if a.queue != nil {
		errs = append(errs, a.queue.Close())
	}
	if a.db != nil {
		errs = append(errs, a.db.Close())
	}
	return errors.Join(errs...)
}

// waitWritten waits up to a second for a file another process has just
// created to get its contents.
func waitWritten(path string) {
	for range 100 {
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Work runs scan jobs until ctx ends, serving no API: `aicc worker`.
func (a *App) Work(ctx context.Context) error {
	if err := a.queue.Start(ctx); err != nil {
		return fmt.Errorf("start scan workers: %w", err)
	}
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return a.queue.Stop(sctx)
}

// Migrate applies the store's and the queue's migrations and returns.
func Migrate(ctx context.Context, cfg Config) error {
	cfg.NoBootstrap = true
	cfg.ScanWorkers = -1
	a, err := Open(ctx, cfg)
	if err != nil {
		return err
	}
	return a.Close()
}

// remind writes down counted token uses, publishes advisories whose
// embargo lifted, sends the reviews' reminders and applies the retention
// rule every minute until ctx ends.
func (a *App) remind(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		if err := a.Service.FlushTokenUses(ctx); err != nil && ctx.Err() == nil {
			a.cfg.Logger.Warn("recording token uses", "err", err)
		}
		if n, err := a.Service.LiftEmbargoes(ctx); err != nil && ctx.Err() == nil {
			a.cfg.Logger.Warn("lifting embargoes", "err", err)
		} else if n > 0 {
			a.cfg.Logger.Info("published advisories whose embargo lifted", "advisories", n)
		}
		if _, err := a.Service.SendReminders(ctx); err != nil && ctx.Err() == nil {
			a.cfg.Logger.Warn("sending reminders", "err", err)
		}
		if n, err := a.Service.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
			a.cfg.Logger.Warn("purging expired records", "err", err)
		} else if n > 0 {
			a.cfg.Logger.Info("purged the records of withdrawn reviews", "submissions", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// OpenForMaintenance opens the store and keys of an existing deployment for
// an operator's command (`aicc keyring`): no first-start preparation, no
// scan workers.
func OpenForMaintenance(ctx context.Context, cfg Config) (*App, error) {
	cfg.NoBootstrap = true
	cfg.ScanWorkers = -1
	return Open(ctx, cfg)
}

// KeyringFile is the key file the configuration uses; fromEnv is true when
// the keyring comes from the environment instead (then there is no file to
// change).
func KeyringFile(cfg Config) (path string, fromEnv bool) {
	getenv := cfg.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if getenv(keyring.EnvVar) != "" {
		return "", true
	}
	return cmp.Or(cfg.KeyringPath, filepath.Join(cfg.DataDir, "keyring")), false
}

// openCSAFSigner loads the OpenPGP key that signs the CSAF provider
// directory from DataDir/csaf-signing.asc, creating it (Ed25519, mode 0600)
// on first start. Every server of a deployment must share it.
func openCSAFSigner(dir string, p advisory.Publisher) (*provider.Signer, error) {
	b, err := readOrCreate(filepath.Join(dir, "csaf-signing.asc"), func() ([]byte, error) {
		email := "csaf@aicc.invalid"
		if strings.Contains(p.ContactDetails, "@") && !strings.ContainsAny(p.ContactDetails, " <>") {
			email = p.ContactDetails
		}
		_, armored, err := provider.GenerateSigner(p.Name, email, time.Now())
		return armored, err
	})
	if err != nil {
		return nil, err
	}
	return provider.NewSigner(b, nil)
}
