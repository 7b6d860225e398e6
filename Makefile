# RASP — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GO          ?= go
PORT        ?= 8080
FUNCTIONS   := start answers score compare web reminders
DDB_VERSION := 2.9.30
DDB_DIR     := .cache/dynamodb-local
DDB_JAR     := $(DDB_DIR)/DynamoDBLocal.jar
BUILD_DIR   := build
export DYNAMODB_LOCAL_DIR := $(CURDIR)/$(DDB_DIR)
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# DynamoDB Local: the real engine, shipped inside an npm package. Unpacked
# once into an ignored cache folder and reused.
$(DDB_JAR):
	@mkdir -p .cache
	cd .cache && npm pack --silent amplify-dynamodb-simulator@$(DDB_VERSION) >/dev/null
	cd .cache && rm -rf package && tar xzf amplify-dynamodb-simulator-$(DDB_VERSION).tgz package/emulator
	rm -rf $(DDB_DIR) && mv .cache/package/emulator $(DDB_DIR) && rm -rf .cache/package .cache/amplify-dynamodb-simulator-$(DDB_VERSION).tgz
	@test -f $(DDB_JAR)

.PHONY: dynamodb-local
dynamodb-local: $(DDB_JAR) ## Fetch and unpack DynamoDB Local (once)

# AWS's Lambda Runtime Interface Emulator, built from the Go module proxy at
# a pinned pseudo-version (tagged versions are not served): the smoke test in
# `make test` and the cold-start bench run every bootstrap under it.
RIE_VERSION := v0.0.0-20261030222936-bef5c4ba774d
RIE         := .cache/bin/aws-lambda-rie
$(RIE):
	@mkdir -p $(@D)
	GOBIN=$(CURDIR)/$(@D) $(GO) install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$(RIE_VERSION)

.PHONY: rie
rie: $(RIE) ## Install the Lambda Runtime Interface Emulator into .cache/bin (once)

.PHONY: deps
deps: $(DDB_JAR) $(RIE) ## Download Go modules, DynamoDB Local and the Lambda Runtime Interface Emulator
	$(GO) mod download

# The web front end: GOV.UK Frontend compiled with Sass (pinned in
# package-lock.json) into one stylesheet that the web function embeds with
# go:embed, so it must exist before anything is compiled. Rebuilt only when
# a source or the lock file is newer.
FRONTEND := shared/web/frontend
CSS_OUT  := shared/web/static/dist/app.css
SASS     := $(FRONTEND)/node_modules/.bin/sass

$(FRONTEND)/node_modules/.package-lock.json: $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	npm ci --prefix $(FRONTEND) --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

