package cli

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/scan"
)

// testBar returns a bar on a buffer with a fixed width and a manual clock.
func testBar(on bool, width int) (*progressBar, *bytes.Buffer, *time.Time) {
	var buf bytes.Buffer
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	p := newProgressBar(&buf, on)
	p.width = func() int { return width }
	p.now = func() time.Time { return clock }
	return p, &buf, &clock
}

var snapshot = scan.Progress{Done: 1234, Total: 5000, Hits: 37, Errors: 2, Requests: 1300, Limit: 48, Elapsed: 2 * time.Second}

func TestProgressBar(t *testing.T) {
	p, buf, clock := testBar(true, 120)
	p.Update(snapshot)
	first := buf.String()
	if !strings.HasPrefix(first, "\r[") {
		t.Errorf("line does not start with a carriage return and the bar: %q", first)
	}
	for _, want := range []string{"1234/5000", "24%", "617 att/s", "ETA 6s", "hits 37", "errors 2", "limit 48"} {
		if !strings.Contains(first, want) {
			t.Errorf("line %q lacks %q", first, want)
		}
	}
	if len(first)-1 > 119 {
		t.Errorf("line is %d columns, wider than the terminal's 119 usable", len(first)-1)
	}

	// Within the interval nothing is drawn; after it, the next snapshot is.
	p.Update(scan.Progress{Done: 1300, Total: 5000})
	if buf.String() != first {
		t.Error("redrew within the rate limit")
	}
	*clock = clock.Add(progressInterval)
	p.Update(scan.Progress{Done: 5000, Total: 5000, Elapsed: 4 * time.Second})
	if !strings.Contains(buf.String(), "5000/5000  100%") {
		t.Errorf("second draw missing: %q", buf.String())
	}

	// Done clears what was drawn, and the bar stays quiet afterwards.
	p.Done()
	out := buf.String()
	if !strings.HasSuffix(out, "\r"+strings.Repeat(" ", 119)+"\r") {
		t.Errorf("Done did not clear the line: %q", out)
	}
	*clock = clock.Add(time.Second)
	p.Update(snapshot)
	if buf.String() != out {
		t.Error("drew after Done")
	}
}

func TestProgressBarNotTerminal(t *testing.T) {
	p, buf, _ := testBar(false, 80)
	p.Update(snapshot)
	p.Done()
	if buf.Len() != 0 {
		t.Errorf("wrote %q to a non-terminal", buf.String())
	}
	if isTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is not a terminal")
	}
}

func TestProgressBarConcurrent(t *testing.T) {
	p, _, _ := testBar(true, 80)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range 100 {
				p.Update(scan.Progress{Done: i, Total: 100})
			}
		})
	}
	wg.Wait()
	p.Done()
}

func TestProgressLineFits(t *testing.T) {
	for _, width := range []int{200, 80, 60, 40, 20, 10, 1} {
		line := progressLine(snapshot, width)
		if len(line) > max(0, width-1) {
			t.Errorf("width %d: line %q is %d columns", width, line, len(line))
		}
		if width >= 20 && !strings.Contains(line, "1234/5000") {
			t.Errorf("width %d: line %q lacks the count", width, line)
		}
	}
	if line := progressLine(snapshot, 80); !strings.HasPrefix(line, "[") {
		t.Errorf("80 columns: no bar in %q", line)
	}
}

func TestProgressLineEdges(t *testing.T) {
	tests := []struct {
		name string
		s    scan.Progress
		want []string
	}{
		{"nothing yet", scan.Progress{Total: 10}, []string{"0/10", "0%", "- att/s", "ETA -"}},
		{"no plan", scan.Progress{}, []string{"0/0", "0%"}},
		{"resumed", scan.Progress{Done: 60, Total: 100, Resumed: 50, Elapsed: 10 * time.Second}, []string{"60/100", "60%", "1.0 att/s", "ETA 40s"}},
		{"long", scan.Progress{Done: 1, Total: 10000, Elapsed: time.Second}, []string{"ETA 2h47m"}},
		{"finished", scan.Progress{Done: 10, Total: 10, Elapsed: time.Second}, []string{"==]", "100%", "ETA 0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := progressLine(tt.s, 120)
			for _, want := range tt.want {
				if !strings.Contains(line, want) {
					t.Errorf("line %q lacks %q", line, want)
				}
			}
		})
	}
}
