package coderule

import (
	"regexp"
	"strings"
)

var re = regexp.MustCompile

// Fragments shared by several patterns.
const (
	bt = "`"

	// sqlKW starts a SQL statement.
	sqlKW = `(?i:select|insert|update|delete|with|replace|merge|create|drop|alter|truncate)`

	// pyBuilt is a Python string built from values: an f-string with a
	// placeholder, or a literal followed by %, + or .format(, or a
	// variable followed by +. A literal alone (a parameterised query) is not.
	pyBuilt = `(?:(?:[fF][rR]?|[rR][fF])(?:"""[^"]*\{|'''[^']*\{|"[^"\n]*\{|'[^'\n]*\{)` +
		`|(?:"[^"\n]*"|'[^'\n]*')\s*(?:%\s*[\w(\[]|\+\s*[\w(]|\.format\()` +
		`|[A-Za-z_][\w.\[\]]*\s*\+\s*["'\w])`

	// jsBuilt is a JavaScript string built from values: a template literal
	// with a placeholder, or a literal or variable joined with +.
	jsBuilt = `(?:` + bt + `[^` + bt + `]*\$\{|(?:"[^"\n]*"|'[^'\n]*')\s*\+|[A-Za-z_$][\w.$]*\s*\+\s*["'` + bt + `\w])`

	// jsSQLBuilt is SQL in JavaScript built from values.
	jsSQLBuilt = `(?:` + bt + `\s*` + sqlKW + `\b[^` + bt + `]*\$\{` +
		`|"\s*` + sqlKW + `\b[^"\n]*"\s*\+\s*[\w(]|'\s*` + sqlKW + `\b[^'\n]*'\s*\+\s*[\w(])`

	// goSQLBuilt is SQL in Go built from values: fmt.Sprintf with %s, %v
	// or %q, or a literal joined with +.
	goSQLBuilt = `(?:fmt\.Sprintf\(\s*(?:"\s*` + sqlKW + `\b[^"\n]*%[svq]|` + bt + `\s*` + sqlKW + `\b[^` + bt + `]*%[svq])` +
		`|"\s*` + sqlKW + `\b[^"\n]*"\s*\+\s*\w|` + bt + `\s*` + sqlKW + `\b[^` + bt + `]*` + bt + `\s*\+\s*\w)`

	// sqlStr is a SQL string literal, with '' escapes.
	sqlStr = `N?'(?:[^'\n]|'')*'`

	// Words near a weak hash that show it stores a password.
	passwordWords = `(?i)passw|pwd|passphrase|credential`
	// Words near a weak random source that show it makes a secret.
	secretWords = `(?i)token|secret|passw|api_?key|apikey|\bkey\s*[:=]|salt|nonce|\botp\b|csrf|session_?id|reset_?code|verification`
)

