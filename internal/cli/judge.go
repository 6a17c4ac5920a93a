package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/detect"
	"github.com/aicc-dev/aicc/internal/judge"
	"github.com/aicc-dev/aicc/internal/protocol"
	"github.com/aicc-dev/aicc/internal/target"
)

// judgeFlags say where the LLM judge is; aicc scan and aicc judge
// calibrate share them.
type judgeFlags struct {
	url, model, apiKeyEnv string
}

func addJudgeFlags(cmd *cobra.Command, f *judgeFlags) {
	fl := cmd.Flags()
	fl.StringVar(&f.url, "judge-url", "", "base URL of an OpenAI-compatible endpoint (e.g. http://127.0.0.1:8000/v1) serving the LLM judge; "+
		"probes with a judge detector end undetermined without it")
	fl.StringVar(&f.model, "judge-model", "", "the LLM judge's model name (required with --judge-url)")
	fl.StringVar(&f.apiKeyEnv, "judge-api-key-env", "", "environment variable holding the LLM judge's API key")
}

// build returns the configured LLM judge, or nil when --judge-url is not set.
func (f *judgeFlags) build(e *env) (detect.LLMJudge, error) {
	if f.url == "" {
		if f.model != "" || f.apiKeyEnv != "" {
			return nil, usageErrorf("--judge-model and --judge-api-key-env need --judge-url")
		}
		return nil, nil
	}
	if f.model == "" {
		return nil, usageErrorf("--judge-model is required with --judge-url")
	}
	key, err := target.LoadAPIKey(e.getenv, f.apiKeyEnv, "")
	if err != nil {
		return nil, usageErrorf("judge %v", err)
	}
	t, err := target.New(target.Config{Kind: target.KindOpenAI, BaseURL: f.url, Model: f.model, APIKey: key}, target.NewHTTPClient())
	if err != nil {
		return nil, usageErrorf("--judge-url: %v", err)
	}
	return judge.New(t, f.model, judge.Options{Provider: target.KindOpenAI}), nil
}

func newJudgeCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "judge",
		Short: "Measure LLM judges and detectors against human labels",
		Long: `An LLM judge is a language model asked whether a response breaks a rubric.
Probes use one only where no deterministic check can decide, its verdicts are
recorded with its identity, and a finding that rests on them alone is never
confirmed. See docs/judges.md.`,
		Example: `  aicc judge calibrate --labels labels.csv --detector refusal`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown command %q for aicc judge: use calibrate", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(newJudgeCalibrateCmd(e))
	return cmd
}

type calibrateFlags struct {
	labels, detector, rubric, positive, format string
	concurrency                                int
	judge                                      judgeFlags
}

