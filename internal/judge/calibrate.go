package judge

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
)

// Label is one human-labelled example.
type Label struct {
	Line     int // the line of the file the row starts on (1-based)
	Prompt   string
	Response string
	Label    string
}

// ReadLabels reads a CSV file of labelled examples. Its header must name
// the columns prompt, response and label, in any order and letter case;
// other columns are ignored. Every error names the line it is about.
func ReadLabels(r io.Reader) ([]Label, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("line 1: the file is empty; want a header: prompt,response,label")
	}
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{"prompt": -1, "response": -1, "label": -1}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if j, ok := col[h]; ok {
			if j >= 0 {
				return nil, fmt.Errorf("line 1: column %q appears twice", h)
			}
			col[h] = i
		}
	}
	for _, name := range []string{"prompt", "response", "label"} {
		if col[name] < 0 {
			return nil, fmt.Errorf("line 1: the header has no %q column; want prompt,response,label, got %s", name, strings.Join(header, ","))
		}
	}
	var out []Label
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		l := Label{Line: line, Prompt: rec[col["prompt"]], Response: rec[col["response"]], Label: strings.TrimSpace(rec[col["label"]])}
		if l.Label == "" {
			return nil, fmt.Errorf("line %d: the label is empty", line)
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, errors.New("line 2: no labelled rows after the header")
	}
	return out, nil
}

// csvError names the line of a CSV syntax error in one line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			return fmt.Errorf("line %d: wrong number of fields; every row needs as many as the header", pe.StartLine)
		case pe.StartLine != pe.Line:
			return fmt.Errorf("line %d: %v (in the field starting on line %d)", pe.Line, pe.Err, pe.StartLine)
		}
		return fmt.Errorf("line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("read labels: %w", err)
}

// Confusion counts binary predictions against labels.
type Confusion struct {
	TP int `json:"tp"` // predicted positive, labelled positive
	FP int `json:"fp"` // predicted positive, labelled negative
	FN int `json:"fn"` // predicted negative, labelled positive
	TN int `json:"tn"` // predicted negative, labelled negative
}

// Add counts one prediction.
func (c *Confusion) Add(predicted, labelled bool) {
	switch {
	case predicted && labelled:
		c.TP++
	case predicted:
		c.FP++
	case labelled:
		c.FN++
	default:
		c.TN++
	}
}

// N is the number of examples counted.
func (c Confusion) N() int { return c.TP + c.FP + c.FN + c.TN }

// The measures are NaN when undefined: precision with no positive
// prediction, recall with no positive label, F1 with neither, kappa when
// chance agreement is certain.

// Agreement is the share of predictions that match their labels (accuracy).
func (c Confusion) Agreement() float64 { return ratio(c.TP+c.TN, c.N()) }

// Precision is the share of positive predictions that are labelled positive.
func (c Confusion) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is the share of positive labels predicted positive.
func (c Confusion) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of precision and recall: 2TP / (2TP + FP + FN).
func (c Confusion) F1() float64 { return ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

// Kappa is Cohen's kappa: agreement corrected for the agreement expected by
// chance from how often each side says positive.
func (c Confusion) Kappa() float64 {
	n := float64(c.N())
	if n == 0 {
		return math.NaN()
	}
	po := float64(c.TP+c.TN) / n
	pe := (float64(c.TP+c.FP)*float64(c.TP+c.FN) + float64(c.FN+c.TN)*float64(c.FP+c.TN)) / (n * n)
	if pe == 1 {
		return math.NaN()
	}
	return (po - pe) / (1 - pe)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// Prediction is what a judge or detector said about one example.
type Prediction int

const (
	Negative Prediction = iota // not the positive class
	Positive                   // the positive class
	Unsure                     // no decision; counted as negative
)

// Predictor predicts one example.
type Predictor func(ctx context.Context, l Label) (Prediction, error)

// Calibration is a predictor measured against labels.
type Calibration struct {
	Positive string         // the label that counts as positive
	Labels   map[string]int // every label seen, with its count
	Unsure   int            // predictions that were Unsure, counted as negative
	Confusion
}

// Calibrate runs predict on every example, at most concurrency at a time,
// and counts the predictions against the labels: an example is positive
// when its label is positive (compared without regard to case). The first
// error stops the run and names the example's line.
func Calibrate(ctx context.Context, labels []Label, positive string, concurrency int, predict Predictor) (*Calibration, error) {
	preds := make([]Prediction, len(labels))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(concurrency, len(labels))) {
		wg.Go(func() {
			for i := range work {
				p, err := predict(ctx, labels[i])
				if err != nil {
					cancel(fmt.Errorf("line %d: %w", labels[i].Line, err))
					continue
				}
				preds[i] = p
			}
		})
	}
feed:
	for i := range labels {
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	c := &Calibration{Positive: positive, Labels: map[string]int{}}
	for i, l := range labels {
		c.Labels[l.Label]++
		if preds[i] == Unsure {
			c.Unsure++
		}
		c.Add(preds[i] == Positive, strings.EqualFold(l.Label, positive))
	}
	return c, nil
}
