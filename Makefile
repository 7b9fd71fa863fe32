# ks-doctor — `make demo` and `make test` are the two commands a new machine needs.
GO        ?= go
VERSION   ?= $(shell sed -n 's/^var Version = "\(.*\)"/\1/p' commands/root.go)
LDFLAGS   := -s -w -X github.com/ks-doctor/ks-doctor/commands.Version=$(VERSION)
STATICCHECK_VERSION := v0.8.2
STATICCHECK := bin/tools/staticcheck

.PHONY: build test vet staticcheck unit fuzz e2e demo bench dist install clean tools

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/ks-doctor ./plugin
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/ks-doctor-sim ./cmd/ks-doctor-sim

$(STATICCHECK):
	GOBIN=$(CURDIR)/bin/tools $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

tools: $(STATICCHECK)

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

staticcheck: $(STATICCHECK)
	$(STATICCHECK) ./...

# Unit, contract and end-to-end tests, all under the race detector; the
# end-to-end tests build both binaries themselves.
unit:
	$(GO) test -race -count=1 ./...

# Short, bounded fuzzing of the error matcher, its normaliser and explain's
# input reader; a crasher lands in testdata/fuzz and becomes a regression test.
FUZZTIME ?= 10s
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzMatch$$' -fuzztime=$(FUZZTIME) ./internal/catalog
	$(GO) test -run='^$$' -fuzz='^FuzzNormalize$$' -fuzztime=$(FUZZTIME) ./internal/catalog
	$(GO) test -run='^$$' -fuzz='^FuzzExplain$$' -fuzztime=$(FUZZTIME) ./commands

test: vet staticcheck unit fuzz
	@$(GO) list -m github.com/IBM/vpc-go-sdk | grep -q ' v0\.' || { echo "vpc-go-sdk must stay on v0.x (v1.0.x is retracted)"; exit 1; }

demo: build
	bin/demo

# Go benchmarks (start-up, matcher, fleet generation), then the end-to-end
# benchmark: the built binaries against the simulator with latency and rate
# limits, beside their lower bounds and the runbook baseline (bench.json).
bench: build
	CGO_ENABLED=0 $(GO) build -o bin/ks-doctor-bench ./cmd/ks-doctor-bench
	$(GO) test -run='^$$' -bench=. -benchmem -benchtime=200ms ./...
	bin/ks-doctor-bench --json bench.json

dist:
	VERSION=$(VERSION) bin/dist

install: build
	@if command -v ibmcloud >/dev/null 2>&1; then ibmcloud plugin install bin/ks-doctor -f; \
	else echo "ibmcloud is not installed here; install it, then run: ibmcloud plugin install bin/ks-doctor -f"; fi

clean:
	rm -rf bin/ks-doctor bin/ks-doctor-sim dist .demo
