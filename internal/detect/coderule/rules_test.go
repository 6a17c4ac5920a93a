package coderule

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// ruleCase is one piece of code a rule must (match) or must not flag.
type ruleCase struct {
	rule  string
	lang  string // fence tag
	code  string
	match bool
	line  int // for matches: the line in the block, when checked (0: not checked)
}

const bq = "`"

var ruleCases = []ruleCase{
	// py.sql-injection
	{rule: "py.sql-injection", lang: "python", match: true, line: 2, code: `cur = conn.cursor()
cur.execute(f"SELECT * FROM users WHERE name = '{name}'")`},
	{rule: "py.sql-injection", lang: "python", match: true, code: `cursor.execute("SELECT * FROM users WHERE name = '%s'" % name)`},
	{rule: "py.sql-injection", lang: "python", match: true, code: `cursor.execute("DELETE FROM t WHERE id = " + str(item_id))`},
	{rule: "py.sql-injection", lang: "python", match: true, code: `cursor.execute("SELECT * FROM users WHERE id = {}".format(uid))`},
	{rule: "py.sql-injection", lang: "python", match: true, line: 1, code: `query = f"SELECT * FROM users WHERE email = '{email}'"
cursor.execute(query)`},
	{rule: "py.sql-injection", lang: "python", match: true, code: `df = pd.read_sql(f"SELECT * FROM orders WHERE customer = '{customer}'", engine)`},
	{rule: "py.sql-injection", lang: "python", code: `cursor.execute("SELECT * FROM users WHERE name = %s", (name,))`},
	{rule: "py.sql-injection", lang: "python", code: `cursor.execute("SELECT * FROM users WHERE name = ?", (name,))`},
	{rule: "py.sql-injection", lang: "python", code: `query = "SELECT * FROM users WHERE id = %s"
cursor.execute(query, (uid,))`},
	{rule: "py.sql-injection", lang: "python", code: `url = f"https://api.example.com/users/{uid}"
cursor.execute("SELECT 1")`},

	// py.command-injection
	{rule: "py.command-injection", lang: "python", match: true, line: 3, code: `import os
def ping(host):
    return os.system("ping -c 1 " + host)`},
	{rule: "py.command-injection", lang: "python", match: true, code: `out = subprocess.check_output(f"convert {src} {dst}", shell=True)`},
	{rule: "py.command-injection", lang: "python", match: true, code: `subprocess.run(cmd,
    shell=True, check=True)`},
	{rule: "py.command-injection", lang: "python", match: true, code: `os.popen(f"nslookup {domain}").read()`},
	{rule: "py.command-injection", lang: "python", code: `subprocess.run(["ping", "-c", "1", host], check=True)`},
	{rule: "py.command-injection", lang: "python", code: `os.system("clear")`},
	{rule: "py.command-injection", lang: "python", code: `subprocess.run("ls -l /tmp", shell=True)`},
	{rule: "py.command-injection", lang: "python", code: `# never do os.system(cmd) with user input`},

	// py.weak-password-hash
	{rule: "py.weak-password-hash", lang: "python", match: true, code: `def hash_password(password):
    return hashlib.md5(password.encode()).hexdigest()`},
	{rule: "py.weak-password-hash", lang: "python", match: true, code: `pw_hash = hashlib.new("sha1", pwd.encode()).hexdigest()`},
	{rule: "py.weak-password-hash", lang: "python", code: `def file_md5(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(8192), b""):
            h.update(chunk)
    return h.hexdigest()`},
	{rule: "py.weak-password-hash", lang: "python", code: `digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)`},

	// py.weak-cipher
	{rule: "py.weak-cipher", lang: "python", match: true, code: `cipher = DES.new(key, DES.MODE_CBC, iv)`},
	{rule: "py.weak-cipher", lang: "python", match: true, code: `cipher = AES.new(key, AES.MODE_ECB)`},
	{rule: "py.weak-cipher", lang: "python", match: true, code: `c = Cipher(algorithms.AES(key), modes.ECB())`},
	{rule: "py.weak-cipher", lang: "python", code: `cipher = AES.new(key, AES.MODE_GCM)`},
	{rule: "py.weak-cipher", lang: "python", code: `c = Cipher(algorithms.AES(key), modes.GCM(iv))`},

	// py.insecure-random
	{rule: "py.insecure-random", lang: "python", match: true, code: `token = "".join(random.choice(string.ascii_letters) for _ in range(32))`},
	{rule: "py.insecure-random", lang: "python", match: true, code: `def make_reset_code():
    # one-time password for the reset email
    return random.randint(100000, 999999)`},
	{rule: "py.insecure-random", lang: "python", code: `color = random.choice(["red", "green", "blue"])`},
	{rule: "py.insecure-random", lang: "python", code: `token = secrets.token_urlsafe(32)`},

	// py.unsafe-deserialization
	{rule: "py.unsafe-deserialization", lang: "python", match: true, code: `obj = pickle.loads(request.data)`},
	{rule: "py.unsafe-deserialization", lang: "python", match: true, code: `with open(path) as f:
    return yaml.load(f, Loader=yaml.Loader)`},
	{rule: "py.unsafe-deserialization", lang: "python", match: true, code: `cfg = yaml.load(open("config.yml"))`},
	{rule: "py.unsafe-deserialization", lang: "python", match: true, code: `data = conn.recv(4096)
obj = pickle.load(io.BytesIO(data))`},
	{rule: "py.unsafe-deserialization", lang: "python", code: `cfg = yaml.safe_load(f)`},
	{rule: "py.unsafe-deserialization", lang: "python", code: `cfg = yaml.load(
    f,
    Loader=yaml.SafeLoader,
)`},
	{rule: "py.unsafe-deserialization", lang: "python", code: `body = json.loads(request.data)`},
	{rule: "py.unsafe-deserialization", lang: "python", code: `with open("model.pkl", "rb") as f:
    model = pickle.load(f)`},

	// py.code-injection
	{rule: "py.code-injection", lang: "python", match: true, code: `result = eval(input("Expression: "))`},
	{rule: "py.code-injection", lang: "python", match: true, code: `exec(request.form["code"])`},
	{rule: "py.code-injection", lang: "python", match: true, code: `value = eval(expr)`},
	{rule: "py.code-injection", lang: "python", code: `value = ast.literal_eval(expr)`},
	{rule: "py.code-injection", lang: "python", code: `model.eval()`},
	{rule: "py.code-injection", lang: "python", code: `print(eval("2 + 2"))`},

	// py.path-traversal
	{rule: "py.path-traversal", lang: "python", match: true, line: 4, code: `@app.route("/download")
def download():
    name = request.args["file"]
    path = os.path.join("/srv/files", name)
    with open(path, "rb") as f:
        return f.read()`},
	{rule: "py.path-traversal", lang: "python", match: true, code: `@app.route("/files/<filename>")
def get_file(filename):
    return send_file(os.path.join(UPLOAD_DIR, filename))`},
	{rule: "py.path-traversal", lang: "python", match: true, code: `name = request.args.get("name")
with open(f"/var/data/{name}") as f:
    return f.read()`},
	{rule: "py.path-traversal", lang: "python", code: `name = secure_filename(request.args["file"])
return send_file(os.path.join(UPLOAD_DIR, name))`},
	{rule: "py.path-traversal", lang: "python", code: `name = request.args["file"]
return send_from_directory("/srv/files", name)`},
	{rule: "py.path-traversal", lang: "python", code: `base = os.path.realpath(UPLOAD_DIR)
path = os.path.realpath(os.path.join(base, request.args["file"]))
if not path.startswith(base + os.sep):
    abort(400)
return send_file(path)`},
	{rule: "py.path-traversal", lang: "python", code: `def load(path):
    with open(os.path.join(CONFIG_DIR, path)) as f:
        return f.read()`},

	// py.tls-verify-disabled
	{rule: "py.tls-verify-disabled", lang: "python", match: true, code: `r = requests.get(url, verify=False)`},
	{rule: "py.tls-verify-disabled", lang: "python", match: true, code: `ctx = ssl._create_unverified_context()`},
	{rule: "py.tls-verify-disabled", lang: "python", match: true, code: `ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE`},
	{rule: "py.tls-verify-disabled", lang: "python", code: `r = requests.get(url, verify="/etc/ssl/certs/ca.pem", timeout=10)`},
	{rule: "py.tls-verify-disabled", lang: "python", code: `r = requests.get(url, verify=True)`},

	// js.sql-injection
	{rule: "js.sql-injection", lang: "javascript", match: true, code: `const rows = await db.query(` + bq + `SELECT * FROM users WHERE id = ${req.params.id}` + bq + `);`},
	{rule: "js.sql-injection", lang: "js", match: true, code: `pool.query("SELECT id FROM users WHERE name = '" + name + "'", cb);`},
	{rule: "js.sql-injection", lang: "ts", match: true, line: 1, code: `const sql = ` + bq + `
  DELETE FROM sessions WHERE user_id = ${userId}` + bq + `;
await connection.execute(sql);`},
	{rule: "js.sql-injection", lang: "javascript", code: `const rows = await db.query("SELECT * FROM users WHERE id = $1", [id]);`},
	{rule: "js.sql-injection", lang: "javascript", code: `db.all('SELECT * FROM users WHERE name = ?', [name], cb);`},
	{rule: "js.sql-injection", lang: "javascript", code: `const users = await sql` + bq + `select * from users where id = ${id}` + bq + `;`},
	{rule: "js.sql-injection", lang: "javascript", code: `const res = await axios.get(` + bq + `/api/users/${id}` + bq + `);`},

	// js.command-injection
	{rule: "js.command-injection", lang: "javascript", match: true, code: `const { exec } = require("child_process");
exec(` + bq + `ping -c 1 ${host}` + bq + `, callback);`},
	{rule: "js.command-injection", lang: "javascript", match: true, code: `const cp = require('child_process');
cp.execSync('tar czf ' + name + '.tgz ' + dir);`},
	{rule: "js.command-injection", lang: "javascript", match: true, code: `import { spawn } from "child_process";
spawn(` + bq + `convert ${input} out.png` + bq + `, { shell: true });`},
	{rule: "js.command-injection", lang: "javascript", code: `const { execFile } = require("child_process");
execFile("ping", ["-c", "1", host], callback);`},
	{rule: "js.command-injection", lang: "javascript", code: `const { exec } = require("child_process");
exec("ls -la", callback);`},
	{rule: "js.command-injection", lang: "javascript", code: `const m = /(\d+)/.exec(input + suffix);`},

	// js.code-injection
	{rule: "js.code-injection", lang: "javascript", match: true, code: `const result = eval(req.body.expr);`},
	{rule: "js.code-injection", lang: "javascript", match: true, code: `return eval("(" + fs.readFileSync(path, "utf8") + ")");`},
	{rule: "js.code-injection", lang: "javascript", match: true, code: `const fn = new Function("x", userCode);`},
	{rule: "js.code-injection", lang: "javascript", match: true, code: `vm.runInNewContext(req.query.script, sandbox);`},
	{rule: "js.code-injection", lang: "javascript", code: `const data = JSON.parse(body);`},
	{rule: "js.code-injection", lang: "javascript", code: `const add = new Function("a", "b", "return a + b");`},
	{rule: "js.code-injection", lang: "javascript", code: `const v = eval("2 + 2");`},

	// js.unsafe-deserialization
	{rule: "js.unsafe-deserialization", lang: "javascript", match: true, code: `const serialize = require('node-serialize');
const obj = serialize.unserialize(req.cookies.profile);`},
	{rule: "js.unsafe-deserialization", lang: "javascript", code: `const obj = JSON.parse(req.cookies.profile);`},
	{rule: "js.unsafe-deserialization", lang: "javascript", code: `const serialize = require('node-serialize');
res.cookie('profile', serialize.serialize(profile));`},

	// js.weak-password-hash
	{rule: "js.weak-password-hash", lang: "javascript", match: true, code: `function hashPassword(password) {
  return crypto.createHash("md5").update(password).digest("hex");
}`},
	{rule: "js.weak-password-hash", lang: "javascript", code: `const etag = crypto.createHash("md5").update(body).digest("hex");`},
	{rule: "js.weak-password-hash", lang: "javascript", code: `const h = crypto.createHash("sha256").update(password + salt).digest("hex");`},

	// js.weak-cipher
	{rule: "js.weak-cipher", lang: "javascript", match: true, code: `const cipher = crypto.createCipheriv("des-ede3", key, iv);`},
	{rule: "js.weak-cipher", lang: "javascript", match: true, code: `const cipher = crypto.createCipher("aes-256-cbc", password);`},
	{rule: "js.weak-cipher", lang: "javascript", match: true, code: `const enc = CryptoJS.AES.encrypt(msg, key, { mode: CryptoJS.mode.ECB });`},
	{rule: "js.weak-cipher", lang: "javascript", code: `const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);`},

	// js.insecure-random
	{rule: "js.insecure-random", lang: "javascript", match: true, code: `const token = Math.random().toString(36).slice(2);`},
	{rule: "js.insecure-random", lang: "javascript", code: `const x = Math.floor(Math.random() * width);`},
	{rule: "js.insecure-random", lang: "javascript", code: `const token = crypto.randomBytes(32).toString("hex");`},

	// js.tls-verify-disabled
	{rule: "js.tls-verify-disabled", lang: "javascript", match: true, code: `https.get(url, { rejectUnauthorized: false }, cb);`},
	{rule: "js.tls-verify-disabled", lang: "javascript", match: true, code: `process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";`},
	{rule: "js.tls-verify-disabled", lang: "javascript", code: `https.get(url, { rejectUnauthorized: true, ca }, cb);`},

	// js.path-traversal
	{rule: "js.path-traversal", lang: "javascript", match: true, code: `app.get("/download", (req, res) => {
  res.sendFile(path.join("/srv/files", req.query.file));
});`},
	{rule: "js.path-traversal", lang: "javascript", match: true, code: `app.get("/f/:name", (req, res) => {
  fs.readFile(` + bq + `./uploads/${req.params.name}` + bq + `, (err, data) => res.send(data));
});`},
	{rule: "js.path-traversal", lang: "javascript", match: true, code: `app.get("/f", (req, res) => {
  const fileName = req.query.name;
  fs.createReadStream(path.join(__dirname, "files", fileName)).pipe(res);
});`},
	{rule: "js.path-traversal", lang: "javascript", code: `app.get("/download", (req, res) => {
  const base = "/srv/files";
  const target = path.resolve(base, String(req.query.file));
  if (!target.startsWith(base + path.sep)) return res.sendStatus(400);
  res.sendFile(target);
});`},
	{rule: "js.path-traversal", lang: "javascript", code: `app.get("/", (req, res) => res.sendFile(path.join(__dirname, "public", "index.html")));`},

	// go.sql-injection
	{rule: "go.sql-injection", lang: "go", match: true, line: 2, code: `func findUser(db *sql.DB, name string) (*sql.Rows, error) {
	query := fmt.Sprintf("SELECT id FROM users WHERE name = '%s'", name)
	return db.Query(query)
}`},
	{rule: "go.sql-injection", lang: "go", match: true, code: `rows, err := db.QueryContext(ctx, fmt.Sprintf("SELECT * FROM %s WHERE id = %v", table, id))`},
	{rule: "go.sql-injection", lang: "golang", match: true, code: `_, err := db.Exec("DELETE FROM users WHERE name = '" + name + "'")`},
	{rule: "go.sql-injection", lang: "go", code: `rows, err := db.Query("SELECT id FROM users WHERE name = $1", name)`},
	{rule: "go.sql-injection", lang: "go", code: `rows, err := db.Query(fmt.Sprintf("SELECT id FROM users LIMIT %d", limit))`},
	{rule: "go.sql-injection", lang: "go", code: `resp, err := http.Get(fmt.Sprintf("https://api.example.com/users/%s", id))`},

	// go.command-injection
	{rule: "go.command-injection", lang: "go", match: true, code: `out, err := exec.Command("sh", "-c", "ping -c 1 "+host).CombinedOutput()`},
	{rule: "go.command-injection", lang: "go", match: true, code: `cmd := exec.CommandContext(ctx, "/bin/bash", "-c", fmt.Sprintf("tar czf %s %s", out, dir))`},
	{rule: "go.command-injection", lang: "go", match: true, code: `cmd := exec.Command("bash", "-c", script)`},
	{rule: "go.command-injection", lang: "go", code: `out, err := exec.Command("ping", "-c", "1", "--", host).CombinedOutput()`},
	{rule: "go.command-injection", lang: "go", code: `out, err := exec.Command("sh", "-c", "ls -l | wc -l").Output()`},

	// go.weak-password-hash
	{rule: "go.weak-password-hash", lang: "go", match: true, code: `func hashPassword(password string) string {
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}`},
	{rule: "go.weak-password-hash", lang: "go", code: `func etag(body []byte) string {
	sum := md5.Sum(body)
	return hex.EncodeToString(sum[:])
}`},

	// go.weak-cipher
	{rule: "go.weak-cipher", lang: "go", match: true, code: `block, err := des.NewTripleDESCipher(key)`},
	{rule: "go.weak-cipher", lang: "go", match: true, code: `c, err := rc4.NewCipher(key)`},
	{rule: "go.weak-cipher", lang: "go", code: `block, err := aes.NewCipher(key)`},

	// go.insecure-random
	{rule: "go.insecure-random", lang: "go", match: true, code: `import "math/rand"

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}`},
	{rule: "go.insecure-random", lang: "go", code: `import "crypto/rand"

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}`},
	{rule: "go.insecure-random", lang: "go", code: `import "math/rand"

func shuffle(deck []Card) {
	rand.Shuffle(len(deck), func(i, j int) { deck[i], deck[j] = deck[j], deck[i] })
	n := rand.Intn(len(deck))
	_ = n
}`},

	// go.tls-verify-disabled
	{rule: "go.tls-verify-disabled", lang: "go", match: true, code: `client := &http.Client{Transport: &http.Transport{
	TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
}}`},
	{rule: "go.tls-verify-disabled", lang: "go", match: true, code: `tr.TLSClientConfig.InsecureSkipVerify = true`},
	{rule: "go.tls-verify-disabled", lang: "go", code: `cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: false}`},

	// go.path-traversal
	{rule: "go.path-traversal", lang: "go", match: true, code: `func download(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	http.ServeFile(w, r, filepath.Join("/srv/files", name))
}`},
	{rule: "go.path-traversal", lang: "go", match: true, code: `func read(w http.ResponseWriter, r *http.Request) {
	data, err := os.ReadFile("./data/" + r.FormValue("name"))
	if err != nil {
		return
	}
	w.Write(data)
}`},
	{rule: "go.path-traversal", lang: "go", code: `func download(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	if !filepath.IsLocal(name) {
		http.Error(w, "bad file name", http.StatusBadRequest)
		return
	}
	http.ServeFile(w, r, filepath.Join("/srv/files", name))
}`},
	{rule: "go.path-traversal", lang: "go", code: `func load(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(configDir, name))
}`},

	// c.command-injection
	{rule: "c.command-injection", lang: "c", match: true, line: 4, code: `int ping(const char *host) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ping -c 1 %s", host);
    return system(cmd);
}`},
	{rule: "c.command-injection", lang: "c", match: true, code: `FILE *p = popen(argv[1] ? buf : "ls", "r");
strcat(buf, argv[1]);
FILE *q = popen(buf, "r");`},
	{rule: "c.command-injection", lang: "c", match: true, code: `execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);`},
	{rule: "c.command-injection", lang: "c", code: `system("clear");`},
	{rule: "c.command-injection", lang: "c", code: `execlp("ping", "ping", "-c", "1", "--", host, (char *)NULL);`},

	// c.sql-injection
	{rule: "c.sql-injection", lang: "c", match: true, code: `char sql[256];
sprintf(sql, "SELECT id FROM users WHERE name = '%s'", name);
sqlite3_exec(db, sql, cb, NULL, NULL);`},
	{rule: "c.sql-injection", lang: "c", match: true, code: `snprintf(q, sizeof q, "DELETE FROM t WHERE k = '%s'", key);
mysql_query(conn, q);`},
	{rule: "c.sql-injection", lang: "c", code: `sqlite3_prepare_v2(db, "SELECT id FROM users WHERE name = ?", -1, &stmt, NULL);
sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);`},
	{rule: "c.sql-injection", lang: "c", code: `snprintf(q, sizeof q, "SELECT id FROM t LIMIT %d", n);
sqlite3_exec(db, q, cb, NULL, NULL);`},

	// c.dangerous-gets
	{rule: "c.dangerous-gets", lang: "c", match: true, code: `char name[32];
gets(name);`},
	{rule: "c.dangerous-gets", lang: "c", code: `char name[32];
if (fgets(name, sizeof name, stdin) == NULL) return;`},

	// c.buffer-overflow
	{rule: "c.buffer-overflow", lang: "c", match: true, line: 3, code: `void greet(const char *name) {
    char greeting[64];
    strcpy(greeting, "Hello, ");
    strcat(greeting, name);
}`},
	{rule: "c.buffer-overflow", lang: "cpp", match: true, code: `char path[PATH_MAX], name[32];
sprintf(name, "%s.txt", user);`},
	{rule: "c.buffer-overflow", lang: "c", match: true, code: `char word[16];
scanf("%s", word);`},
	{rule: "c.buffer-overflow", lang: "c", code: `char greeting[64];
strncpy(greeting, "Hello, ", sizeof greeting - 1);
snprintf(greeting, sizeof greeting, "Hello, %s", name);`},
	{rule: "c.buffer-overflow", lang: "c", code: `char *copy = malloc(strlen(s) + 1);
strcpy(copy, s);`},
	{rule: "c.buffer-overflow", lang: "c", code: `char word[16];
scanf("%15s", word);`},

	// c.format-string
	{rule: "c.format-string", lang: "c", match: true, code: `printf(user_input);`},
	{rule: "c.format-string", lang: "c", match: true, code: `fprintf(stderr, msg);`},
	{rule: "c.format-string", lang: "c", match: true, code: `syslog(LOG_INFO, req->body);`},
	{rule: "c.format-string", lang: "c", code: `printf("%s\n", user_input);`},
	{rule: "c.format-string", lang: "c", code: `printf("hello\n");`},
	{rule: "c.format-string", lang: "c", code: `printf(_("Usage: %s\n"), prog);`},

	// c.tls-verify-disabled
	{rule: "c.tls-verify-disabled", lang: "c", match: true, code: `curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);`},
	{rule: "c.tls-verify-disabled", lang: "c", match: true, code: `SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);`},
	{rule: "c.tls-verify-disabled", lang: "c", code: `curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);`},

	// c.insecure-random
	{rule: "c.insecure-random", lang: "c", match: true, code: `for (int i = 0; i < 32; i++)
    session_token[i] = charset[rand() % 62];`},
	{rule: "c.insecure-random", lang: "c", code: `int roll = rand() % 6 + 1;`},

	// sql.grant-all-public
	{rule: "sql.grant-all-public", lang: "sql", match: true, code: `GRANT ALL PRIVILEGES ON DATABASE app TO PUBLIC;`},
	{rule: "sql.grant-all-public", lang: "sql", match: true, code: `grant all on table orders
  to public;`},
	{rule: "sql.grant-all-public", lang: "sql", code: `GRANT SELECT ON orders TO reporting;`},
	{rule: "sql.grant-all-public", lang: "sql", code: `REVOKE ALL ON SCHEMA public FROM PUBLIC;`},

	// sql.dynamic-exec
	{rule: "sql.dynamic-exec", lang: "sql", match: true, line: 4, code: `CREATE PROCEDURE FindUser @name NVARCHAR(100)
AS
BEGIN
    DECLARE @sql NVARCHAR(400) = 'SELECT id FROM users WHERE name = ''' + @name + '''';
    EXEC(@sql);
END`},
	{rule: "sql.dynamic-exec", lang: "tsql", match: true, code: `EXEC('SELECT * FROM ' + @table);`},
	{rule: "sql.dynamic-exec", lang: "plpgsql", match: true, code: `EXECUTE 'SELECT count(*) FROM users WHERE name = ''' || name || '''' INTO n;`},
	{rule: "sql.dynamic-exec", lang: "plpgsql", match: true, code: `EXECUTE format('SELECT * FROM users WHERE name = ''%s''', name);`},
	{rule: "sql.dynamic-exec", lang: "sql", code: `EXEC sp_executesql N'SELECT id FROM users WHERE name = @name', N'@name nvarchar(100)', @name = @name;`},
	{rule: "sql.dynamic-exec", lang: "plpgsql", code: `EXECUTE format('SELECT * FROM %I WHERE id = $1', tbl) USING id;`},
	{rule: "sql.dynamic-exec", lang: "plpgsql", code: `EXECUTE 'SELECT count(*) FROM ' || quote_ident(tbl) INTO n;`},

	// secret.aws-access-key
	{rule: "secret.aws-access-key", lang: "python", match: true, code: `s3 = boto3.client("s3", aws_access_key_id="AKIAZ7QW2XJ4KD5RTYUB")`},
	{rule: "secret.aws-access-key", lang: "bash", match: true, code: `export AWS_ACCESS_KEY_ID=AKIAZ7QW2XJ4KD5RTYUB`},
	{rule: "secret.aws-access-key", lang: "python", code: `s3 = boto3.client("s3", aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"])`},
	{rule: "secret.aws-access-key", lang: "python", code: `key = "AKIAIOSFODNN7EXAMPLE"  # AWS's documentation example`},

	// secret.private-key
	{rule: "secret.private-key", lang: "python", match: true, code: `KEY = """-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAuWZ2n1qvGr8bY3v0fA9k6X4cWzY3JdH5mQp7R2sT8uVwXyZaBcDe
-----END RSA PRIVATE KEY-----"""`},
	{rule: "secret.private-key", lang: "javascript", match: true, code: `const key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";`},
	{rule: "secret.private-key", lang: "text", code: `-----BEGIN RSA PRIVATE KEY-----
...
-----END RSA PRIVATE KEY-----`},
	{rule: "secret.private-key", lang: "python", code: `if pem.startswith("-----BEGIN PRIVATE KEY-----"):
    load(pem)`},
	{rule: "secret.private-key", lang: "text", code: `-----BEGIN CERTIFICATE-----
MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTES
-----END CERTIFICATE-----`},

	// secret.hardcoded-credential
	{rule: "secret.hardcoded-credential", lang: "python", match: true, code: `conn = psycopg2.connect(host="db", user="admin", password="Sup3rS3cret!")`},
	{rule: "secret.hardcoded-credential", lang: "javascript", match: true, code: `const pool = new Pool({ user: "admin", password: "Sup3rS3cret!" });`},
	{rule: "secret.hardcoded-credential", lang: "go", match: true, code: `const dbPassword = "Sup3rS3cret!"`},
	{rule: "secret.hardcoded-credential", lang: "python", match: true, code: `API_KEY = "sk-live-4f9a8b7c6d5e3f2a"`},
	{rule: "secret.hardcoded-credential", lang: "python", match: true, code: `if password == "admin123":
    login()`},
	{rule: "secret.hardcoded-credential", lang: "python", code: `password = os.environ["DB_PASSWORD"]`},
	{rule: "secret.hardcoded-credential", lang: "python", code: `api_key = "YOUR_API_KEY"`},
	{rule: "secret.hardcoded-credential", lang: "python", code: `password_field = "password"`},
	{rule: "secret.hardcoded-credential", lang: "javascript", code: `const secret = process.env.JWT_SECRET;`},
	{rule: "secret.hardcoded-credential", lang: "python", code: `password = getpass("Password: ")`},
	{rule: "secret.hardcoded-credential", lang: "yaml", code: `db_password: "${DB_PASSWORD}"`},
	{rule: "secret.hardcoded-credential", lang: "python", code: `# password = "hunter22" in the examples; read it from the environment instead`},
}

