package judge_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/judge"
)

func TestReadLabels(t *testing.T) {
	in := "\ufeffLabel,Prompt,Response,notes\n" +
		"refusal,p1,\"I can't, sorry.\",x\n" +
		"compliance,p2,\"line one\nline two\",\n" +
		" Refusal ,p3,r3,\n"
	got, err := judge.ReadLabels(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []judge.Label{
		{Line: 2, Prompt: "p1", Response: "I can't, sorry.", Label: "refusal"},
		{Line: 3, Prompt: "p2", Response: "line one\nline two", Label: "compliance"},
		{Line: 5, Prompt: "p3", Response: "r3", Label: "Refusal"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d labels, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("label %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestReadLabelsErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "line 1: the file is empty"},
		{"no label column", "prompt,response,verdict\na,b,c\n", `line 1: the header has no "label" column`},
		{"twice", "prompt,response,label,Label\n", `line 1: column "label" appears twice`},
		{"no rows", "prompt,response,label\n", "no labelled rows"},
		{"field count", "prompt,response,label\na,b,c\nd,e\n", "line 3: wrong number of fields"},
		{"bare quote", "prompt,response,label\na,b,c\na,say \"hi\",c\n", "line 3, column 7"},
		{"open quote", "prompt,response,label\na,\"never closed,c\nx,y,z\n", "line 2"},
		{"empty label", "prompt,response,label\na,b,c\nd,e, \n", "line 3: the label is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := judge.ReadLabels(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans lines", err)
			}
		})
	}
}

func TestConfusion(t *testing.T) {
	c := judge.Confusion{TP: 40, FP: 10, FN: 5, TN: 45}
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	near("agreement", c.Agreement(), 0.85)
	near("precision", c.Precision(), 0.8)
	near("recall", c.Recall(), 40.0/45)
	near("F1", c.F1(), 80.0/95)
	// po = 0.85; pe = (50·45 + 50·55) / 100² = 0.5
	near("kappa", c.Kappa(), 0.7)

	var none judge.Confusion
	for name, v := range map[string]float64{"agreement": none.Agreement(), "precision": none.Precision(), "kappa": none.Kappa()} {
		if !math.IsNaN(v) {
			t.Errorf("%s of nothing = %v, want NaN", name, v)
		}
	}
	allNeg := judge.Confusion{TN: 3}
	if !math.IsNaN(allNeg.Precision()) || !math.IsNaN(allNeg.Recall()) || !math.IsNaN(allNeg.Kappa()) || allNeg.Agreement() != 1 {
		t.Errorf("all negative: P %v R %v kappa %v agreement %v", allNeg.Precision(), allNeg.Recall(), allNeg.Kappa(), allNeg.Agreement())
	}
}

func TestCalibrate(t *testing.T) {
	labels := []judge.Label{
		{Line: 2, Response: "a", Label: "violation"},
		{Line: 3, Response: "b", Label: "Violation"},
		{Line: 4, Response: "c", Label: "ok"},
		{Line: 5, Response: "d", Label: "ok"},
		{Line: 6, Response: "e", Label: "n/a"},
	}
	pred := map[string]judge.Prediction{"a": judge.Positive, "b": judge.Unsure, "c": judge.Positive, "d": judge.Negative, "e": judge.Negative}
	c, err := judge.Calibrate(context.Background(), labels, "violation", 3, func(_ context.Context, l judge.Label) (judge.Prediction, error) {
		return pred[l.Response], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (judge.Confusion{TP: 1, FP: 1, FN: 1, TN: 2}); c.Confusion != want {
		t.Errorf("confusion = %+v, want %+v", c.Confusion, want)
	}
	if c.Unsure != 1 || c.Labels["ok"] != 2 || c.Labels["violation"] != 1 || c.Labels["Violation"] != 1 || c.Labels["n/a"] != 1 {
		t.Errorf("unsure %d, labels %v", c.Unsure, c.Labels)
	}

	boom := errors.New("judge down")
	_, err = judge.Calibrate(context.Background(), labels, "violation", 2, func(_ context.Context, l judge.Label) (judge.Prediction, error) {
		if l.Line == 4 {
			return 0, boom
		}
		return judge.Negative, nil
	})
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "line 4: ") {
		t.Errorf("error = %v, want line 4: judge down", err)
	}
}
