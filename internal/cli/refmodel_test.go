package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestRefmodelServe(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"aicc", "refmodel", "serve", "--addr", "127.0.0.1:0"}, bytes.NewReader(nil), io.Discard, pw, func(string) string { return "" })
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("read stderr: %v", err)
	}
	go io.Copy(io.Discard, pr)
	rest, ok := strings.CutPrefix(line, "refmodel listening on ")
	if !ok {
		t.Fatalf("stderr %q", line)
	}
	base, _, _ := strings.Cut(rest, " ")
	resp, err := http.Get(base + "/models")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s/models: %d", base, resp.StatusCode)
	}
	cancel()
	if c := <-code; c != ExitOK {
		t.Errorf("exit %d after Ctrl-C, want 0", c)
	}
}

func TestRefmodelServeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"refmodel", "serve", "--addr", "0.0.0.0:8080"},
		{"refmodel", "serve", "--latency", "-1s"},
		{"refmodel", "serve", "--capacity", "-3"},
		{"refmodel", "serve", "extra"},
		{"refmodel", "bogus"},
	} {
		if r := runCLI(t, nil, args...); r.code != ExitUsage || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want exit %d with a message", args, r.code, r.stderr, ExitUsage)
		}
	}
	if r := runCLI(t, nil, "refmodel", "serve", "--help"); r.code != ExitOK || !strings.Contains(r.stdout, "aicc refmodel serve --addr 127.0.0.1:8080") {
		t.Errorf("--help: exit %d, stdout %q", r.code, r.stdout)
	}
}
