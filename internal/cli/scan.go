package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/protocol"
	"github.com/aicc-dev/aicc/internal/refmodel"
	"github.com/aicc-dev/aicc/internal/report"
	"github.com/aicc-dev/aicc/internal/scan"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/target"
)

// scanFlags are the flags of aicc scan.
type scanFlags struct {
	data string

	model, baseURL, provider  string
	apiKeyEnv, apiKeyFile     string
	authHeader                string
	headers                   []string
	maxTokensParam            string
	stream                    bool
	requestTemplate, respPath string
	maxResponseBytes          int64

	protocol       string
	repeat         int
	validate       int
	temperature    float64
	seed           int64
	maxTokens      int
	budgetRequests int64
	budgetTokens   int64
	concurrency    int
	noAdaptive     bool
	rate           float64
	attemptTimeout time.Duration
	maxRetries     int
	dryRun         bool
	resume         string
	format, out    string
	failOnFindings bool
	judge          judgeFlags
}

// targetSpec is stored with a scan so that --resume can reach the target
// again. It names where credentials come from, never the credentials.
type targetSpec struct {
	Builtin    string `json:"builtin,omitempty"` // reference model version started in-process
	Kind       string `json:"kind"`
	BaseURL    string `json:"base_url,omitempty"`
	Model      string `json:"model"`
	Stream     bool   `json:"stream,omitempty"`
	APIKeyEnv  string `json:"api_key_env,omitempty"`
	APIKeyFile string `json:"api_key_file,omitempty"`
	// AuthHeader and Headers are target.Config's; headers hold no secrets.
	AuthHeader       string            `json:"auth_header,omitempty"`
	MaxTokensParam   string            `json:"max_tokens_param,omitempty"`
	Headers          map[string]string `json:"headers,omitempty"`
	RequestTemplate  string            `json:"request_template,omitempty"`
	ResponsePath     string            `json:"response_path,omitempty"`
	MaxResponseBytes int64             `json:"max_response_bytes,omitempty"`
}

