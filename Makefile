.PHONY: help build test ci bench fuzz

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

build: ## build the static binary into ./bin/aicc
	CGO_ENABLED=0 go build -trimpath -o bin/aicc ./cmd/aicc

test: ## run the tests (the README's test command)
	go test ./...

ci: ## what CI runs: gofmt, go vet, go test
	bash .ci/run

bench: ## the engine benchmarks behind docs/benchmarks.md
	go test -run '^$$' -bench . -benchtime 1x ./internal/scan/

FUZZ_TARGETS = \
	internal/protocol:FuzzParse internal/target:FuzzOpenAIResponse internal/target:FuzzSSE \
	internal/target:FuzzAnthropicResponse internal/target:FuzzHTTPJSONResponse \
	internal/detect:FuzzCanary internal/detect:FuzzToolPolicy internal/detect:FuzzRefusal \
	internal/detect:FuzzNamedPackages internal/detect/coderule:FuzzCodeScan \
	internal/judge:FuzzParseDecision internal/coverage:FuzzParse internal/keyring:FuzzOpen \
	internal/keyring:FuzzParse internal/audit:FuzzParseCheckpoint internal/audit:FuzzVerifyDetectsMutation \
	internal/audit:FuzzCanonicalDetail internal/webhook:FuzzVerify internal/webhook:FuzzParseRetryAfter \
	internal/review:FuzzTransitions internal/authz:FuzzCheck internal/api:FuzzDecode \
	internal/taxii:FuzzValidObject internal/taxii:FuzzParseCursor internal/taxii:FuzzQuery \
	internal/advisory/csaf/check:FuzzValidate internal/advisory/csaf/provider:FuzzFilename

fuzz: ## fuzz each parser of outside input for FUZZTIME (default 20s) each
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; echo "== $$pkg $$fn"; \
		go test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $${FUZZTIME:-20s} -fuzzminimizetime 2s ./$$pkg/ || exit 1; \
	done
