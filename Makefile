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

fuzz: ## fuzz each parser of outside input for 30s
	go test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./internal/protocol/
	go test -run '^$$' -fuzz FuzzOpenAIResponse -fuzztime 30s ./internal/target/
	go test -run '^$$' -fuzz FuzzSSE -fuzztime 30s ./internal/target/