func newScanCmd(e *env) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Scan a model endpoint with a protocol and keep every attempt as evidence",
		Long: `Scan sends every attempt of a protocol to a model endpoint, judges each
response with the probe's detectors and stores every attempt under the data
directory. An interrupted scan (Ctrl-C, a budget, a crash) resumes with
--resume SCAN_ID: nothing is lost and nothing is run twice.

Credentials come from --api-key-env or --api-key-file, never from the command
line, and are never logged or stored.

Exit codes: 0 the scan ran; 1 an error; 2 bad flags; 3 confirmed findings
exist and --fail-on-findings is set; 130 interrupted (resumable).`,
		Example: `  # the reference model, started in-process
  aicc scan --model builtin:refmodel-1.0

  # an OpenAI-compatible endpoint
  OPENAI_API_KEY=... aicc scan --base-url https://api.example.com/v1 --model m-2 \
      --api-key-env OPENAI_API_KEY --concurrency 16 --format json

  # resume an interrupted scan, and write an HTML report
  aicc scan --resume sc_20261128t120000_ab3de9fg --format html --out report.html

  # what would be sent, without sending it
  aicc scan --model builtin:refmodel-1.0 --repeat 5 --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runScan(cmd.Context(), e, cmd, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.data, "data", "", "data directory (default $AICC_DATA or the user's data directory)")
	fl.StringVar(&f.model, "model", "", "model name, or builtin:refmodel-1.0|refmodel-1.1|refmodel-hardened to scan the reference model in-process")
	fl.StringVar(&f.baseURL, "base-url", "", "endpoint base URL, e.g. http://127.0.0.1:8080/v1 (openai) or https://api.anthropic.com (anthropic)")
	fl.StringVar(&f.provider, "provider", "openai", "endpoint API: openai, anthropic or http")
	fl.StringVar(&f.apiKeyEnv, "api-key-env", "", "environment variable holding the API key")
	fl.StringVar(&f.apiKeyFile, "api-key-file", "", "file holding the API key")
	fl.StringVar(&f.authHeader, "auth-header", "", `header carrying the API key instead of the provider's: a name ("api-key") for the bare key, or "Name: Scheme" ("Authorization: Token")`)
	fl.StringArrayVar(&f.headers, "header", nil, "an extra request header NAME=VALUE, repeatable; not for secrets (they are stored with the scan): use --auth-header")
	fl.BoolVar(&f.stream, "stream", false, "use streaming responses (server-sent events)")
	fl.StringVar(&f.requestTemplate, "request-template", "", "provider http: JSON request body with {{prompt}}, {{system}}, {{messages}}, {{model}}")
	fl.StringVar(&f.respPath, "response-path", "", "provider http: dotted path of the reply text in the response, e.g. output.text")
	fl.Int64Var(&f.maxResponseBytes, "max-response-bytes", 1<<20, "largest response body accepted")
	fl.StringVar(&f.protocol, "protocol", "core", "protocol: a built-in name or a YAML file")
	fl.IntVar(&f.repeat, "repeat", 1, "repetitions of every attempt")
	fl.IntVar(&f.validate, "validate", 5, "reruns of every hit, with fresh canaries, to measure how often it reproduces (0: none, at most 100)")
	fl.Float64Var(&f.temperature, "temperature", 0, "sampling temperature (default: the endpoint's)")
	fl.Int64Var(&f.seed, "seed", 0, "sampling seed sent to the endpoint (default: none)")
	fl.IntVar(&f.maxTokens, "max-tokens", 0, "most tokens per response (default: the endpoint's)")
	fl.StringVar(&f.maxTokensParam, "max-tokens-param", "", "provider openai: send the limit as max_completion_tokens (OpenAI's reasoning models) instead of max_tokens")
	fl.Int64Var(&f.budgetRequests, "budget-requests", 0, "most requests for the whole scan, retries included (0: none)")
	fl.Int64Var(&f.budgetTokens, "budget-tokens", 0, "most tokens, input and output, for the whole scan (0: none)")
	fl.IntVar(&f.concurrency, "concurrency", 32, "most requests in flight")
	fl.BoolVar(&f.noAdaptive, "no-adaptive", false, "keep concurrency fixed instead of backing off on 429/5xx/timeouts")
	fl.Float64Var(&f.rate, "rate", 0, "most requests per second (0: no limit)")
	fl.DurationVar(&f.attemptTimeout, "attempt-timeout", 60*time.Second, "longest one request may take")
	fl.IntVar(&f.maxRetries, "max-retries", 4, "retries of a request that failed with 429, 5xx, a timeout or a reset")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan (attempts, requests, estimated tokens) and send nothing")
	fl.StringVar(&f.resume, "resume", "", "resume the interrupted scan with this ID")
	fl.StringVar(&f.format, "format", "text", "report format: text, json or html")
	fl.StringVar(&f.out, "out", "", "write the report to this file instead of stdout")
	fl.BoolVar(&f.failOnFindings, "fail-on-findings", false, "exit 3 when confirmed findings exist")
	addJudgeFlags(cmd, &f.judge)
	cmd.AddCommand(newScanShowCmd(e), newScanListCmd(e))
	return cmd
}

