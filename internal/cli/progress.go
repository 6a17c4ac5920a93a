package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/aicc-dev/aicc/internal/scan"
)

// progressInterval is the least time between two redraws.
const progressInterval = 100 * time.Millisecond

// progressBar renders scan.Progress snapshots on one terminal line (stderr),
// at most ~10 times a second; quiet when the writer is not a terminal. It
// draws with carriage returns and spaces only, no escape sequences.
type progressBar struct {
	w     io.Writer
	on    bool
	width func() int       // terminal columns
	now   func() time.Time // the clock, replaced by tests

	mu      sync.Mutex
	last    time.Time // when the line was last drawn
	drawn   int       // length of the line on screen, 0 when none
	stopped bool
}

// newProgressBar returns a bar writing to w; it writes nothing unless
// isTerminal is true.
func newProgressBar(w io.Writer, isTerminal bool) *progressBar {
	return &progressBar{w: w, on: isTerminal, width: func() int { return terminalWidth(w) }, now: time.Now}
}

// Update draws s unless the line was drawn less than progressInterval ago.
// It is cheap and safe to call from any goroutine.
func (p *progressBar) Update(s scan.Progress) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.stopped || now.Sub(p.last) < progressInterval {
		return
	}
	p.last = now
	line := progressLine(s, p.width())
	pad := max(0, p.drawn-len(line))
	p.drawn = len(line)
	io.WriteString(p.w, "\r"+line+strings.Repeat(" ", pad)) // a failed redraw is not worth reporting
}

// Done clears the line; later updates draw nothing.
func (p *progressBar) Done() {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	if p.drawn > 0 {
		io.WriteString(p.w, "\r"+strings.Repeat(" ", p.drawn)+"\r")
		p.drawn = 0
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalWidth is w's width in columns, 80 when unknown.
func terminalWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	return 80
}

// progressLine formats s to fit in width columns (keeping the last column
// free so the cursor never wraps):
//
//	[=====>      ]  1234/5000  24%  812 att/s  ETA 4s  hits 37  errors 2  limit 48
//
// When space is short it drops fields from the right, then the bar.
func progressLine(s scan.Progress, width int) string {
	done, total := s.Done, max(s.Total, s.Done)
	frac := 0.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	rate, eta := "-", "-"
	if secs := s.Elapsed.Seconds(); secs > 0 {
		r := float64(done-s.Resumed) / secs
		rate = formatRate(r)
		if r > 0 {
			eta = formatETA(time.Duration(float64(total-done) / r * float64(time.Second)))
		}
	}
	fields := []string{
		fmt.Sprintf("%d/%d", done, total),
		fmt.Sprintf("%d%%", int(frac*100)),
		rate + " att/s",
		"ETA " + eta,
		"hits " + strconv.Itoa(s.Hits),
		"errors " + strconv.Itoa(s.Errors),
		"limit " + strconv.Itoa(s.Limit),
	}
	const gap, minBar = "  ", 10 // minBar counts the brackets
	avail := width - 1
	for n := len(fields); n > 0; n-- {
		stats := strings.Join(fields[:n], gap)
		if barWidth := avail - len(stats) - len(gap); barWidth >= minBar {
			return bar(frac, barWidth) + gap + stats
		}
		if n == 1 && len(stats) <= avail {
			return stats
		}
	}
	return fields[0][:min(len(fields[0]), max(0, avail))]
}

// bar draws frac as "[===>   ]" in width columns, brackets included.
func bar(frac float64, width int) string {
	inner := width - 2
	full := min(inner, int(frac*float64(inner)))
	b := strings.Repeat("=", full)
	if full < inner {
		b += ">" + strings.Repeat(" ", inner-full-1)
	}
	return "[" + b + "]"
}

func formatRate(r float64) string {
	if r < 10 {
		return strconv.FormatFloat(r, 'f', 1, 64)
	}
	return strconv.FormatFloat(r, 'f', 0, 64)
}

// formatETA formats d as "4s", "3m20s" or "1h5m".
func formatETA(d time.Duration) string {
	if d >= time.Hour {
		d = d.Round(time.Minute)
	} else {
		d = d.Round(time.Second)
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	return s
}