$(CSS_OUT): $(wildcard $(FRONTEND)/*.scss) $(FRONTEND)/node_modules/.package-lock.json
	@mkdir -p $(@D)
	$(SASS) --no-source-map --style=compressed --load-path=$(FRONTEND)/node_modules $(FRONTEND)/app.scss $@

.PHONY: css
css: $(CSS_OUT) ## Compile the web stylesheet (npm ci + Sass, only when sources changed)

# Spectral (pinned in tools/spectral/package-lock.json) lints the served
# OpenAPI document in make test (shared/openapi/lint_test.go).
SPECTRAL := tools/spectral/node_modules/.bin/spectral
$(SPECTRAL): tools/spectral/package.json tools/spectral/package-lock.json
	npm ci --prefix tools/spectral --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: spectral
spectral: $(SPECTRAL) ## Install the pinned Spectral CLI (once) that lints the OpenAPI document

.PHONY: run
run: deps css ## Run the whole service on http://127.0.0.1:$(PORT) with DynamoDB Local (data in .data/)
	$(GO) build -o $(BUILD_DIR)/local ./functions/local
	PORT=$(PORT) ./$(BUILD_DIR)/local

.PHONY: remind
remind: deps css ## Run the reminders job once on the local data; mail lands in .data/outbox (NOW=2026-12-01T09:00:00Z pretends)
	$(GO) build -o $(BUILD_DIR)/local ./functions/local
	PORT=$(PORT) ./$(BUILD_DIR)/local -remind $(if $(NOW),-now $(NOW))

.PHONY: reerase
reerase: ## After a point-in-time restore: RESTORED=<table> FROM=<table> SINCE=<RFC 3339> [AWS=1] (docs/operations.md)
	$(GO) build -o $(BUILD_DIR)/local ./functions/local
	./$(BUILD_DIR)/local -reerase -table "$(RESTORED)" -log-table "$(FROM)" -since "$(SINCE)" $(if $(AWS),-aws)

.PHONY: migrate
migrate: deps ## Seats for partnerships from before seats and due entries for retention: a dry run lists them; APPLY=1 writes them (local data)
	$(GO) build -o $(BUILD_DIR)/local ./functions/local
	PORT=$(PORT) ./$(BUILD_DIR)/local -migrate $(if $(APPLY),-apply)

.PHONY: test
test: deps css $(SPECTRAL) ## go vet, unit and integration tests (DynamoDB Local started by the tests), with -race
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	@test -z "$$(gofmt -l functions shared infra questions bench)" || { gofmt -l functions shared infra questions bench; echo "gofmt needed"; exit 1; }
	@$(MAKE) --no-print-directory test-tiers

# The tests in three tiers, each timed (wall and CPU): unit (no server),
# integration (DynamoDB Local, the Lambda Runtime Interface Emulator, the CDK
# synth) and browser (Chromium). A package is in the tier of what its tests
# import; every package of ./... is in exactly one.
TEST_LIST := $(GO) list -f '{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./...
.PHONY: test-tiers
test-tiers:
	@list=$$($(TEST_LIST)) || exit 1; \
	browser=$$(echo "$$list" | awk '/chromedp/ {print $$1}'); \
	integration=$$(echo "$$list" | awk '!/chromedp/ && (/shared\/ddblocal/ || $$1 ~ /\/(infra|bench)$$/) {print $$1}'); \
	unit=$$(echo "$$list" | awk '!/chromedp/ && !/shared\/ddblocal/ && $$1 !~ /\/(infra|bench)$$/ {print $$1}'); \
	status=0; report=""; times=$$(mktemp); begin=$$(date +%s.%N); \
	for tier in unit integration browser; do \
		pkgs=$${!tier}; [ -n "$$pkgs" ] || continue; \
		echo "== $$tier tests ($$(echo $$pkgs | wc -w) packages)"; \
		/usr/bin/time -f '%e %U %S' -o $$times $(GO) test -race -count=1 -timeout 20m $$pkgs || status=1; \
		read wall user sys < <(tail -1 $$times); \
		report="$$report$$(printf '%-12s wall %7.1f s   CPU %7.1f s' $$tier $$wall $$(echo "$$user + $$sys" | bc))\n"; \
	done; rm -f $$times; \
	echo; echo "make test, per tier:"; printf "$$report"; \
	printf '%-12s wall %7.1f s\n' total $$(echo "$$(date +%s.%N) - $$begin" | bc); \
	exit $$status

# The translator's check: both catalogues (shared/locale/catalogue/en.json and
# cy.json) have the same keys, placeholders and plural forms, and every key the
# pages ask for exists. Needs only Go; part of make test.
.PHONY: catalogues
catalogues: ## Check the English and Welsh message catalogues agree (for translators)
	$(GO) test -count=1 -run 'TestEmbeddedCatalogues|TestEveryKeyUsedExists' ./shared/locale

# Mutants: each patch in testdata/mutants breaks one rule the tests claim to
# guard; the package's tests must fail with it applied. name:package.
MUTANTS := submit-revision:./shared/dynamo submit-abort:./shared/dynamo csv-guard:./shared/csv empty-round:./shared/partnership deadline-submitted:./shared/reminders welsh-missing-key:./shared/locale

.PHONY: mutants
mutants: deps ## Apply each committed mutant patch and check the tests kill it (then gremlins on the pure packages)
	@for m in $(MUTANTS); do name=$${m%%:*}; pkg=$${m#*:}; \
		git apply testdata/mutants/$$name.patch || exit 1; \
		if $(GO) test -count=1 $$pkg >/dev/null 2>&1; then status=SURVIVED; else status=killed; fi; \
		git apply -R testdata/mutants/$$name.patch || exit 1; \
		printf 'mutant %-16s %-22s %s\n' $$name $$pkg $$status; \
		test $$status = killed || exit 1; \
	done
	$(GO) tool gremlins unleash $(GREMLINS_FLAGS) ./shared/scoring
	$(GO) tool gremlins unleash $(GREMLINS_FLAGS) ./shared/partnership

# One worker: each mutant builds the package, and parallel builds on a small
# shared machine only slow each other. Timeout coefficient 10: a mutant's tests
# may take ten times the coverage run before gremlins calls it TIMED OUT, so a
# busy machine is not mistaken for a mutant that loops (docs/design.md,
# "Mutation testing", has the counts these flags gave).
GREMLINS_FLAGS := --tags '' --workers 1 --timeout-coefficient 10

# Every zip must stay within 5 MB (issue 22, docs/performance.md): make build
# fails when one grows past it. advzip (Debian: advancecomp) recompresses each
# zip with 7-Zip's deflate encoder: still plain deflate, which Lambda unzips,
# about 4 % smaller than zip -9 (5,031,544 → 4,828,225 bytes for web).
ZIP_LIMIT ?= 5000000

.PHONY: build
build: css ## Build arm64 bootstrap zips for every Lambda into build/ (fails if one is over 5 MB)
	@command -v advzip >/dev/null || { echo "make build needs advzip: apt-get install advancecomp (.ci/run installs it)"; exit 1; }
	@mkdir -p $(BUILD_DIR)
	@for fn in $(FUNCTIONS); do \
		rm -rf $(BUILD_DIR)/$$fn && mkdir -p $(BUILD_DIR)/$$fn && \
		GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -buildvcs=false -ldflags='-s -w' \
			-o $(BUILD_DIR)/$$fn/bootstrap ./functions/$$fn || exit 1; \
		rm -f $(BUILD_DIR)/$$fn.zip && (cd $(BUILD_DIR)/$$fn && zip -q -9 -X ../$$fn.zip bootstrap) && \
			advzip -z -3 -q $(BUILD_DIR)/$$fn.zip || exit 1; \
	done
	@over=0; for fn in $(FUNCTIONS); do size=$$(stat -c %s $(BUILD_DIR)/$$fn.zip); \
		printf '%-10s %8d bytes zipped (%.2f MB)\n' $$fn $$size $$(echo "$$size/1000000" | bc -l); \
		if [ $$size -gt $(ZIP_LIMIT) ]; then echo "$$fn.zip is over the $(ZIP_LIMIT)-byte limit (docs/performance.md)"; over=1; fi; \
	done; exit $$over

# Not part of `make test`: timings are noisy on a shared machine, and the
# ratios within one run are what count (docs/performance.md).
.PHONY: bench
bench: deps build ## Benchmarks on DynamoDB Local: overhead, capacity, cost, cold start, scale, load → bench/results.json
	env -u AWS_CA_BUNDLE $(GO) run ./bench

# The recorded run: bench/recorded.json is committed and the tables of
# docs/performance.md are rendered from it (the prose around them is written
# by hand); a test checks that the two agree.
.PHONY: bench-record
bench-record: deps build ## make bench, keep the run as bench/recorded.json and render its tables into docs/performance.md
	env -u AWS_CA_BUNDLE $(GO) run ./bench -out bench/recorded.json
	$(GO) run ./bench -docs bench/recorded.json

.PHONY: screenshots
screenshots: deps css ## PNGs of start, area, report, comparison at 1280 and 375 px (and the report on A4) into screenshots/
	RASP_SCREENSHOTS=1 $(GO) test -count=1 -run '^TestScreenshots$$' ./shared/web/

FUZZTIME ?= 30s
.PHONY: fuzz
fuzz: ## Run each request-decoder fuzz target for $(FUZZTIME)
	$(GO) test ./shared/httpapi -run '^$$' -fuzz '^FuzzDecodeStartAssessment$$' -fuzztime $(FUZZTIME)
	$(GO) test ./shared/httpapi -run '^$$' -fuzz '^FuzzDecodeSaveAnswers$$' -fuzztime $(FUZZTIME)
	$(GO) test ./shared/httpapi -run '^$$' -fuzz '^FuzzDecodeCreatePartnership$$' -fuzztime $(FUZZTIME)

.PHONY: clean
clean: ## Remove build output (keeps .data and the DynamoDB Local cache)
	rm -rf $(BUILD_DIR) cdk.out infra/cdk.out

CDK ?= npx --yes aws-cdk@2.1148.1

.PHONY: synth
synth: ## Synthesize the CDK stack into infra/cdk.out and check it with cdk-nag (no AWS account needed)
	cd infra && JSII_DEPRECATED=quiet RASP_MAIL_FROM="$${RASP_MAIL_FROM:-RASP <rasp@example.gov.uk>}" $(CDK) synth --quiet

.PHONY: deploy
deploy: build ## Build the Lambda zips, then deploy the stack (needs AWS credentials and RASP_MAIL_FROM)
	@test -n "$$RASP_MAIL_FROM" || { echo "RASP_MAIL_FROM must be an SES-verified sender, e.g. 'RASP <rasp@example.gov.uk>'"; exit 1; }
	cd infra && JSII_DEPRECATED=quiet $(CDK) deploy --all

.PHONY: destroy
destroy: ## Remove the stack (the DynamoDB table is retained; see README)
	cd infra && $(CDK) destroy --all