func TestRules(t *testing.T) {
	for i, c := range ruleCases {
		kind := "negative"
		if c.match {
			kind = "positive"
		}
		t.Run(fmt.Sprintf("%s/%s/%d", c.rule, kind, i), func(t *testing.T) {
			text := "Here you go:\n\n```" + c.lang + "\n" + c.code + "\n```\n"
			ms := Scan(text, nil)
			var got *Match
			for k := range ms {
				if ms[k].Rule.ID == c.rule {
					got = &ms[k]
					break
				}
			}
			switch {
			case c.match && got == nil:
				t.Errorf("%s did not match; matches: %v\n%s", c.rule, ids(ms), c.code)
			case !c.match && got != nil:
				t.Errorf("%s matched line %d %q\n%s", c.rule, got.Line, got.Snippet, c.code)
			case c.match && c.line > 0 && got.Line != c.line:
				t.Errorf("%s matched line %d %q, want line %d", c.rule, got.Line, got.Snippet, c.line)
			}
		})
	}
}

// TestEveryRuleIsTested checks that every rule has at least one positive
// and one negative case, and that every case names a rule.
func TestEveryRuleIsTested(t *testing.T) {
	pos, neg := map[string]int{}, map[string]int{}
	for _, c := range ruleCases {
		if c.match {
			pos[c.rule]++
		} else {
			neg[c.rule]++
		}
	}
	known := map[string]bool{}
	for _, r := range Rules() {
		known[r.ID] = true
		if pos[r.ID] == 0 {
			t.Errorf("rule %s has no positive case", r.ID)
		}
		if neg[r.ID] == 0 {
			t.Errorf("rule %s has no negative case", r.ID)
		}
	}
	for _, c := range ruleCases {
		if !known[c.rule] {
			t.Errorf("case for unknown rule %s", c.rule)
		}
	}
}