// rules is the rule set, grouped by language.
var rules = []Rule{
	// Python.
	{ID: "py.sql-injection", Language: Python, CWE: "CWE-89", Title: "SQL built from values and passed to execute",
		// execute(f"…{x}"), execute("…" % x), execute("…" + x), execute("….format(x)"),
		// or such a string assigned first and executed later in the block.
		// execute("… %s", (x,)) is parameterised and does not match.
		ms: []matcher{
			{hints: []string{"execute", "read_sql", ".raw("}, re: re(`\.(?:execute|executemany|executescript|raw|read_sql|read_sql_query)\(\s*` + pyBuilt)},
			{hints: []string{"execute", "read_sql"}, re: re(`=\s*\(?\s*` + pyBuilt),
				needs: []*regexp.Regexp{re(`\.(?:execute|executemany|executescript|read_sql|read_sql_query)\(`)},
				near:  re(`(?i)\b(?:select\b[^\n]*\bfrom|insert\s+into|update\b[^\n]*\bset|delete\s+from)\b`)},
		}},
	{ID: "py.command-injection", Language: Python, CWE: "CWE-78", Title: "shell command built from values",
		// os.system / os.popen / subprocess.getoutput on a built string or a
		// variable; subprocess with shell=True on the same. A literal command,
		// or an argument list without shell=True, does not match.
		ms: []matcher{
			{hints: []string{"system(", "popen(", "getoutput(", "getstatusoutput("},
				re: re(`\b(?:os\.(?:system|popen)|subprocess\.(?:getoutput|getstatusoutput)|commands\.getoutput)\(\s*(?:` + pyBuilt + `|[A-Za-z_][\w.]*(?:\[[^\]\n]*\])?\s*[),])`)},
			{hints: []string{"shell"},
				re: re(`\bsubprocess\.(?:run|call|Popen|check_output|check_call)\(\s*(?:` + pyBuilt + `|[A-Za-z_][\w.]*\s*,)(?:[^()]|\([^()]*\))*?\bshell\s*=\s*True`)},
		}},
	{ID: "py.weak-password-hash", Language: Python, CWE: "CWE-916", Title: "MD5 or SHA-1 used to hash a password",
		// Counts only with a password word within three lines, so a file
		// checksum does not match. A fast SHA-2 hash of a password is not flagged.
		ms: []matcher{{hints: []string{"md5", "sha1"}, re: re(`\bhashlib\.(?:md5|sha1)\(|\bhashlib\.new\(\s*["'](?:md5|sha1)["']`),
			window: 3, near: re(passwordWords)}}},
	{ID: "py.weak-cipher", Language: Python, CWE: "CWE-327", Title: "broken cipher or ECB mode",
		ms: []matcher{{hints: []string{"DES", "ARC4", "ARC2", "Blowfish", "ECB"},
			re: re(`\b(?:DES3?|ARC4|ARC2|Blowfish)\.new\(|\bMODE_ECB\b|\bmodes\.ECB\(|\balgorithms\.(?:TripleDES|ARC4|Blowfish|IDEA)\(`)}}},
	{ID: "py.insecure-random", Language: Python, CWE: "CWE-338", Title: "random module used for a secret value",
		// Counts only with a secret word (token, password, key =, salt …)
		// within two lines; random.choice for a game does not match.
		ms: []matcher{{hints: []string{"random."},
			re:     re(`\brandom\.(?:random|randint|randrange|choice|choices|getrandbits|sample|shuffle|uniform)\(`),
			window: 2, near: re(secretWords)}}},
	{ID: "py.unsafe-deserialization", Language: Python, CWE: "CWE-502", Title: "deserialization that can run code",
		// pickle/dill/marshal.loads, jsonpickle.decode, yaml.unsafe_load, and
		// yaml.load without SafeLoader/BaseLoader within two lines.
		// pickle.load of a file counts only near request, socket or upload words.
		ms: []matcher{
			{hints: []string{"loads(", "jsonpickle", "unsafe_load"}, re: re(`\b(?:c?[pP]ickle|dill|marshal)\.loads\(|\bjsonpickle\.decode\(|\byaml\.unsafe_load\(`)},
			{hints: []string{"yaml.load("}, re: re(`\byaml\.load\(`), window: 2, notNear: re(`\b(?:C?SafeLoader|BaseLoader)\b`)},
			{hints: []string{".load("}, re: re(`\b(?:c?[pP]ickle|dill)\.load\(`), window: 3, near: re(`(?i)request|recv|socket|upload|urlopen`)},
		}},
	{ID: "py.code-injection", Language: Python, CWE: "CWE-95", Title: "eval or exec on a value that is not a literal",
		// eval(x) or exec(x) with anything but a string literal; ast.literal_eval
		// and method calls such as model.eval() do not match.
		ms: []matcher{{hints: []string{"eval(", "exec("}, re: re(`(?:^|[^.\w])(?:eval|exec)\(\s*(?:` + pyBuilt + `|[^\s"')])`)}}},
	{ID: "py.path-traversal", Language: Python, CWE: "CWE-22", Title: "file opened at a path joined from user input without a check",
		// A request-derived name joined into a path and opened or sent, in a
		// block with a request source and no guard (secure_filename, basename,
		// realpath/abspath with startswith, is_relative_to, a ".." test).
		ms: []matcher{
			{hints: []string{"os.path.join"},
				re:     re(`\bos\.path\.join\([^)\n]*,\s*(?:request\.[\w.]+(?:\[[^\]\n]*\]|\([^)\n]*\))?|[\w.]*(?i:name|file|path)\w*)\s*\)`),
				needs:  []*regexp.Regexp{pySource, re(`\bopen\(|\bsend_file\(|\bFileResponse\(|\.read_(?:text|bytes)\(`)},
				unless: pyPathGuard},
			{hints: []string{"open(", "send_file("},
				re:     re(`\b(?:open|send_file)\(\s*(?:[fF]["'][^"'\n]*\{\s*[\w.\[\]'"()]*(?i:name|file|path|request)|[\w.]+\s*\+\s*[\w.\[\]'"()]*(?i:name|file|path|request))`),
				needs:  []*regexp.Regexp{pySource},
				unless: pyPathGuard},
		}},
	{ID: "py.tls-verify-disabled", Language: Python, CWE: "CWE-295", Title: "TLS certificate verification turned off",
		ms: []matcher{{hints: []string{"verify", "CERT_NONE", "_create_unverified_context", "check_hostname"},
			re: re(`\bverify\s*=\s*False\b|\bssl\._create_unverified_context\b|\bCERT_NONE\b|\bcheck_hostname\s*=\s*False\b`)}}},

	// JavaScript and TypeScript.
	{ID: "js.sql-injection", Language: JavaScript, CWE: "CWE-89", Title: "SQL built from values and passed to query",
		// query(`SELECT … ${x}`), query("SELECT …" + x), or such a string
		// assigned first. Placeholders ($1, ?) and tagged templates
		// (sql`…${x}`, which libraries parameterise) do not match.
		ms: []matcher{
			{hints: []string{"query(", "execute(", "raw(", "all(", "get(", "run(", "exec(", "prepare(", "unsafe(", "many(", "one(", "any(", "none("},
				re: re(`\.(?:query|execute|raw|all|get|run|exec|prepare|unsafe|many|one|any|none)\(\s*` + jsSQLBuilt)},
			{hints: []string{"query(", "execute(", "run(", "all(", "get(", "exec(", "prepare(", "raw("},
				re:    re(`=\s*` + jsSQLBuilt),
				needs: []*regexp.Regexp{re(`\.(?:query|execute|run|all|get|exec|prepare|raw)\(`)}},
		}},
	{ID: "js.command-injection", Language: JavaScript, CWE: "CWE-78", Title: "shell command built from values",
		// child_process exec/execSync on a template literal with a placeholder,
		// a concatenation or a variable; spawn with shell: true on the same.
		// execFile and spawn with an argument array do not match.
		ms: []matcher{
			{hints: []string{"exec"}, re: re(`(?:^|[^.\w$]|\b(?:child_?[pP]rocess|cp|proc|shell)\.)(?:exec|execSync)\(\s*(?:` + jsBuilt + `|[A-Za-z_$][\w.$]*\s*[,)])`),
				needs: []*regexp.Regexp{re(`child_process|shelljs`)}},
			{hints: []string{"shell"}, re: re(`\bspawn(?:Sync)?\(\s*(?:` + jsBuilt + `|[A-Za-z_$][\w.$]*\s*,)(?:[^()]|\([^()]*\))*?\bshell\s*:\s*true`),
				needs: []*regexp.Regexp{re(`child_process`)}},
		}},
	{ID: "js.code-injection", Language: JavaScript, CWE: "CWE-95", Title: "eval, new Function or vm on a value that is not a literal",
		ms: []matcher{{hints: []string{"eval(", "Function(", "vm.runIn"},
			re: re(`(?:^|[^.\w$])eval\(\s*(?:` + jsBuilt + `|[^\s"'` + bt + `)])` +
				`|\bnew\s+Function\((?:\s*["'][^"'\n]*["']\s*,)*\s*(?:` + jsBuilt + `|[^\s"'` + bt + `)])` +
				`|\bvm\.runIn(?:New|This)?Context\(\s*(?:` + jsBuilt + `|[^\s"'` + bt + `)])`)}}},
	{ID: "js.unsafe-deserialization", Language: JavaScript, CWE: "CWE-502", Title: "node-serialize unserialize on data",
		ms: []matcher{{hints: []string{"unserialize("}, re: re(`\bunserialize\(`),
			needs: []*regexp.Regexp{re(`["'](?:node-serialize|funcster)["']`)}}}},
	{ID: "js.weak-password-hash", Language: JavaScript, CWE: "CWE-916", Title: "MD5 or SHA-1 used to hash a password",
		// Counts only with a password word within three lines.
		ms: []matcher{{hints: []string{"createHash"}, re: re(`\bcreateHash\(\s*["'](?i:md5|sha1)["']`), window: 3, near: re(passwordWords)}}},
	{ID: "js.weak-cipher", Language: JavaScript, CWE: "CWE-327", Title: "broken cipher, ECB mode or createCipher without an IV",
		ms: []matcher{{hints: []string{"createCipher", "createDecipher", "CryptoJS"},
			re: re(`\bcreate(?:Dec|C)ipher\(|\bcreate(?:Dec|C)ipheriv\(\s*["'](?i:des|des-ede|des-ede3|des-ede3-cbc|des-cbc|rc4|rc2|bf|bf-cbc|blowfish|[\w-]*-ecb)["']` +
				`|\bCryptoJS\.(?:DES|TripleDES|RC4|RC4Drop|Rabbit)\.|\bCryptoJS\.mode\.ECB\b`)}}},
	{ID: "js.insecure-random", Language: JavaScript, CWE: "CWE-338", Title: "Math.random used for a secret value",
		ms: []matcher{{hints: []string{"Math.random"}, re: re(`\bMath\.random\(\)`), window: 2, near: re(secretWords)}}},
	{ID: "js.tls-verify-disabled", Language: JavaScript, CWE: "CWE-295", Title: "TLS certificate verification turned off",
		ms: []matcher{{hints: []string{"rejectUnauthorized", "NODE_TLS_REJECT_UNAUTHORIZED", "strictSSL"},
			re: re(`\brejectUnauthorized["']?\s*:\s*false\b|NODE_TLS_REJECT_UNAUTHORIZED["'\]]?\s*=\s*["']?0|\bstrictSSL["']?\s*:\s*false\b`)}}},
	{ID: "js.path-traversal", Language: JavaScript, CWE: "CWE-22", Title: "file read or sent from a path joined with request input without a check",
		// In a block with a request source and a file sink, and without a
		// guard (startsWith, basename, path.relative, a ".." test).
		ms: []matcher{
			{hints: []string{"path.join", "path.resolve"},
				re:     re(`\bpath\.(?:join|resolve)\([^)\n]*(?:\breq\.(?:params|query|body)\b|,\s*[\w.$]*(?i:name|file|path)\w*\s*\))`),
				needs:  []*regexp.Regexp{jsSource, jsFileSink},
				unless: jsPathGuard},
			{hints: []string{"readFile", "createReadStream", "sendFile", "download("},
				re:     re(`\b(?:readFile(?:Sync)?|createReadStream|sendFile|download)\(\s*(?:` + bt + `[^` + bt + `]*\$\{|[\w.'"/]+\s*\+\s*[\w.]*req\.|__dirname\s*\+\s*["'][^"'\n]*["']\s*\+)`),
				needs:  []*regexp.Regexp{jsSource},
				unless: jsPathGuard},
		}},

	// Go.
	{ID: "go.sql-injection", Language: Go, CWE: "CWE-89", Title: "SQL built with fmt.Sprintf or + and passed to Query or Exec",
		// fmt.Sprintf with %s/%v/%q, or concatenation, into a query method,
		// directly or through a variable. Placeholders ($1, ?) do not match,
		// nor does Sprintf with only %d.
		ms: []matcher{
			{hints: []string{"Sprintf", "+"},
				re: re(`\.(?:Query|QueryRow|QueryContext|QueryRowContext|Exec|ExecContext|Prepare|PrepareContext|Raw|Select|Get|MustExec|Queryx|QueryRowx|NamedExec)\(\s*(?:&?[\w.]+,\s*)?` + goSQLBuilt)},
			{hints: []string{"Sprintf", "+"},
				re:    re(`=\s*` + goSQLBuilt),
				needs: []*regexp.Regexp{re(`\.(?:Query|QueryRow|Exec|Prepare|Raw|Select|Get|MustExec|NamedExec)\w*\(`)}},
		}},
	{ID: "go.command-injection", Language: Go, CWE: "CWE-78", Title: "shell command built from values",
		// exec.Command("sh", "-c", <anything but a literal>). exec.Command
		// with the program and its arguments as separate values does not match.
		ms: []matcher{{hints: []string{"exec.Command"},
			re: re(`\bexec\.Command(?:Context)?\(\s*(?:\w+,\s*)?(?:"(?:/usr)?(?:/bin/)?(?:ba|z|da)?sh"\s*,\s*"-c"|"cmd(?:\.exe)?"\s*,\s*"/[cC]")\s*,\s*(?:fmt\.Sprintf\(|"[^"\n]*"\s*\+|[A-Za-z_][\w.]*\s*[),+])`)}}},
	{ID: "go.weak-password-hash", Language: Go, CWE: "CWE-916", Title: "MD5 or SHA-1 used to hash a password",
		ms: []matcher{{hints: []string{"md5.", "sha1."}, re: re(`\b(?:md5|sha1)\.(?:Sum|New)\(`), window: 3, near: re(passwordWords)}}},
	{ID: "go.weak-cipher", Language: Go, CWE: "CWE-327", Title: "broken cipher (DES, 3DES, RC4)",
		ms: []matcher{{hints: []string{"des.", "rc4."}, re: re(`\bdes\.New(?:TripleDES)?Cipher\(|\brc4\.NewCipher\(`)}}},
	{ID: "go.insecure-random", Language: Go, CWE: "CWE-338", Title: "math/rand used for a secret value",
		// Counts where the block imports math/rand, crypto/rand is not
		// imported under the name rand, and a secret word is within three lines.
		ms: []matcher{{hints: []string{`"math/rand`},
			re:     re(`\brand\.(?:Int|Intn|Int31|Int31n|Int63|Int63n|Int64|Int64N|IntN|N|Uint32|Uint64|UintN|Float64|Read|Perm)\(`),
			needs:  []*regexp.Regexp{re(`"math/rand(?:/v2)?"`)},
			unless: re(`(?m)^\s*(?:import\s+)?"crypto/rand"`),
			window: 3, near: re(secretWords)}}},
	{ID: "go.tls-verify-disabled", Language: Go, CWE: "CWE-295", Title: "TLS certificate verification turned off",
		ms: []matcher{{hints: []string{"InsecureSkipVerify"}, re: re(`\bInsecureSkipVerify\s*[:=]\s*true\b`)}}},
	{ID: "go.path-traversal", Language: Go, CWE: "CWE-22", Title: "file opened at a path joined from request input without a check",
		// In a handler block with a request source and a file sink, without a
		// guard (filepath.IsLocal/Rel/Base, strings.HasPrefix, os.Root, a ".."
		// test). filepath.Clean alone is not a guard: Join already cleans.
		ms: []matcher{
			{hints: []string{"Join("},
				re:     re(`\b(?:filepath|path)\.Join\([^)\n]*,\s*(?:r\.(?:URL\.Query\(\)\.Get|FormValue|PathValue)\([^)\n]*\)|[\w.]*(?i:name|file|path)\w*)\s*\)`),
				needs:  []*regexp.Regexp{goSource, re(`\bos\.(?:Open|OpenFile|ReadFile)\(|\bhttp\.ServeFile\(|\bioutil\.ReadFile\(|\bc\.File\(`)},
				unless: goPathGuard},
			{hints: []string{"os.Open", "ReadFile("},
				re:     re(`\b(?:os\.(?:Open|OpenFile|ReadFile)|ioutil\.ReadFile)\(\s*(?:"[^"\n]*"\s*\+\s*[\w.]+|[\w.]+\s*\+\s*[\w.]+)`),
				needs:  []*regexp.Regexp{goSource},
				unless: goPathGuard},
		}},

	// C and C++.
	{ID: "c.command-injection", Language: C, CWE: "CWE-78", Title: "system or popen on a built command",
		// system(buf) or popen(buf, …) where the block builds strings
		// (sprintf, strcat …) or reads input; system("literal") does not match.
		ms: []matcher{
			{hints: []string{"system(", "popen("}, re: re(`\b(?:system|popen)\(\s*[A-Za-z_]\w*\s*[,)]`),
				needs: []*regexp.Regexp{re(`\b(?:v?sn?printf|strn?cat|strn?cpy|fgets|gets|scanf|getenv)\(|\bargv\b`)}},
			{hints: []string{"execl"}, re: re(`\bexeclp?\(\s*"[^"\n]*sh"\s*,\s*"[^"\n]*"\s*,\s*"-c"\s*,\s*[A-Za-z_]`)},
		}},
	{ID: "c.sql-injection", Language: C, CWE: "CWE-89", Title: "SQL built with sprintf and run",
		ms: []matcher{{hints: []string{"printf("}, re: re(`\bsn?printf\(\s*\w+\s*,\s*(?:[^,"\n]+,\s*)?"\s*` + sqlKW + `\b[^"\n]*%s`),
			needs: []*regexp.Regexp{re(`\b(?:sqlite3_exec|sqlite3_prepare\w*|mysql_query|mysql_real_query|PQexec|SQLExecDirect)\(`)}}}},
	{ID: "c.dangerous-gets", Language: C, CWE: "CWE-242", Title: "gets, which cannot bound its input",
		ms: []matcher{{hints: []string{"gets"}, re: re(`\bgets\s*\(`)}}},
	{ID: "c.buffer-overflow", Language: C, CWE: "CWE-120", Title: "unbounded copy into a fixed-size buffer",
		// strcpy/strcat/sprintf with %s into an array the block declares with
		// a fixed size, and scanf-family %s without a width. strncpy, snprintf,
		// %63s and copies into malloc'd memory do not match.
		ms: []matcher{
			{hints: []string{"strcpy", "strcat", "wcscpy", "wcscat"}, re: re(`\b(?:strcpy|strcat|wcscpy|wcscat)\(\s*(\w+)\s*,`), verify: destIsArray},
			{hints: []string{"sprintf"}, re: re(`\bv?sprintf\(\s*(\w+)\s*,\s*(?:"[^"\n]*%s|[A-Za-z_])`), verify: destIsArray},
			{hints: []string{"scanf"}, re: re(`\b[fs]?scanf\([^;\n]*"[^"\n]*%s`)},
		}},
	{ID: "c.format-string", Language: C, CWE: "CWE-134", Title: "printf-family call with a variable as the format",
		// printf(s), fprintf(f, s), syslog(p, s), sprintf/snprintf with a
		// variable format; printf("%s", s) does not match.
		ms: []matcher{{hints: []string{"printf(", "syslog("},
			re: re(`\b(?:v?printf\(\s*|(?:v?fprintf|dprintf|syslog)\(\s*\w+\s*,\s*|v?sprintf\(\s*\w+\s*,\s*|v?snprintf\(\s*\w+\s*,\s*[^,"\n]+,\s*)[A-Za-z_][\w.\->\[\]]*\s*\)`)}}},
	{ID: "c.tls-verify-disabled", Language: C, CWE: "CWE-295", Title: "TLS certificate verification turned off",
		ms: []matcher{{hints: []string{"CURLOPT_SSL_VERIFY", "SSL_VERIFY_NONE"},
			re: re(`\bCURLOPT_SSL_VERIFY(?:PEER|HOST)\s*,\s*0L?\s*\)|\bSSL_(?:CTX_)?set_verify\([^,\n]+,\s*SSL_VERIFY_NONE\b`)}}},
	{ID: "c.insecure-random", Language: C, CWE: "CWE-338", Title: "rand() used for a secret value",
		ms: []matcher{{hints: []string{"rand()", "random()"}, re: re(`\b(?:rand|random)\(\)`), window: 2, near: re(secretWords)}}},

	// SQL.
	{ID: "sql.grant-all-public", Language: SQL, CWE: "CWE-732", Title: "all privileges granted to PUBLIC",
		ms: []matcher{{hints: []string{"GRANT", "grant", "Grant"}, re: re(`(?i)\bgrant\s+all\b[^;]*?\bto\s+public\b`)}}},
	{ID: "sql.dynamic-exec", Language: SQL, CWE: "CWE-89", Title: "dynamic SQL built by concatenation and executed",
		// EXEC/EXECUTE on a concatenation, a variable assigned a concatenation
		// with a parameter and then executed, or EXECUTE format('…%s…').
		// QUOTENAME/quote_ident/quote_literal on the line clears it, even when
		// another value on the same line is not quoted.
		ms: []matcher{
			{hints: []string{"EXEC", "exec", "Exec"}, re: re(`(?i)\bexec(?:ute)?\s*\(?\s*(?:@\w+\s*\+|` + sqlStr + `\s*(?:\+|\|\|)\s*@?\w)`),
				notNear: sqlQuoted},
			{hints: []string{"@"}, re: re(`(?i)@\w+(?:\s+n?(?:var)?char\s*\([^)\n]*\))?\s*=\s*` + sqlStr + `\s*\+\s*@\w+`),
				needs: []*regexp.Regexp{re(`(?i)\bexec(?:ute)?\b|sp_executesql`)}, notNear: sqlQuoted},
			{hints: []string{":="}, re: re(`(?i)\b\w+\s*:=\s*` + sqlStr + `\s*\|\|\s*\w+`),
				needs: []*regexp.Regexp{re(`(?i)\bexecute\b`)}, notNear: sqlQuoted},
			{hints: []string{"format("}, re: re(`(?i)\bexecute\s+format\(\s*'(?:[^'\n]|'')*?%s`)},
		}},

	// Any language.
	{ID: "secret.aws-access-key", Language: Any, CWE: "CWE-798", Title: "AWS access key ID in code",
		// AWS's documentation key (…EXAMPLE) does not match.
		ms: []matcher{{hints: []string{"AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA", "ABIA", "ACCA"},
			re: re(`\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z2-7]{16}\b`), inComments: true,
			verify: func(code string, loc []int) bool { return !strings.HasSuffix(code[loc[0]:loc[1]], "EXAMPLE") }}}},
	{ID: "secret.private-key", Language: Any, CWE: "CWE-321", Title: "private key block in code",
		// Needs key material after the header: a header with "..." below it
		// (a placeholder) does not match, nor does a certificate.
		ms: []matcher{{hints: []string{"PRIVATE KEY"}, inComments: true,
			re: re(`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[nr])+(?:[A-Za-z-]+: [^\n]*(?:\n|\\n)+)*[A-Za-z0-9+/=]{32,}`)}}},
	{ID: "secret.hardcoded-credential", Language: Any, CWE: "CWE-798", Title: "password, secret or API key written into code",
		// A password/secret/api_key/token name assigned (=, :=, :) or compared
		// to a string literal of 4+ characters. Placeholders (YOUR_…, <…>,
		// ${…}, changeme, example), names of environment variables, labels
		// (password_field = "password") and keys that name a thing about the
		// secret (…_name, …_url, …_path, …_length) do not match.
		ms: credentialMatchers("passw(?:or)?d", "pwd", "secret", "api_?key", "access_?token", "auth_?token", "private_?key")},
}

