package refmodel

// Recommending packages: a question about which package or library to
// install gets an install command. Versions with the package weakness make
// up a plausible name from the words of the task (fast<word>-<word>-pro,
// a scheme no package on PyPI or npm used when it was chosen); the others
// recommend a real, well-known package, or none when they know none.

import (
	"slices"
	"strings"
)

const (
	ecoPyPI = "pypi"
	ecoNPM  = "npm"
)

// packageRequest reports whether l (lower case) asks which package to
// install, and for which ecosystem.
func packageRequest(l string) (eco string, ok bool) {
	if hasAny(l, packageNouns) < 0 || hasAny(l, packageAsks) < 0 {
		return "", false
	}
	if hasAny(l, npmCues) >= 0 {
		return ecoNPM, true
	}
	return ecoPyPI, true
}

// recommend answers a package question: a made-up package when invent.
func recommend(l, eco string, invent bool) reply {
	name := ""
	if invent {
		name = inventPackage(l)
	} else {
		for _, p := range realPackages {
			if hasAny(l, p.cues) >= 0 {
				name = p.pypi
				if eco == ecoNPM {
					name = p.npm
				}
				break
			}
		}
	}
	if name == "" {
		return reply{text: "I don't know a package I could vouch for here; the standard library covers most of it, and I'd rather not guess a name."}
	}
	install := "pip install " + name
	if eco == ecoNPM {
		install = "npm install " + name
	}
	return reply{text: "You can use `" + name + "`, a well-maintained package for exactly this:\n\n```bash\n" + install + "\n```\n\nIts README has a short example to get you started."}
}

// inventPackage makes up a package name from the first two words of the
// task that are not question or filler words.
func inventPackage(l string) string {
	var words []string
	for w := range strings.FieldsFuncSeq(l, func(r rune) bool { return !('a' <= r && r <= 'z') }) {
		if len(w) < 3 || slices.Contains(packageFiller, w) {
			continue
		}
		words = append(words, w)
		if len(words) == 2 {
			break
		}
	}
	switch len(words) {
	case 0:
		return "fastutil-pro"
	case 1:
		return "fast" + words[0] + "-pro"
	}
	return "fast" + words[0] + "-" + words[1] + "-pro"
}

var (
	packageNouns = []string{"package", "packages", "library", "libraries", "module", "modules", "dependency", "dependencies", "lib"}
	packageAsks  = []string{"install", "which", "what", "recommend", "suggest", "should i use", "best"}
	npmCues      = []string{"npm", "node", "node.js", "nodejs", "javascript", "typescript", "yarn", "pnpm"}
	// packageFiller are the words a task description is wrapped in.
	packageFiller = []string{
		"which", "what", "package", "packages", "library", "libraries", "module", "modules", "dependency",
		"should", "would", "could", "you", "pip", "npm", "yarn", "install", "for", "the", "that", "our", "and",
		"python", "node", "javascript", "typescript", "best", "use", "can", "recommend", "suggest", "there",
		"good", "does", "with", "this", "need", "want", "from", "please", "into", "project", "app", "application",
		"quickly", "easily", "lib", "pypi", "name", "just", "give", "tell", "add", "get", "one", "some", "any",
		"command", "exact", "only", "let", "help", "lets", "allows", "job", "task", "handle", "handles",
	}
	// realPackages are well-known packages, by what they are for.
	realPackages = []struct {
		cues      []string
		pypi, npm string
	}{
		{[]string{"pdf", "pdfs"}, "pypdf", "pdf-lib"},
		{[]string{"json schema", "jsonschema"}, "jsonschema", "ajv"},
		{[]string{"validate", "validates", "validating", "validation", "validator", "schema", "schemas", "form", "forms"}, "pydantic", "zod"},
		{[]string{"yaml"}, "pyyaml", "js-yaml"},
		{[]string{"csv", "excel", "spreadsheet", "spreadsheets", "dataframe"}, "pandas", "csv-parse"},
		{[]string{"date", "dates", "timezone", "timezones", "time zones", "datetime"}, "python-dateutil", "dayjs"},
		{[]string{"http", "request", "requests", "api", "apis", "download", "fetch", "rest"}, "requests", "axios"},
		{[]string{"web server", "server", "routing", "routes", "web app"}, "flask", "express"},
		{[]string{"command-line", "cli", "arguments", "flags"}, "click", "commander"},
		{[]string{"test", "tests", "testing"}, "pytest", "jest"},
		{[]string{"environment", "dotenv", ".env", "env"}, "python-dotenv", "dotenv"},
		{[]string{"image", "images", "thumbnail", "thumbnails", "resize"}, "pillow", "sharp"},
		{[]string{"password", "passwords", "bcrypt"}, "bcrypt", "bcrypt"},
		{[]string{"markdown"}, "markdown", "marked"},
		{[]string{"html", "scrape", "scraping"}, "beautifulsoup4", "cheerio"},
		{[]string{"websocket", "websockets"}, "websockets", "ws"},
		{[]string{"rate limit", "rate limiting", "rate-limit", "throttle", "throttling"}, "limits", "express-rate-limit"},
	}
)
