# Pishkhan's everyday commands. `make help` lists them.
.DEFAULT_GOAL := help
GO ?= go

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: run
run: ## start Pishkhan with the embedded store and the demo forms on :8080
	$(GO) run ./cmd/pishkhan --demo

.PHONY: test
test: ## run every test against the embedded store (PISHKHAN_TEST_MONGODB_URI selects a MongoDB)
	$(GO) test ./...

.PHONY: check
check: ## gofmt, go vet and the tests, as CI runs them
	bash .ci/run

.PHONY: fuzz
fuzz: ## fuzz the four targets, 1,000,000 executions each (FUZZN=10000000x for longer; docs/testing.md)
	$(GO) test -run '^$$' -fuzz FuzzValidate -fuzztime $(or $(FUZZN),1000000x) -fuzzminimizetime 1000x ./forms/
	$(GO) test -run '^$$' -fuzz FuzzCompileEval -fuzztime $(or $(FUZZN),1000000x) -fuzzminimizetime 1000x ./rules/
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime $(or $(FUZZN),1000000x) -fuzzminimizetime 1000x ./email/
	$(GO) test -run '^$$' -fuzz FuzzCompileWorkflow -fuzztime $(or $(FUZZN),1000000x) -fuzzminimizetime 500x ./engine/workflowfuzz/

.PHONY: peers
peers: ## Pishkhan against Form.io and bpmn-engine (installs them under bench/peers/.work; docs/benchmarks.md)
	bash bench/peers/submissions.sh
	bash bench/peers/lifecycles.sh

.PHONY: bench
bench: ## the benchmarks recorded in docs/benchmarks.md
	$(GO) test -run '^$$' -bench Validate -benchmem ./forms/
	$(GO) test -run '^$$' -bench Submit -benchtime 3000x ./cmd/pishkhan/
	$(GO) test -run '^$$' -bench StoreCost -benchtime 200x ./engine/mongostore/
	$(GO) test -run '^$$' -bench Lifecycle -benchtime 40x ./engine/
	$(GO) test -run '^$$' -bench IdlePolls -benchtime 5x ./engine/
	$(GO) test -run '^$$' -bench LifecycleHTTP -benchtime 200x ./cmd/pishkhan/
	$(GO) test -run '^$$' -bench KPIs -benchtime 10x -timeout 3h ./engine/mongostore/

.PHONY: build
build: ## build the pishkhan binary into ./bin
	$(GO) build -o bin/pishkhan ./cmd/pishkhan

.PHONY: ui
ui: ## build the web app into ui/dist (commit the result; docs/ui.md)
	cd ui && npm ci && npm run build

.PHONY: ui-test
ui-test: ## the web app's unit tests (Vitest) and end-to-end tests in chromium and firefox-esr
	cd ui && npm test && npm run e2e