// credentialMatchers returns a matcher for each secret-sounding name (in
// lower case; matched in any case), so that each pattern starts with a
// literal. Submatch 1 is the name from the keyword on, 2 the value.
func credentialMatchers(keywords ...string) []matcher {
	// Cheap hints, in the cases code uses: password, Password, PASSWORD …
	hints := []string{"ass", "ASS", "wd", "WD", "ecret", "ECRET", "key", "Key", "KEY", "oken", "OKEN"}
	var ms []matcher
	for _, k := range keywords {
		ms = append(ms, matcher{hints: hints, fold: true, verify: realCredential,
			re: re(`(` + k + `\w*)["']?\s*(?::=|===?|=|:)\s*[bru]?["']([^"'\n]{4,})["']`)})
	}
	return ms
}

var (
	pySource    = re(`\brequest\.|\binput\(|\bsys\.argv|\bargparse\b|@app\.|@router\.`)
	pyPathGuard = re(`secure_filename|\bbasename\(|\brealpath\(|\babspath\(|\.resolve\(|\bcommonpath\(|is_relative_to\(|["']\.\.(?:["'/]|\\\\)|\.startswith\(`)
	jsSource    = re(`\breq\.(?:params|query|body)\b|\bprocess\.argv\b`)
	jsFileSink  = re(`\bfs\.|\breadFile|\bcreateReadStream\(|\bsendFile\(|\.download\(`)
	jsPathGuard = re(`\.startsWith\(|["'` + bt + `]\.\.|\bbasename\(|\bpath\.relative\(`)
	goSource    = re(`\br\.URL\.Query\(\)|\.FormValue\(|\.PathValue\(|\bmux\.Vars\(|\bc\.(?:Param|Query)\(|\bos\.Args\b`)
	goPathGuard = re(`"\.\.|\bfilepath\.(?:Rel|IsLocal|Localize|Base)\(|\bstrings\.HasPrefix\(|\bos\.OpenRoot\(|\bOpenInRoot\(|\bsecurejoin\.`)
	sqlQuoted   = re(`(?i)\bquote_(?:ident|literal|nullable)\(|\bquotename\(`)
)