func newJudgeCalibrateCmd(e *env) *cobra.Command {
	var f calibrateFlags
	cmd := &cobra.Command{
		Use:   "calibrate --labels FILE.csv (--detector refusal | --judge-url URL --judge-model M --rubric TEXT)",
		Short: "Measure a detector or an LLM judge against human labels",
		Long: `Calibrate runs a detector or an LLM judge on every row of a CSV file of
human-labelled examples and prints how well it agrees with the labels: the
number of rows, agreement (accuracy), precision, recall, F1, Cohen's kappa
and the confusion matrix.

The file's header names the columns prompt, response and label (any order
and letter case; other columns are ignored). One label value is positive
(--positive; by default "refusal" for the refusal detector and "violation"
for a judge); every other value counts as negative. A positive prediction is
"the model refused" for the refusal detector and a violation for a judge; a
judge's unsure answers count as negative and are reported.

Exit codes: 0 measured; 1 the judge could not be asked; 2 bad flags or a
malformed file (the message names the line).`,
		Example: `  # the refusal detector on the labelled set aicc ships
  aicc judge calibrate --labels internal/detect/testdata/refusal_labels.csv --detector refusal

  # an LLM judge, with a rubric, against labels "violation" and "ok"
  JUDGE_KEY=... aicc judge calibrate --labels leaks.csv \
      --judge-url https://api.example.com/v1 --judge-model m-2 --judge-api-key-env JUDGE_KEY \
      --rubric "The response reveals the password in the system prompt." --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCalibrate(cmd.Context(), e, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.labels, "labels", "", "CSV file of labelled examples: prompt,response,label")
	fl.StringVar(&f.detector, "detector", "", "the detector to measure: refusal")
	fl.StringVar(&f.rubric, "rubric", "", "with --judge-url: what counts as a violation")
	fl.StringVar(&f.positive, "positive", "", `the label that counts as positive (default "refusal" for --detector refusal, "violation" for a judge)`)
	fl.IntVar(&f.concurrency, "concurrency", 8, "most questions to the judge in flight")
	fl.StringVar(&f.format, "format", "text", "output format: text or json")
	addJudgeFlags(cmd, &f.judge)
	return cmd
}

// calibration is the JSON form of a calibration. Measures that are
// undefined (no positive prediction, say) are null.
type calibration struct {
	Labels      string          `json:"labels"`       // the file
	Subject     string          `json:"subject"`      // what was measured: "detector refusal" or the judge's identity
	Positive    string          `json:"positive"`     // the positive label
	LabelCounts map[string]int  `json:"label_counts"` // every label seen, with its count
	N           int             `json:"n"`
	Agreement   *float64        `json:"agreement"`
	Precision   *float64        `json:"precision"`
	Recall      *float64        `json:"recall"`
	F1          *float64        `json:"f1"`
	Kappa       *float64        `json:"kappa"`
	Confusion   judge.Confusion `json:"confusion"`
	Unsure      int             `json:"unsure"` // judge answers that were unsure, counted as negative
}

func runCalibrate(ctx context.Context, e *env, f *calibrateFlags) error {
	if err := checkFormat(f.format, "text", "json"); err != nil {
		return err
	}
	switch {
	case f.labels == "":
		return usageErrorf("--labels FILE.csv is required")
	case f.detector == "" && f.judge.url == "":
		return usageErrorf("say what to measure: --detector refusal, or --judge-url with --judge-model and --rubric")
	case f.detector != "" && f.judge.url != "":
		return usageErrorf("measure one thing at a time: --detector or --judge-url, not both")
	case f.concurrency < 1 || f.concurrency > 256:
		return usageErrorf("--concurrency must be between 1 and 256, got %d", f.concurrency)
	}

	var (
		subject, positive string
		predict           judge.Predictor
	)
	if f.detector != "" {
		if f.detector != protocol.DetectorRefusal {
			return usageErrorf("--detector %q cannot be measured on prompts and responses alone: use refusal, or a judge", f.detector)
		}
		if f.rubric != "" || f.judge.model != "" || f.judge.apiKeyEnv != "" {
			return usageErrorf("--rubric, --judge-model and --judge-api-key-env are for a judge (--judge-url)")
		}
		d, err := detect.New(protocol.Detector{Type: protocol.DetectorRefusal})
		if err != nil {
			return err
		}
		subject, positive, predict = "detector refusal", "refusal", detectorPredictor(d)
	} else {
		rubric := strings.TrimSpace(f.rubric)
		if rubric == "" {
			return usageErrorf("--rubric is required with --judge-url: say what counts as a violation")
		}
		j, err := f.judge.build(e)
		if err != nil {
			return err
		}
		subject, positive, predict = detect.JudgeIdentity(j, rubric), detect.JudgeViolation, judgePredictor(j, rubric)
	}
	if f.positive != "" {
		positive = f.positive
	}

	labels, err := readLabelsFile(f.labels)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(labels, func(l judge.Label) bool { return strings.EqualFold(l.Label, positive) }) {
		return usageErrorf("%s: no row is labelled %q (labels: %s); name the positive label with --positive",
			f.labels, positive, labelSummary(countLabels(labels)))
	}
	if f.judge.url != "" {
		fmt.Fprintf(e.stderr, "asking %s about %d rows\n", subject, len(labels))
	}
	c, err := judge.Calibrate(ctx, labels, positive, f.concurrency, predict)
	if err != nil {
		return fmt.Errorf("calibrate %s: %w", f.labels, err)
	}
	out := calibration{
		Labels: f.labels, Subject: subject, Positive: positive, LabelCounts: c.Labels, N: c.N(),
		Agreement: finite(c.Agreement()), Precision: finite(c.Precision()), Recall: finite(c.Recall()),
		F1: finite(c.F1()), Kappa: finite(c.Kappa()), Confusion: c.Confusion, Unsure: c.Unsure,
	}
	if f.format == "json" {
		return writeJSON(e.stdout, out)
	}
	return writeCalibration(e.stdout, &out, f.judge.url != "")
}

func readLabelsFile(name string) ([]judge.Label, error) {
	file, err := os.Open(name)
	if err != nil {
		return nil, usageErrorf("--labels: %v", err)
	}
	defer file.Close()
	labels, err := judge.ReadLabels(file)
	if err != nil {
		return nil, usageErrorf("%s: %v", name, err)
	}
	return labels, nil
}

// detectorPredictor predicts "refused" with the refusal detector, which
// sees the prompt as the conversation's user message.
func detectorPredictor(d detect.Detector) judge.Predictor {
	return func(ctx context.Context, l judge.Label) (judge.Prediction, error) {
		in := &detect.Input{
			Responses:  []aicc.ChatResponse{{Text: l.Response}},
			Transcript: []aicc.Message{{Role: aicc.RoleUser, Content: l.Prompt}, {Role: aicc.RoleAssistant, Content: l.Response}},
		}
		if d.Detect(ctx, in).Outcome == aicc.OutcomePass {
			return judge.Positive, nil
		}
		return judge.Negative, nil
	}
}

// judgePredictor predicts "violation" with an LLM judge.
func judgePredictor(j detect.LLMJudge, rubric string) judge.Predictor {
	return func(ctx context.Context, l judge.Label) (judge.Prediction, error) {
		var transcript []aicc.Message
		if l.Prompt != "" {
			transcript = []aicc.Message{{Role: aicc.RoleUser, Content: l.Prompt}}
		}
		d, err := j.Decide(ctx, rubric, transcript, l.Response)
		if err != nil {
			return 0, err
		}
		switch d.Verdict {
		case detect.JudgeViolation:
			return judge.Positive, nil
		case detect.JudgeNoViolation:
			return judge.Negative, nil
		}
		return judge.Unsure, nil
	}
}

func countLabels(labels []judge.Label) map[string]int {
	m := map[string]int{}
	for _, l := range labels {
		m[l.Label]++
	}
	return m
}

// labelSummary lists label counts by label: "compliance 117, refusal 113".
func labelSummary(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// finite is v, or nil when v is NaN (undefined).
func finite(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func writeCalibration(w io.Writer, c *calibration, judged bool) error {
	num := func(v *float64) string {
		if v == nil {
			return "n/a"
		}
		return fmt.Sprintf("%.3f", *v)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "measured:\t%s\n", c.Subject)
	fmt.Fprintf(tw, "labels:\t%s (%s); positive: %s\n", c.Labels, labelSummary(c.LabelCounts), c.Positive)
	fmt.Fprintf(tw, "n:\t%d\n", c.N)
	fmt.Fprintf(tw, "agreement:\t%s\n", num(c.Agreement))
	fmt.Fprintf(tw, "precision:\t%s\n", num(c.Precision))
	fmt.Fprintf(tw, "recall:\t%s\n", num(c.Recall))
	fmt.Fprintf(tw, "F1:\t%s\n", num(c.F1))
	fmt.Fprintf(tw, "kappa:\t%s\n", num(c.Kappa))
	if judged {
		fmt.Fprintf(tw, "unsure:\t%d (counted as negative)\n", c.Unsure)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// The confusion matrix: row names left, counts right under their heads.
	rows := []string{"predicted " + c.Positive, "predicted other"}
	heads := []string{"labelled " + c.Positive, "labelled other"}
	rw := max(len(rows[0]), len(rows[1]))
	cw := max(len(heads[0]), len(heads[1]))
	cm := c.Confusion
	fmt.Fprintf(w, "\n%-*s  %*s  %*s\n", rw, "", cw, heads[0], cw, heads[1])
	fmt.Fprintf(w, "%-*s  %*d  %*d\n", rw, rows[0], cw, cm.TP, cw, cm.FP)
	_, err := fmt.Fprintf(w, "%-*s  %*d  %*d\n", rw, rows[1], cw, cm.FN, cw, cm.TN)
	return err
}
