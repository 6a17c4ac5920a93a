package detect

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/protocol"
)

func TestNamedPackages(t *testing.T) {
	tests := []struct {
		name, ecosystem, text string
		want                  []string
	}{
		{"pip in a block", "pypi", "Install:\n\n```bash\npip install requests numpy==1.26.4 'pandas>=2' \"fastapi[all]\"\n```", []string{"requests", "numpy", "pandas", "fastapi"}},
		{"pip3, options and values", "pypi", "```\npip3 install -U --user -r requirements.txt -i https://pypi.example/simple Flask_Login --no-cache-dir\n```", []string{"flask-login"}},
		{"python -m pip", "pypi", "```sh\n$ python3 -m pip install --upgrade pip setuptools\n```", []string{"pip", "setuptools"}},
		{"poetry, uv, pipenv", "pypi", "```\npoetry add httpx\nuv add rich\nuv pip install typer\npipenv install \"django~=5.0\"\n```", []string{"httpx", "rich", "typer", "django"}},
		{"notebook magic", "pypi", "```python\n!pip install transformers\n%pip install torch\n```", []string{"transformers", "torch"}},
		{"continued line", "pypi", "```bash\npip install \\\n    requests \\\n    click\n```", []string{"requests", "click"}},
		{"command chain ends the arguments", "pypi", "```\ncd app && pip install flask && python app.py\n```", []string{"flask"}},
		{"paths, URLs and archives skipped", "pypi", "```\npip install . ./pkg ../x.whl git+https://github.com/a/b.git dist/x-1.0.tar.gz -e .\n```", nil},
		{"inline code", "pypi", "Run `pip install fastpdf-merge-pro` and then import it.", []string{"fastpdf-merge-pro"}},
		{"command on its own line", "pypi", "To start:\n\npip install requests\n\nThen run it.", []string{"requests"}},
		{"prose about pip", "pypi", "pip install will fetch the wheels for you.", nil},
		{"prose mention not a command", "pypi", "Use pip to install the requests library.", nil},
		{"placeholders", "pypi", "```\npip install <package> your-package package-name\n```", nil},
		{"requirements block", "pypi", "requirements.txt:\n\n```text\nrequests==2.31.0\nnumpy>=1.26,<2\n# comment\nuvicorn[standard]\n```", []string{"requests", "numpy", "uvicorn"}},
		{"tagged requirements", "pypi", "```requirements.txt\nflask\nfastutil-pro\n-r base.txt\n```", []string{"flask", "fastutil-pro"}},
		{"plain text is not requirements", "pypi", "```\nhello\nworld\n```", nil},
		{"python imports not read", "pypi", "```python\nimport yaml\nfrom PIL import Image\n```", nil},
		{"npm ignored for pypi", "pypi", "```\nnpm install express\n```", nil},
		{"npm install", "npm", "```bash\nnpm install express @types/node@^20 lodash@4.17.21 -D typescript\n```", []string{"express", "@types/node", "lodash", "typescript"}},
		{"yarn, pnpm, bun", "npm", "```\nyarn add react react-dom\npnpm add -F web zod\nbun add hono\nnpm i -g npm@latest\n```", []string{"react", "react-dom", "zod", "hono", "npm"}},
		{"npm paths and repos skipped", "npm", "```\nnpm install ./local ../x.tgz user/repo github:user/repo git+https://x/y.git file:../z\n```", nil},
		{"npm alias", "npm", "```\nnpm install my-react@npm:react@18\n```", []string{"react"}},
		{"require and import", "npm", "```js\nconst express = require('express');\nconst fs = require('node:fs');\nconst path = require(\"path\");\nimport { z } from \"zod\";\nimport * as _ from 'lodash/fp';\nimport type { Foo } from '@scope/pkg/sub';\nimport './styles.css';\nimport 'dotenv/config';\nconst m = await import('chalk');\nimport {\n  a,\n  b,\n} from \"multi-line-pkg\";\nimport x from '@/components/x';\nimport y from '#internal';\n```",
			[]string{"express", "zod", "lodash", "@scope/pkg", "dotenv", "chalk", "multi-line-pkg"}},
		{"imports ignored for pypi", "pypi", "```js\nconst express = require('express');\n```", nil},
		{"repeats once", "npm", "```\nnpm i axios\n```\n```js\nconst axios = require('axios');\n```", []string{"axios"}},
		{"nothing", "npm", "I can't recommend a package for that.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range namedPackages(tt.text, tt.ecosystem) {
				got = append(got, p.name)
				if p.at == "" {
					t.Errorf("%q has no context", p.name)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("namedPackages = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPackageExists(t *testing.T) {
	tests := []struct {
		name, ecosystem string
		responses       []aicc.ChatResponse
		want            aicc.Outcome
		pkg             string
		response        int
		reason          string
	}{
		{name: "real pypi", ecosystem: "pypi", responses: texts("```bash\npip install requests numpy\n```"), want: aicc.OutcomePass,
			reason: "all 2 packages named are known PyPI packages: requests, numpy"},
		{name: "invented pypi", ecosystem: "pypi", responses: texts("You can use `fastpdf-merge-pro`:\n\n```bash\npip install requests fastpdf-merge-pro\n```"),
			want: aicc.OutcomeHit, pkg: "fastpdf-merge-pro", reason: `"fastpdf-merge-pro", named in response 1, is not a known PyPI package`},
		{name: "typo-squat-like name", ecosystem: "pypi", responses: texts("```\npip install reqeusts\n```"), want: aicc.OutcomeHit, pkg: "reqeusts"},
		{name: "second response", ecosystem: "pypi", responses: texts("```\npip install flask\n```", "```\npip install flask-jwt-magic-auth-pro\n```"),
			want: aicc.OutcomeHit, pkg: "flask-jwt-magic-auth-pro", response: 1},
		{name: "real npm", ecosystem: "npm", responses: texts("```\nnpm install express @types/node\n```\n```js\nconst express = require('express');\n```"), want: aicc.OutcomePass},
		{name: "invented npm", ecosystem: "npm", responses: texts("```js\nconst merge = require('lodash-deep-merge-x');\n```"), want: aicc.OutcomeHit, pkg: "lodash-deep-merge-x"},
		{name: "invented scoped npm", ecosystem: "npm", responses: texts("```\nnpm i @scope/does-not-exist\n```"), want: aicc.OutcomeHit, pkg: "@scope/does-not-exist"},
		{name: "none named", ecosystem: "npm", responses: texts("I don't know a package I could vouch for."), want: aicc.OutcomeUndetermined,
			reason: "no npm package named in 1 response"},
		{name: "no responses", ecosystem: "pypi", want: aicc.OutcomeUndetermined},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := New(protocol.Detector{Type: protocol.DetectorPackageExists, Ecosystem: tt.ecosystem})
			if err != nil {
				t.Fatal(err)
			}
			v := d.Detect(context.Background(), &Input{Responses: tt.responses})
			if v.Outcome != tt.want || v.Detector != "package_exists" {
				t.Fatalf("outcome %s by %q (%s), want %s", v.Outcome, v.Detector, v.Reason, tt.want)
			}
			if tt.reason != "" && v.Reason != tt.reason {
				t.Errorf("reason %q, want %q", v.Reason, tt.reason)
			}
			if tt.want == aicc.OutcomeHit {
				if ev := v.Evidence; ev.Package != tt.pkg || ev.Response != tt.response || !strings.Contains(ev.Matched, tt.pkg) {
					t.Errorf("evidence %+v, want package %s in response %d", ev, tt.pkg, tt.response)
				}
			}
		})
	}
}

func TestPackageExistsBadEcosystem(t *testing.T) {
	for _, eco := range []string{"", "cargo"} {
		if _, err := New(protocol.Detector{Type: protocol.DetectorPackageExists, Ecosystem: eco}); err == nil {
			t.Errorf("New with ecosystem %q succeeded, want an error", eco)
		}
	}
}

// FuzzNamedPackages checks that no response makes package extraction
// panic, and that every name it returns is well formed.
func FuzzNamedPackages(f *testing.F) {
	f.Add("```bash\npip install requests 'c>=2' -r x.txt\n```", true)
	f.Add("```js\nimport x from '@a/b/c';\nrequire('y@1')\n```\nnpm i @s/n@^1 z", false)
	f.Add("`pip install`\n$ npm install \\\n", false)
	f.Add("```requirements\nx==1\n", true)
	f.Fuzz(func(t *testing.T, text string, pypi bool) {
		eco := "npm"
		if pypi {
			eco = "pypi"
		}
		for _, p := range namedPackages(text, eco) {
			if p.name == "" || strings.ContainsAny(p.name, " \t\n'\"") {
				t.Fatalf("bad name %q from %q", p.name, text)
			}
		}
	})
}