func runScan(ctx context.Context, e *env, cmd *cobra.Command, f *scanFlags) error {
	if err := checkFormat(f.format, "text", "json", "html"); err != nil {
		return err
	}
	if f.format == "html" && f.out == "" && isTerminal(e.stdout) {
		return usageErrorf("--format html writes a file: add --out FILE")
	}
	changed := cmd.Flags().Changed
	if f.resume != "" {
		for _, name := range []string{"model", "base-url", "provider", "protocol", "repeat", "validate", "temperature", "seed", "max-tokens", "stream", "request-template", "response-path"} {
			if changed(name) {
				return usageErrorf("--%s cannot be changed on --resume: a resumed scan runs its original plan", name)
			}
		}
	} else if f.model == "" {
		return usageErrorf("--model is required (for example --model builtin:refmodel-1.0)")
	}

	var (
		st   store.Store
		s    *aicc.Scan
		p    *protocol.Protocol
		spec targetSpec
		err  error
	)
	if f.resume != "" {
		if st, err = openStore(ctx, e, f.data); err != nil {
			return err
		}
		defer st.Close()
		s, err = st.GetScan(ctx, f.resume)
		if err != nil {
			return fmt.Errorf("resume: %w", err)
		}
		if s.Status == aicc.ScanCompleted {
			fmt.Fprintf(e.stderr, "scan %s is already complete\n", s.ID)
			return writeScanReport(ctx, e, st, s.ID, f)
		}
		if p, err = protocol.Parse("scan "+s.ID, s.ProtocolSource); err != nil {
			return fmt.Errorf("resume: stored protocol: %w", err)
		}
		if err := json.Unmarshal(s.TargetConfig, &spec); err != nil {
			return fmt.Errorf("resume: stored target: %w", err)
		}
		opts, err := scan.DecodeOptions(s)
		if err != nil {
			return err
		}
		if changed("budget-requests") || changed("budget-tokens") {
			if changed("budget-requests") {
				opts.BudgetRequests = f.budgetRequests
			}
			if changed("budget-tokens") {
				opts.BudgetTokens = f.budgetTokens
			}
			if err := opts.Validate(); err != nil {
				return usageErrorf("%v", err)
			}
			if s.Options, err = json.Marshal(opts); err != nil {
				return fmt.Errorf("encode options: %w", err)
			}
		}
	} else {
		if p, err = protocol.Load(f.protocol); err != nil {
			return usageErrorf("%v", err)
		}
		headers := map[string]string{}
		for _, h := range f.headers {
			k, v, ok := strings.Cut(h, "=")
			if !ok || strings.TrimSpace(k) == "" {
				return usageErrorf("--header %q: want NAME=VALUE", h)
			}
			headers[strings.TrimSpace(k)] = v
		}
		if len(headers) == 0 {
			headers = nil
		}
		spec = targetSpec{
			Kind: f.provider, BaseURL: f.baseURL, Model: f.model, Stream: f.stream,
			APIKeyEnv: f.apiKeyEnv, APIKeyFile: f.apiKeyFile, AuthHeader: f.authHeader, Headers: headers, MaxTokensParam: f.maxTokensParam,
			RequestTemplate: f.requestTemplate, ResponsePath: f.respPath,
			MaxResponseBytes: f.maxResponseBytes,
		}
		if v, ok := strings.CutPrefix(f.model, "builtin:"); ok {
			if f.baseURL != "" {
				return usageErrorf("--base-url cannot be used with --model builtin:…; the reference model runs in-process")
			}
			spec.Builtin, spec.Model, spec.Kind = v, v, "openai"
			if !refmodel.IsVersion(v) {
				return usageErrorf("unknown reference model %q: use one of %s", v, strings.Join(refmodel.Versions(), ", "))
			}
		} else if f.baseURL == "" {
			return usageErrorf("--base-url is required unless --model is builtin:…")
		}
		opts := scan.Options{
			Repeat: f.repeat, Reruns: f.validate, MaxTokens: f.maxTokens,
			BudgetRequests: f.budgetRequests, BudgetTokens: f.budgetTokens,
		}
		if changed("temperature") {
			opts.Temperature = &f.temperature
		}
		if changed("seed") {
			opts.Seed = &f.seed
		}
		if err := opts.Validate(); err != nil {
			return usageErrorf("%v", err)
		}
		if f.dryRun {
			return printPlan(e, p, opts, f.format)
		}
		cfgJSON, err := json.Marshal(spec)
		if err != nil {
			return fmt.Errorf("encode target: %w", err)
		}
		tcfg, err := spec.config(e, "")
		if err != nil {
			return err
		}
		if s, err = scan.NewScan(p, describeTarget(spec, tcfg), cfgJSON, opts, time.Now()); err != nil {
			return usageErrorf("%v", err)
		}
		if st, err = openStore(ctx, e, f.data); err != nil {
			return err
		}
		defer st.Close()
	}
	if f.dryRun {
		opts, err := scan.DecodeOptions(s)
		if err != nil {
			return err
		}
		return printPlan(e, p, opts, f.format)
	}

	// Reach the target: the reference model starts here when built in.
	baseURL := spec.BaseURL
	if spec.Builtin != "" {
		url, stop, err := refmodel.Start(ctx, "127.0.0.1:0", refmodel.Options{Logger: e.logger})
		if err != nil {
			return fmt.Errorf("start reference model: %w", err)
		}
		defer stop(context.WithoutCancel(ctx))
		baseURL = url
	}
	tcfg, err := spec.config(e, baseURL)
	if err != nil {
		return err
	}
	hc := target.NewHTTPClient()
	// Runs before the reference model stops: a connection the transport
	// dialed but never used would hold its shutdown for seconds.
	defer hc.CloseIdleConnections()
	t, err := target.New(tcfg, hc)
	if err != nil {
		return usageErrorf("%v", err)
	}
	llmJudge, err := f.judge.build(e)
	if err != nil {
		return err
	}
	if f.resume == "" {
		if err := st.CreateScan(ctx, s); err != nil {
			return fmt.Errorf("create scan: %w", err)
		}
	}
	fmt.Fprintf(e.stderr, "scan %s: %s, protocol %s@%s, %d attempts\n", s.ID, s.Target, s.ProtocolName, s.ProtocolVersion, s.PlannedAttempts)

	bar := newProgressBar(e.stderr, isTerminal(e.stderr))
	res, err := scan.Run(ctx, st, s, p, t, scan.Config{
		Model:          spec.Model,
		Concurrency:    f.concurrency,
		Adaptive:       !f.noAdaptive,
		Rate:           f.rate,
		AttemptTimeout: f.attemptTimeout,
		MaxRetries:     retriesFlag(f.maxRetries),
		Logger:         e.logger,
		Judge:          llmJudge,
		OnProgress:     bar.Update,
	})
	bar.Done()
	if err != nil {
		return err
	}
	if res.Scan.Status == aicc.ScanInterrupted {
		fmt.Fprintf(e.stderr, "scan %s interrupted (%s) after %d of %d attempts; resume with: aicc scan --resume %s\n",
			s.ID, res.Scan.StopReason, res.Done, s.PlannedAttempts, s.ID)
		if res.Scan.StopReason == scan.StopCanceled {
			return &exitError{code: 130}
		}
	}
	return writeScanReport(context.WithoutCancel(ctx), e, st, s.ID, f)
}

