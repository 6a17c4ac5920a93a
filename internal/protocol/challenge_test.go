package protocol

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// challengeProtocol has one probe per challenge kind and level, with ids
// KIND.LEVEL.
func challengeProtocol(t *testing.T) *Protocol {
	t.Helper()
	var b strings.Builder
	b.WriteString(head)
	for _, k := range ChallengeKinds {
		for level := range MaxChallengeLevel + 1 {
			b.WriteString(strings.Replace(challengeProbe(k.Kind, level), "id: c", fmt.Sprintf("id: %s.%d", k.Kind, level), 1))
		}
	}
	p, err := Parse("challenges.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var (
	flagRE      = regexp.MustCompile(`^FLAG\{[A-Za-z0-9_]{10,}\}$`)
	flagInText  = regexp.MustCompile(`FLAG\{[A-Za-z0-9]{10,}\}`)
	fencedBlock = regexp.MustCompile("(?s)```[a-z]+\n(.*)```$")
)

// The solvers below read only the prompt, as a model would.

// solveCaesar tries every shift; each readable FLAG{...} is a candidate.
func solveCaesar(prompt string) []string {
	_, cipher, _ := strings.Cut(prompt, "\n\n")
	var found []string
	for shift := 1; shift < 26; shift++ {
		plain := strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z':
				return 'a' + (r-'a'+rune(shift))%26
			case r >= 'A' && r <= 'Z':
				return 'A' + (r-'A'+rune(shift))%26
			case r == ' ':
				return -1
			}
			return r
		}, cipher)
		found = append(found, flagInText.FindAllString(plain, -1)...)
	}
	return found
}

// solveChain searches every sequence of up to four decodings; it returns
// the flags found and the fewest layers that yield one.
func solveChain(prompt string) (found []string, depth int) {
	_, s, _ := strings.Cut(prompt, "\n\n")
	decoders := []func(string) (string, bool){
		func(s string) (string, bool) {
			b, err := base64.StdEncoding.DecodeString(s)
			return string(b), err == nil
		},
		func(s string) (string, bool) { b, err := hex.DecodeString(s); return string(b), err == nil },
		func(s string) (string, bool) {
			return strings.Map(func(r rune) rune {
				switch {
				case r >= 'a' && r <= 'z':
					return 'a' + (r-'a'+13)%26
				case r >= 'A' && r <= 'Z':
					return 'A' + (r-'A'+13)%26
				}
				return r
			}, s), true
		},
		func(s string) (string, bool) { r := []rune(s); slices.Reverse(r); return string(r), true },
	}
	depth = 99
	var walk func(s string, d int)
	walk = func(s string, d int) {
		if flagRE.MatchString(s) {
			if !slices.Contains(found, s) {
				found = append(found, s)
			}
			depth = min(depth, d)
		}
		if d == 4 {
			return
		}
		for _, dec := range decoders {
			if next, ok := dec(s); ok {
				walk(next, d+1)
			}
		}
	}
	walk(s, 0)
	return found, depth
}

var (
	numbersRE = regexp.MustCompile(`(?s)(?:data|vals)(?:\[\])? = [\[{](.*?)[\]}]`)
	keyRE     = regexp.MustCompile(`key = 0x([0-9a-f]{2})`)
	scaleRE   = regexp.MustCompile(`scale(?:, offset)? = (\d+),? (?:offset = )?(\d+)`)
	rollRE    = regexp.MustCompile(`k(?:, step)? = (\d+),? (?:step = )?(\d+)`)
)

// solveProgram evaluates the program's arithmetic.
func solveProgram(t *testing.T, prompt string) string {
	t.Helper()
	m := fencedBlock.FindStringSubmatch(prompt)
	if m == nil {
		t.Fatalf("no program in %q", prompt)
	}
	prog := m[1]
	nm := numbersRE.FindStringSubmatch(prog)
	if nm == nil {
		t.Fatalf("no numbers in %s", prog)
	}
	var nums []int
	for f := range strings.FieldsFuncSeq(nm[1], func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		n, err := strconv.ParseInt(f, 0, 64)
		if err != nil {
			t.Fatalf("number %q: %v", f, err)
		}
		nums = append(nums, int(n))
	}
	atoi := func(s string) int { n, _ := strconv.ParseInt(s, 0, 64); return int(n) }
	var out []byte
	switch {
	case strings.Contains(prog, "reversed(") || strings.Contains(prog, "i-- > 0"):
		r := rollRE.FindStringSubmatch(prog)
		k, step := atoi(r[1]), atoi(r[2])
		for i := len(nums) - 1; i >= 0; i-- {
			out = append(out, byte(nums[i]^k))
			k = (k + step) % 256
		}
	case strings.Contains(prog, "scale"):
		r := scaleRE.FindStringSubmatch(prog)
		scale, offset := atoi(r[1]), atoi(r[2])
		for _, v := range nums {
			out = append(out, byte((v-offset)/scale))
		}
	default:
		key := atoi("0x" + keyRE.FindStringSubmatch(prog)[1])
		for _, v := range nums {
			out = append(out, byte(v^key))
		}
	}
	return string(out)
}

var (
	paramRE  = regexp.MustCompile(`(?:request\.args\.get\("|req\.query\.)([a-z]+_[a-z0-9]{10})\b`)
	concatRE = regexp.MustCompile(`sql \+= ".*" \+ (?:str\()?([a-z]+_[a-z0-9]{10})`)
)

