# tests/bench.mk - `make bench` (throughput, allocations, botocore ratio)
# and `make bench-callgrind` (instructions per token). Benchmarks measure;
# nothing here asserts on time. See docs/PERFORMANCE.md.

BENCH       := $(B)/bench/bench
BENCH_SECS  ?= 2

$(BENCH): tests/bench/bench.c $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 -g -Iinclude $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

bench: $(BENCH)
	@$(BENCH) --seconds $(BENCH_SECS) | tee $(B)/bench/last.txt
	@ours=$$(sed -n 's/^tokens\/s hot (1 thread): *//p' $(B)/bench/last.txt); \
	if boto=$$(python3 tests/bench/botocore_rate.py $(BENCH_SECS) 2>/dev/null); then \
	    echo "$$boto"; \
	    b=$$(echo "$$boto" | sed 's/.*: //'); \
	    awk -v o="$$ours" -v b="$$b" 'BEGIN { printf "ratio librdsiam/botocore:        %.0fx\n", o / b }'; \
	else echo "botocore tokens/s: skipped (botocore not importable)"; fi

# Instructions per token in steady state: the difference between runs of
# N and 2N tokens, divided by N, so start-up costs cancel out.
BENCH_CALLS ?= 2000
bench-callgrind: $(BENCH)
	@command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
	@for n in $(BENCH_CALLS) $$(( $(BENCH_CALLS) * 2 )); do \
	    valgrind --tool=callgrind --callgrind-out-file=$(B)/bench/callgrind.$$n \
	        $(BENCH) --calls $$n >/dev/null 2>&1 || exit 1; \
	done; \
	a=$$(sed -n 's/^summary: //p' $(B)/bench/callgrind.$(BENCH_CALLS)); \
	b=$$(sed -n 's/^summary: //p' $(B)/bench/callgrind.$$(( $(BENCH_CALLS) * 2 ))); \
	echo "instructions per token (callgrind): $$(( (b - a) / $(BENCH_CALLS) ))"

.PHONY: bench bench-callgrind
