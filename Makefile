# ks-doctor — `make demo` and `make test` are the two commands a new machine needs.
GO        ?= go
VERSION   ?= $(shell sed -n 's/^var Version = "\(.*\)"/\1/p' commands/root.go)
LDFLAGS   := -s -w -X github.com/ks-doctor/ks-doctor/commands.Version=$(VERSION)
STATICCHECK_VERSION := v0.8.2
STATICCHECK := bin/tools/staticcheck

.PHONY: i18n build test vet staticcheck unit fuzz e2e demo bench dist install clean tools

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/ks-doctor ./plugin
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/ks-doctor-sim ./cmd/ks-doctor-sim

$(STATICCHECK):
	GOBIN=$(CURDIR)/bin/tools $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

tools: $(STATICCHECK)

# After editing i18n/resources/*.json: rewrite i18n/messages_gen.go, the
# texts as Go literals (a test fails while it is stale).
i18n:
	cd i18n && $(GO) generate

# Each phase says what it runs; `make test` ends with one line that says it
# all passed, or stops at the first phase that failed.
vet:
	@echo "== gofmt, go vet, go mod tidy -diff"
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff

staticcheck: $(STATICCHECK)
	@echo "== staticcheck"
	$(STATICCHECK) ./...

# Unit, contract, golden and end-to-end tests under the race detector (the
# end-to-end tests build both binaries themselves) and, beside them, the
# heavy behaviour tables of ./commands (TestTable*: every endpoint failing
# every way, every hostile answer, every scenario's fixes pasted into a
# shell, orphan under faults, --all-clusters against each cluster, hostile
# explain input) without it: they run their rows side by side on worlds of
# their own, the race detector would make them most of the suite's minute,
# and the race run leaves a core idle half the time. `go test -race ./...`
# runs everything under the detector.
unit:
	@echo "== go test -race -short ./... (all but the heavy tables), and beside it go test -run '^TestTable' ./commands (without -race)"
	@log=$$(mktemp); $(GO) test -count=1 -parallel 16 -run '^TestTable' ./commands >$$log 2>&1 & tables=$$!; \
	$(GO) test -race -short -count=1 -parallel 8 ./...; unit=$$?; \
	wait $$tables; rc=$$?; echo "-- heavy tables:"; cat $$log; rm -f $$log; \
	[ $$unit -eq 0 ] && [ $$rc -eq 0 ]

# Short, bounded fuzzing of what reads untrusted text: the error matcher and
# its normaliser, explain's input reader, the secret scrubber and the text
# sanitiser; a crasher lands in testdata/fuzz and becomes a regression test.
# No time is spent minimising (Go's default would take most of it).
FUZZTIME ?= 1s
FUZZ = $(GO) test -run='^$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=0
fuzz:
	@echo "== fuzzing, $(FUZZTIME) per target"
	$(FUZZ) -fuzz='^FuzzMatch$$' ./internal/catalog
	$(FUZZ) -fuzz='^FuzzNormalize$$' ./internal/catalog
	$(FUZZ) -fuzz='^FuzzExplain$$' ./commands
	$(FUZZ) -fuzz='^FuzzScrub$$' ./internal/scrub
	$(FUZZ) -fuzz='^FuzzSafe$$' ./internal/render

test: vet staticcheck unit fuzz
	@$(GO) list -m github.com/IBM/vpc-go-sdk | grep -q ' v0\.' || { echo "vpc-go-sdk must stay on v0.x (v1.0.x is retracted)"; exit 1; }
	@echo "== make test: all passed"

demo: build
	bin/demo

# Go benchmarks (start-up, matcher, fleet generation), then the end-to-end
# benchmark: the built binaries against the simulator with latency and rate
# limits, beside their lower bounds and the runbook baseline (bench.json).
bench: build
	CGO_ENABLED=0 $(GO) build -o bin/ks-doctor-bench ./cmd/ks-doctor-bench
	$(GO) test -run='^$$' -bench=. -benchmem -benchtime=200ms ./...
	bin/ks-doctor-bench --json bench.json

# Cross-compiled binaries, SHA-1 checksums and the plug-in repository index
# in dist/ (cmd/ks-doctor-dist: needs only Go; BASE_URL = where the binaries
# will be hosted).
dist:
	GO=$(GO) $(GO) run ./cmd/ks-doctor-dist -version '$(VERSION)'

install: build
	@if command -v ibmcloud >/dev/null 2>&1; then ibmcloud plugin install bin/ks-doctor -f; \
	else echo "ibmcloud is not installed here; install it, then run: ibmcloud plugin install bin/ks-doctor -f"; fi

clean:
	rm -rf bin/ks-doctor bin/ks-doctor-sim dist .demo