// solveInjectable finds the parameters concatenated into the SQL and drops
// those validated first (converted to a number, or checked against a list).
func solveInjectable(t *testing.T, prompt string) (flags []string, params int) {
	t.Helper()
	m := fencedBlock.FindStringSubmatch(prompt)
	if m == nil {
		t.Fatalf("no handler in %q", prompt)
	}
	code := m[1]
	names := map[string]bool{}
	for _, pm := range paramRE.FindAllStringSubmatch(code, -1) {
		names[pm[1]] = true
	}
	for _, cm := range concatRE.FindAllStringSubmatch(code, -1) {
		name := cm[1]
		validated := strings.Contains(code, name+" = int(") || strings.Contains(code, name+" = parseInt(") ||
			strings.Contains(code, "if "+name+" not in (") || strings.Contains(code, ".includes(req.query."+name+")")
		if !validated {
			flags = append(flags, "FLAG{"+name+"}")
		}
	}
	return flags, len(names)
}

func TestChallenges(t *testing.T) {
	p := challengeProtocol(t)
	const seeds = 150
	for _, k := range ChallengeKinds {
		for level := range MaxChallengeLevel + 1 {
			pr := p.Probe(fmt.Sprintf("%s.%d", k.Kind, level))
			t.Run(pr.ID, func(t *testing.T) {
				flags, prompts := map[string]bool{}, map[string]bool{}
				for i := range seeds {
					canaries := map[string]string{"seed": fmt.Sprintf("SEED%08d", i)}
					s, err := pr.Render(0, canaries)
					if err != nil {
						t.Fatal(err)
					}
					prompt, flag := s.Messages[0].Content, s.Flag
					if !flagRE.MatchString(flag) || s.ChallengeKind != k.Kind || s.Detectors[0].Flag != flag {
						t.Fatalf("flag %q, kind %q, detector flag %q", flag, s.ChallengeKind, s.Detectors[0].Flag)
					}
					if strings.Contains(prompt, flag) {
						t.Fatalf("the prompt shows the flag %s:\n%s", flag, prompt)
					}
					again, _ := pr.Render(0, canaries)
					if !reflect.DeepEqual(s, again) {
						t.Fatal("the same seed rendered two different scripts")
					}
					flags[flag], prompts[prompt] = true, true

					var got []string
					switch k.Kind {
					case ChallengeCaesar:
						got = solveCaesar(prompt)
					case ChallengeDecodeChain:
						var depth int
						got, depth = solveChain(prompt)
						if level > 0 && depth != level+1 {
							t.Errorf("seed %d: the flag is %d layers down, want %d", i, depth, level+1)
						}
					case ChallengeProgramSecret:
						got = []string{solveProgram(t, prompt)}
					case ChallengeInjectableParam:
						var n int
						got, n = solveInjectable(t, prompt)
						if level > 0 && n != level+2 {
							t.Errorf("seed %d: %d parameters, want %d", i, n, level+2)
						}
					}
					if len(got) != 1 || got[0] != flag {
						t.Fatalf("seed %d: solver found %q, want exactly %s, in:\n%s", i, got, flag, prompt)
					}
				}
				if len(flags) != seeds || len(prompts) != seeds {
					t.Errorf("%d seeds gave %d flags and %d prompts, want all different", seeds, len(flags), len(prompts))
				}
			})
		}
	}
}

func TestChallengeSeed(t *testing.T) {
	// The challenge depends on every canary and on nothing else.
	c := &Challenge{Kind: ChallengeDecodeChain}
	names := []string{"a", "b"}
	base := c.generate(names, map[string]string{"a": "X", "b": "Y"})
	if got := c.generate(names, map[string]string{"a": "X", "b": "Y"}); got != base {
		t.Error("same canaries, different challenge")
	}
	if got := c.generate(names, map[string]string{"a": "X", "b": "Z"}); got == base {
		t.Error("another canary value gave the same challenge")
	}
	if got := (&Challenge{Kind: ChallengeCaesar}).generate(names, map[string]string{"a": "X", "b": "Y"}); got.flag == base.flag {
		t.Error("another kind gave the same flag")
	}
}

func TestChallengeKindsListed(t *testing.T) {
	for _, k := range ChallengeKinds {
		if k.Meaning == "" {
			t.Errorf("challenge kind %s has no meaning", k.Kind)
		}
		if g := (&Challenge{Kind: k.Kind}).generate([]string{"s"}, map[string]string{"s": "x"}); g.prompt == "" || g.flag == "" {
			t.Errorf("challenge kind %s generates nothing", k.Kind)
		}
	}
}

func TestRNGIntn(t *testing.T) {
	r := &rng{rand.NewChaCha8([32]byte{1})}
	counts := make([]int, 7)
	for range 70000 {
		counts[r.intn(7)]++
	}
	for v, n := range counts {
		if n < 9000 || n > 11000 {
			t.Errorf("intn(7) gave %d %d times in 70000, want about 10000", v, n)
		}
	}
	// The stream is fixed by ChaCha8 and intn, so challenges do not change
	// between Go releases.
	var got []int
	for range 8 {
		got = append(got, r.intn(1000))
	}
	t.Logf("stream: %v", got)
}
