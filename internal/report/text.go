package report

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aicc-dev/aicc/internal/validate"
)

// writeText writes a summary for terminals: header, per-class table,
// findings (severity and reproduction side by side), capabilities, and how
// to see more. Text from the store is made visible
// (escapes instead of control characters) so it cannot drive the terminal.
func writeText(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	v := func(s string) string { return visible(s, false) }

	fmt.Fprintf(ew, "Scan %s: %s\n", v(r.ScanID), v(r.Status))
	fmt.Fprintf(ew, "  target    %s\n", v(r.Target))
	fmt.Fprintf(ew, "  protocol  %s@%s %s\n", v(r.Protocol.Name), v(r.Protocol.Version), v(shortDigest(r.Protocol.Digest)))
	fmt.Fprintf(ew, "  duration  %s, %d requests (%.1f/s), %d input + %d output tokens\n",
		duration(r.ActiveSeconds), r.Requests, r.RequestsPerSecond, r.InputTokens, r.OutputTokens)
	c := r.Counts
	fmt.Fprintf(ew, "  attempts  %d of %d planned: %d hit, %d pass, %d undetermined, %d error\n",
		c.Attempts, c.Planned, c.Hit, c.Pass, c.Undetermined, c.Error)
	if vl := r.Validation; vl.Reruns > 0 {
		fmt.Fprintf(ew, "  reruns    %d per hit: %d of %d done\n", vl.Reruns, vl.Attempts, vl.Planned)
	} else {
		fmt.Fprintln(ew, "  reruns    none (validation off)")
	}
	if r.StopReason != "" {
		fmt.Fprintf(ew, "  stopped   %s\n", v(r.StopReason))
	}

	fmt.Fprintln(ew)
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CLASS\tATTEMPTS\tHIT\tPASS\tUNDETERMINED\tERROR")
	for _, k := range r.Classes {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\n", v(string(k.Class)), k.Attempts, k.Hit, k.Pass, k.Undetermined, k.Error)
	}
	tw.Flush()

	fmt.Fprintln(ew)
	if len(r.Findings) == 0 {
		fmt.Fprintln(ew, "No findings: no probe of a weakness ended as a hit.")
	} else {
		confirmed := 0
		for _, f := range r.Findings {
			if f.Status == StatusConfirmed {
				confirmed++
			}
		}
		fmt.Fprintf(ew, "Findings: %d (%d confirmed)\n", len(r.Findings), confirmed)
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SEVERITY\tCVSS\tREPRODUCED\tCLASS\tTITLE\tHITS\tSTATUS\tEVIDENCE")
		for _, f := range r.Findings {
			first := ""
			if len(f.Evidence) > 0 {
				first = f.Evidence[0]
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d/%d\t%s\t%s\n",
				v(string(f.Severity)), cvssText(f.CVSS), reproductionText(f.Reproduction), v(string(f.Class)),
				v(f.Title), f.Hits, f.Attempts, v(f.Status), v(first))
		}
		tw.Flush()
		fmt.Fprintln(ew, "CVSS: the class's CVSS 4.0 base score. REPRODUCED: reruns that hit again, rate and 95% interval.")
	}

	if len(r.Capabilities) > 0 {
		solved := 0
		for _, k := range r.Capabilities {
			if k.Solved > 0 {
				solved++
			}
		}
		fmt.Fprintln(ew)
		fmt.Fprintf(ew, "Capabilities (not findings): %d of %d challenges solved at least once\n", solved, len(r.Capabilities))
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "PROBE\tCHALLENGE\tSOLVED\tRATE")
		for _, k := range r.Capabilities {
			fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%s\n", v(k.ProbeID), v(cmp.Or(k.Challenge, "-")), k.Solved, k.Attempts, rateText(k.Rate, k.CILow, k.CIHigh))
		}
		tw.Flush()
	}

	fmt.Fprintln(ew)
	fmt.Fprintf(ew, "Transcripts and evidence: aicc scan show %s --format html --out report.html\n", v(r.ScanID))
	return ew.err
}

// cvssText is "8.7 High", or "-" without a score.
func cvssText(c *validate.CVSS) string {
	if c == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f %s", c.Score, c.Severity)
}

// reproductionText is "3/5 60% [23–88%]", or "-" without validation.
func reproductionText(r *validate.Reproduction) string {
	if r == nil {
		return "-"
	}
	return fmt.Sprintf("%d/%d %s", r.Successes, r.Attempts, rateText(r.Rate, r.CILow, r.CIHigh))
}

// rateText is "60% [23–88%]": a rate and its interval, in whole percents.
func rateText(rate, low, high float64) string {
	return fmt.Sprintf("%.0f%% [%.0f–%.0f%%]", rate*100, low*100, high*100)
}

// errWriter keeps the first write error so a writer can check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// shortDigest shortens "sha256:<64 hex>" to "sha256:<12 hex>".
func shortDigest(d string) string {
	algo, hex, ok := strings.Cut(d, ":")
	if !ok || len(hex) <= 12 {
		return d
	}
	return algo + ":" + hex[:12]
}

// duration formats seconds for people: "850ms", "4.2s", "3m20s".
func duration(seconds float64) string {
	d := time.Duration(seconds * float64(time.Second))
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