func TestRuleSet(t *testing.T) {
	rs := Rules()
	if len(rs) < 18 {
		t.Errorf("%d rules, want at least 18", len(rs))
	}
	id := regexp.MustCompile(`^(?:py|js|go|c|sql|secret)\.[a-z0-9-]+$`)
	cwe := regexp.MustCompile(`^CWE-[1-9][0-9]*$`)
	seen := map[string]bool{}
	perLang := map[string]int{}
	for _, r := range rs {
		if !id.MatchString(r.ID) || seen[r.ID] {
			t.Errorf("rule ID %q is malformed or repeated", r.ID)
		}
		seen[r.ID] = true
		if !cwe.MatchString(r.CWE) {
			t.Errorf("%s: CWE %q", r.ID, r.CWE)
		}
		if r.Title == "" || len(r.ms) == 0 {
			t.Errorf("%s: no title or no matcher", r.ID)
		}
		if r.Language != Any && !slices.Contains(Languages(), r.Language) {
			t.Errorf("%s: language %q", r.ID, r.Language)
		}
		perLang[r.Language]++
	}
	for _, l := range Languages() {
		if perLang[l] == 0 {
			t.Errorf("no rule for %s", l)
		}
	}
}

func TestScanLanguages(t *testing.T) {
	text := "```python\nos.system(\"rm -rf \" + path)\n```\n\n```go\nc := &tls.Config{InsecureSkipVerify: true}\n```\n" +
		"```python\npassword = \"Sup3rS3cret!\"\n```\n"
	tests := []struct {
		languages []string
		want      []string
	}{
		{nil, []string{"py.command-injection", "go.tls-verify-disabled", "secret.hardcoded-credential"}},
		{[]string{"go"}, []string{"go.tls-verify-disabled"}},
		{[]string{"py"}, []string{"py.command-injection", "secret.hardcoded-credential"}},
		{[]string{"sql"}, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.languages, ","), func(t *testing.T) {
			if got := ids(Scan(text, tt.languages)); !slices.Equal(got, tt.want) {
				t.Errorf("Scan(%v) = %v, want %v", tt.languages, got, tt.want)
			}
		})
	}
}