// retriesFlag maps the user's 0 ("no retries") to the engine's -1.
func retriesFlag(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// config builds the target configuration, loading the credential from where
// the spec says. baseURL overrides the spec's (the in-process reference model).
func (spec targetSpec) config(e *env, baseURL string) (target.Config, error) {
	key, err := target.LoadAPIKey(e.getenv, spec.APIKeyEnv, spec.APIKeyFile)
	if err != nil {
		return target.Config{}, usageErrorf("%v", err)
	}
	cfg := target.Config{
		Kind: spec.Kind, BaseURL: spec.BaseURL, Model: spec.Model, APIKey: key, Stream: spec.Stream,
		AuthHeader: spec.AuthHeader, Headers: spec.Headers, MaxTokensParam: spec.MaxTokensParam,
		MaxResponseBytes: spec.MaxResponseBytes, RequestTemplate: spec.RequestTemplate, ResponsePath: spec.ResponsePath,
	}
	if baseURL != "" {
		cfg.BaseURL = baseURL
	}
	if spec.Builtin != "" && cfg.BaseURL == "" {
		cfg.BaseURL = "http://127.0.0.1/v1" // replaced when the reference model starts
	}
	if err := cfg.Validate(); err != nil {
		return target.Config{}, usageErrorf("%v", err)
	}
	return cfg, nil
}

func describeTarget(spec targetSpec, cfg target.Config) string {
	if spec.Builtin != "" {
		return "builtin:" + spec.Builtin
	}
	return fmt.Sprintf("%s %s model=%s", cfg.Kind, cfg.BaseURL, cfg.Model)
}

// writeScanReport writes a stored scan's report in the chosen format, and
// turns confirmed findings into exit code 3 when asked to.
func writeScanReport(ctx context.Context, e *env, st store.Store, scanID string, f *scanFlags) error {
	r, err := report.Build(ctx, st, scanID)
	if err != nil {
		return fmt.Errorf("build report: %w", err)
	}
	if err := writeReport(e, r, f.format, f.out); err != nil {
		return err
	}
	if f.failOnFindings {
		for _, fd := range r.Findings {
			if fd.Status == "confirmed" {
				return &exitError{code: ExitFindings}
			}
		}
	}
	return nil
}

func writeReport(e *env, r *report.Report, format, out string) error {
	var w io.Writer = e.stdout
	if out != "" {
		file, err := os.Create(out)
		if err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		defer file.Close()
		w = file
		if err := report.Write(w, r, format); err != nil {
			return fmt.Errorf("write report %s: %w", out, err)
		}
		if err := file.Close(); err != nil {
			return fmt.Errorf("write report %s: %w", out, err)
		}
		fmt.Fprintf(e.stderr, "report written to %s\n", out)
		return nil
	}
	return report.Write(w, r, format)
}

func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return usageErrorf("unknown --format %q: use one of %s", format, strings.Join(allowed, ", "))
}
