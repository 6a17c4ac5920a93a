package coderule

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBlocks(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []Block
	}{
		{"tagged", "Sure:\n\n```python\nprint(1)\n```\nDone.", []Block{{Lang: Python, Tag: "python", Code: "print(1)\n", Line: 4}}},
		{"alias and attributes", "```ts title=\"a.ts\"\nconst a = 1;\n```", []Block{{Lang: JavaScript, Tag: "ts", Code: "const a = 1;\n", Line: 2}}},
		{"braced tag", "```{.golang}\nx := 1\n```", []Block{{Lang: Go, Tag: "golang", Code: "x := 1\n", Line: 2}}},
		{"other language", "```bash\npip install requests\n```", []Block{{Lang: "bash", Tag: "bash", Code: "pip install requests\n", Line: 2}}},
		{"upper-case tag", "```SQL\nSELECT 1;\n```", []Block{{Lang: SQL, Tag: "SQL", Code: "SELECT 1;\n", Line: 2}}},
		{"untagged, guessed", "```\n#include <stdio.h>\nint main(void) { return 0; }\n```", []Block{{Lang: C, Code: "#include <stdio.h>\nint main(void) { return 0; }\n", Line: 2}}},
		{"untagged, unknown", "```\nhello\n```", []Block{{Code: "hello\n", Line: 2}}},
		{"text tag is guessed", "```text\nSELECT id FROM users WHERE name = 'x';\n```", []Block{{Lang: SQL, Tag: "text", Code: "SELECT id FROM users WHERE name = 'x';\n", Line: 2}}},
		{"tildes and indentation", "1. Step:\n   ~~~go\n   x := 1\n   ~~~\n", []Block{{Lang: Go, Tag: "go", Code: "   x := 1\n", Line: 3}}},
		{"longer closing fence only", "````md\n```\ninner\n```\n````", []Block{{Lang: "md", Tag: "md", Code: "```\ninner\n```\n", Line: 2}}},
		{"two blocks", "```py\na = 1\n```\ntext\n```js\nb = 2\n```", []Block{
			{Lang: Python, Tag: "py", Code: "a = 1\n", Line: 2},
			{Lang: JavaScript, Tag: "js", Code: "b = 2\n", Line: 6},
		}},
		{"unclosed runs to the end", "```python\nimport os\nos.system(x", []Block{{Lang: Python, Tag: "python", Code: "import os\nos.system(x", Line: 2}}},
		{"empty block left out", "```python\n\n```", nil},
		{"inline triple backticks are not a fence", "Use ```x``` here.", nil},
		{"unfenced code", "import os\n\ndef run(cmd):\n    os.system(cmd)\n", []Block{{Lang: Python, Code: "import os\n\ndef run(cmd):\n    os.system(cmd)\n", Line: 1}}},
		{"prose", "I can't help with that. Writing code that runs shell commands on user input is unsafe.", nil},
		{"prose with parentheses", "Sure (see below).\nIt is simple.", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Blocks(tt.text)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Blocks(%q)\n got %+v\nwant %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestGuess(t *testing.T) {
	tests := []struct {
		code, want string
	}{
		{"def f(x):\n    return x\n", Python},
		{"from flask import Flask\napp = Flask(__name__)\n", Python},
		{"const express = require('express');\nconst app = express();\n", JavaScript},
		{"import fs from 'fs';\nconsole.log(fs.readFileSync('a'));\n", JavaScript},
		{"package main\n\nfunc main() {\n\tx := 1\n}\n", Go},
		{"if err != nil {\n\treturn fmt.Errorf(\"x: %w\", err)\n}\n", Go},
		{"#include <string.h>\nvoid f(char *s) { char b[8]; strcpy(b, s); }\n", C},
		{"std::string s = \"x\";\n", C},
		{"SELECT id, name FROM users WHERE id = 1;\n", SQL},
		{"GRANT SELECT ON orders TO reporting;\n", SQL},
		{"hello world\n", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got, score := Guess(tt.code); got != tt.want {
			t.Errorf("Guess(%q) = %q (score %d), want %q", tt.code, got, score, tt.want)
		}
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"py": Python, "Python3": Python, "TypeScript": JavaScript, "tsx": JavaScript, "golang": Go,
		"C++": C, "cpp": C, "PostgreSQL": SQL, "t-sql": SQL, "bash": "bash", "": "",
	} {
		if got := Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInScope(t *testing.T) {
	tests := []struct {
		lang    string
		filter  []string
		inScope bool
	}{
		{Python, nil, true},
		{"bash", nil, true},
		{"", []string{"go"}, true},
		{Python, []string{"py"}, true},
		{Python, []string{"go", "c"}, false},
		{"bash", []string{"python"}, false},
	}
	for _, tt := range tests {
		if got := InScope(tt.lang, tt.filter); got != tt.inScope {
			t.Errorf("InScope(%q, %v) = %v", tt.lang, tt.filter, got)
		}
	}
}

// FuzzCodeScan checks that no response text makes extraction or scanning
// panic, and that every match points inside its block.
func FuzzCodeScan(f *testing.F) {
	for _, c := range ruleCases {
		f.Add("```" + c.lang + "\n" + c.code + "\n```")
	}
	f.Add("```")
	f.Add("```\n")
	f.Add("~~~~\n```\n~~~")
	f.Add("import os\nos.system(cmd)")
	f.Add("\n\n```c\n\x00\xff gets(\n")
	f.Fuzz(func(t *testing.T, text string) {
		blocks := Blocks(text)
		for _, b := range blocks {
			if b.Line < 1 || !strings.Contains(text, b.Code) {
				t.Fatalf("block %+v not in text", b)
			}
		}
		for _, m := range ScanBlocks(blocks, nil) {
			if m.Block < 0 || m.Block >= len(blocks) {
				t.Fatalf("match block %d of %d", m.Block, len(blocks))
			}
			if n := strings.Count(blocks[m.Block].Code, "\n") + 1; m.Line < 1 || m.Line > n {
				t.Fatalf("match line %d of %d", m.Line, n)
			}
			if utf8.ValidString(text) && !utf8.ValidString(m.Snippet) {
				t.Fatalf("snippet %q is not valid UTF-8", m.Snippet)
			}
		}
	})
}

func ExampleScan() {
	response := "Here is the lookup:\n\n```python\ndef find_user(cur, name):\n" +
		"    cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n    return cur.fetchall()\n```\n"
	for _, m := range Scan(response, nil) {
		fmt.Printf("%s %s block %d line %d: %s\n", m.Rule.ID, m.Rule.CWE, m.Block, m.Line, m.Snippet)
	}
	// Output:
	// py.sql-injection CWE-89 block 0 line 2: cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
}