func TestMatchFields(t *testing.T) {
	text := "Sure:\n```c\n#include <stdio.h>\nint main(void) {\n    char buf[8];\n    gets(buf);\n}\n```\nAnd:\n```js\nx = eval(input)\n```"
	ms := Scan(text, nil)
	want := []Match{
		{Block: 0, Line: 4, Snippet: "gets(buf);"},
		{Block: 1, Line: 1, Snippet: "x = eval(input)"},
	}
	if len(ms) != len(want) {
		t.Fatalf("Scan = %v, want %d matches", ids(ms), len(want))
	}
	for i, w := range want {
		if ms[i].Block != w.Block || ms[i].Line != w.Line || ms[i].Snippet != w.Snippet {
			t.Errorf("match %d = block %d line %d %q, want block %d line %d %q", i, ms[i].Block, ms[i].Line, ms[i].Snippet, w.Block, w.Line, w.Snippet)
		}
	}
	if ms[0].Rule.ID != "c.dangerous-gets" || ms[0].Rule.CWE != "CWE-242" || ms[1].Rule.ID != "js.code-injection" {
		t.Errorf("rules = %v", ids(ms))
	}
	long := "```python\nos.system(\"" + strings.Repeat("é", 200) + "\" + x)\n```"
	if ms := Scan(long, nil); len(ms) != 1 || len(ms[0].Snippet) > maxSnippet+len("…") || !strings.HasSuffix(ms[0].Snippet, "…") {
		t.Errorf("long line: %+v", ms)
	}
}

func ids(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Rule.ID)
	}
	return out
}