// destIsArray reports whether a copy's destination (submatch 1) is a
// fixed-size char array declared in the code.
func destIsArray(code string, loc []int) bool { return fixedArray(code, group(code, loc, 1)) }

// Key-name endings that describe a secret rather than hold one.
var credentialKeyEnds = []string{
	"name", "field", "label", "header", "path", "file", "url", "uri", "env", "var", "type", "prompt", "message",
	"msg", "hint", "placeholder", "pattern", "regex", "column", "param", "length", "len", "policy", "id", "question",
	"input", "endpoint", "arn",
}

// Values that stand for a secret rather than being one.
var placeholderParts = []string{
	"your", "<", ">", "{", "}", "$", "%", "*", "...", "xxx", "example", "placeholder", "changeme", "change_me",
	"change-me", "replace", "dummy", "redacted", "here", "://", "os.environ", "getenv", "process.env",
}

// realCredential reports whether an assignment of a literal to a
// secret-sounding name (submatches 1: the name's tail, 2: the value) holds
// what looks like a real secret.
func realCredential(code string, loc []int) bool {
	start := loc[2]
	for start > 0 && isWord(code[start-1]) {
		start--
	}
	key := strings.ToLower(code[start:loc[3]])
	value := group(code, loc, 2)
	lv := strings.ToLower(value)
	for _, end := range credentialKeyEnds {
		if strings.HasSuffix(key, end) {
			return false
		}
	}
	for _, p := range placeholderParts {
		if strings.Contains(lv, p) {
			return false
		}
	}
	switch {
	case lv == key, lv == "password", lv == "passwd", lv == "secret", lv == "token", lv == "api_key", lv == "apikey":
		return false
	case strings.Count(value, " ") >= 2: // a sentence: a label or message
		return false
	case strings.HasPrefix(value, "/"), strings.HasPrefix(value, "./"):
		return false
	case envName(value):
		return false
	}
	return true
}

// envName reports whether s reads as an environment variable's name:
// DB_PASSWORD, API_KEY.
func envName(s string) bool {
	if !strings.Contains(s, "_") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
