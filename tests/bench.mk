# tests/bench.mk - `make bench`: token throughput per credential shape
# against this machine's SHA-256 limit, instructions per token under
# callgrind, heap allocations, and the AWS SDKs on the same inputs, as one
# table (tests/bench/report.py). `make bench-deps` installs the SDKs the
# table compares with. Benchmarks measure; nothing here asserts on time.
# See docs/PERFORMANCE.md.

BENCH       := $(B)/bench/bench
BENCH_SECS  ?= 1
BENCH_CALLS ?= 1000
GO_BENCH    := $(B)/bench/rdsauth_bench
GO_SDK      := /usr/share/gocode/src/github.com/aws/aws-sdk-go-v2/feature/rds/auth

$(BENCH): tests/bench/bench.c $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 -g -Iinclude $(DEP_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

# The Go SDK from Debian's packages, in GOPATH mode (no module download).
$(GO_BENCH): tests/bench/go/rdsauth_bench.go
	@mkdir -p $(@D)
	cd tests/bench/go && GOPATH=/usr/share/gocode GO111MODULE=off \
	    GOCACHE=$(abspath $(B))/bench/gocache go build -o $(abspath $@) rdsauth_bench.go

bench: $(BENCH)
	@if command -v go >/dev/null && [ -d $(GO_SDK) ]; then \
	    $(MAKE) --no-print-directory $(GO_BENCH) >/dev/null; fi
	@echo "librdsiam $(VERSION), $(BENCH_SECS) s per figure"
	@python3 tests/bench/report.py $(BENCH) $(BENCH_SECS) $(BENCH_CALLS) | tee $(B)/bench/last.txt

# The SDKs the table compares with: Go's from Debian, JS's from npm into
# build/bench/js (botocore is already a test dependency).
bench-deps:
	sh tests/deps.sh bench
	@mkdir -p $(B)/bench/js
	cd $(B)/bench/js && npm install --no-audit --no-fund @aws-sdk/rds-signer @aws-sdk/dsql-signer

# Instructions per token alone, for one shape (default long-term), signed
# directly or with BENCH_HOW="--provider" (and "--provider --region-null":
# the provider's own region). `make bench-region` prints ns/token through a
# provider with params->region given and NULL.
BENCH_SHAPE ?= long-term
BENCH_HOW   ?=
bench-callgrind: $(BENCH)
	@command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
	@for n in $(BENCH_CALLS) $$(( $(BENCH_CALLS) * 2 )); do \
	    valgrind --tool=callgrind --callgrind-out-file=$(B)/bench/callgrind.$$n \
	        $(BENCH) --calls $$n --shape $(BENCH_SHAPE) $(BENCH_HOW) >/dev/null 2>&1 || exit 1; \
	done; \
	a=$$(sed -n 's/^summary: //p' $(B)/bench/callgrind.$(BENCH_CALLS)); \
	b=$$(sed -n 's/^summary: //p' $(B)/bench/callgrind.$$(( $(BENCH_CALLS) * 2 ))); \
	echo "instructions per token (callgrind, $(BENCH_SHAPE) $(BENCH_HOW)): $$(( (b - a) / $(BENCH_CALLS) ))"

bench-region: $(BENCH)
	@$(BENCH) --region-null --seconds $(BENCH_SECS)

.PHONY: bench bench-deps bench-callgrind bench-region
