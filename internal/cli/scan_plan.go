package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/aicc-dev/aicc/internal/protocol"
	"github.com/aicc-dev/aicc/internal/scan"
)

// plan is what --dry-run prints: what a scan would send, without sending it.
type plan struct {
	Protocol        string      `json:"protocol"`
	Digest          string      `json:"digest"`
	Repeat          int         `json:"repeat"`
	Validate        int         `json:"validate"` // reruns per hit, after discovery; how many hits is unknown until then
	Attempts        int         `json:"attempts"`
	Requests        int         `json:"requests"`         // without retries
	EstInputTokens  int64       `json:"est_input_tokens"` // characters / 4 of every request
	EstOutputTokens int64       `json:"est_output_tokens"`
	Probes          []planProbe `json:"probes"`
}

type planProbe struct {
	ID       string `json:"id"`
	Class    string `json:"class"`
	Variants int    `json:"variants"`
	Attempts int    `json:"attempts"`
	Requests int    `json:"requests"`
}

// estOutputTokens is the output assumed per response when no max is set.
const estOutputTokens = 256

func buildPlan(p *protocol.Protocol, opts scan.Options) (*plan, error) {
	pl := &plan{Protocol: p.Name + "@" + p.Version, Digest: p.Digest, Repeat: opts.Repeat, Validate: opts.Reruns}
	dummy := map[string]string{}
	for _, pr := range p.Probes {
		for _, c := range pr.Canaries {
			dummy[c] = "CANARY000000"
		}
		pp := planProbe{ID: pr.ID, Class: string(pr.Class), Variants: pr.NumVariants()}
		for i := range pr.NumVariants() {
			sc, err := pr.Render(i, dummy)
			if err != nil {
				return nil, fmt.Errorf("plan probe %s: %w", pr.ID, err)
			}
			calls := len(sc.CallAfter)
			pp.Requests += calls * opts.Repeat
			out := int64(max(sc.Sampling.MaxTokens, opts.MaxTokens))
			if out == 0 {
				out = estOutputTokens
			}
			// Each call resends the history so far, plus earlier responses.
			var chars int64
			for k, at := range sc.CallAfter {
				chars = 0
				for _, m := range sc.Messages[:at+1] {
					chars += int64(len(m.Content))
				}
				pl.EstInputTokens += (chars/4 + int64(k)*out) * int64(opts.Repeat)
			}
			pl.EstOutputTokens += out * int64(calls) * int64(opts.Repeat)
		}
		pp.Attempts = pp.Variants * opts.Repeat
		pl.Attempts += pp.Attempts
		pl.Requests += pp.Requests
		pl.Probes = append(pl.Probes, pp)
	}
	return pl, nil
}

func printPlan(e *env, p *protocol.Protocol, opts scan.Options, format string) error {
	pl, err := buildPlan(p, opts)
	if err != nil {
		return err
	}
	if format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(pl)
	}
	fmt.Fprintf(e.stdout, "protocol %s (%s), repeat %d\n", pl.Protocol, pl.Digest, pl.Repeat)
	fmt.Fprintf(e.stdout, "%d attempts, %d requests before retries, about %d input and %d output tokens\n",
		pl.Attempts, pl.Requests, pl.EstInputTokens, pl.EstOutputTokens)
	if pl.Validate > 0 {
		fmt.Fprintf(e.stdout, "then %d reruns of every hit (validation): how many hits is unknown until the scan runs\n\n", pl.Validate)
	} else {
		fmt.Fprint(e.stdout, "no reruns of hits (--validate 0)\n\n")
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROBE\tCLASS\tVARIANTS\tATTEMPTS\tREQUESTS")
	for _, pp := range pl.Probes {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\n", pp.ID, pp.Class, pp.Variants, pp.Attempts, pp.Requests)
	}
	return tw.Flush()
}
