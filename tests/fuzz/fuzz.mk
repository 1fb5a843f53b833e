# tests/fuzz/fuzz.mk - `make fuzz`: the libFuzzer targets in tests/fuzz/ (clang,
# -fsanitize=fuzzer,address,undefined), each run for FUZZ_SECONDS. Each
# starts from its committed seeds in tests/fuzz/corpus/NAME/ (read only)
# and keeps what it finds in build/fuzz/corpus-NAME; crashes are saved in
# build/fuzz/artifacts/. A crash found here becomes a regression test (and
# its input a seed). Inputs up to FUZZ_MAX_LEN bytes: room for a 16 KB
# session token. Not part of `make test`.
#
#   make fuzz                          every target, 30 s each
#   make fuzz FUZZ_SECONDS=10 FUZZ_SEED=1
#                                      the short pass CI runs: a fixed
#                                      seed, so a run can be repeated
#                                      (default 0: libFuzzer picks one)
#   make fuzz FUZZ_TARGETS=fuzz_verify_token FUZZ_SECONDS=600
#   make fuzz-build                    build only; run one by hand:
#       build/fuzz/bin/fuzz_parse_time build/fuzz/corpus-fuzz_parse_time \
#           tests/fuzz/corpus/fuzz_parse_time

FUZZ_B        := build/fuzz
FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 30
FUZZ_MAX_LEN  ?= 20000
FUZZ_SEED     ?= 0
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_ALL      := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS  ?= $(FUZZ_ALL)

# The link flags are asked of pkg-config when the recipe runs (`make deps`
# installs clang's fuzzer runtime on Debian).
fuzz-build:
	$(MAKE) B=$(FUZZ_B) CC=$(FUZZ_CC) \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    $(FUZZ_B)/lib/librdsiam.a
	@mkdir -p $(FUZZ_B)/bin
	@dep_cflags=$$($(PKG_CONFIG) --cflags $(PC_REQUIRES)) && \
	dep_libs=$$($(PKG_CONFIG) --libs $(PC_REQUIRES)) || exit 1; \
	for t in $(FUZZ_TARGETS); do \
	    echo "  LINK $(FUZZ_B)/bin/$$t"; \
	    $(FUZZ_CC) $(STD) -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer $(FUZZ_SAN) \
	        -Iinclude -Ilib -Itests/fuzz $(HTTP_DEF) $$dep_cflags -o $(FUZZ_B)/bin/$$t \
	        tests/fuzz/$$t.c $(FUZZ_B)/lib/librdsiam.a $$dep_libs -pthread || exit 1; \
	done

fuzz: fuzz-build
	@mkdir -p $(FUZZ_B)/artifacts
	@for t in $(FUZZ_TARGETS); do \
	    echo "== $$t ($(FUZZ_SECONDS) s)"; \
	    test -d tests/fuzz/corpus/$$t || { echo "fuzz: no seeds in tests/fuzz/corpus/$$t" >&2; exit 1; }; \
	    mkdir -p $(FUZZ_B)/corpus-$$t; \
	    $(FUZZ_B)/bin/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -seed=$(FUZZ_SEED) \
	        -max_len=$(FUZZ_MAX_LEN) -rss_limit_mb=2048 -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_B)/artifacts/$$t- $(FUZZ_B)/corpus-$$t \
	        tests/fuzz/corpus/$$t \
	        2>$(FUZZ_B)/$$t.log || { tail -n 60 $(FUZZ_B)/$$t.log; exit 1; }; \
	    grep -E '^stat::(number_of_executed_units|peak_rss_mb)' $(FUZZ_B)/$$t.log || true; \
	    grep -E '^#[0-9]+.*(INITED|DONE).*cov:' $(FUZZ_B)/$$t.log | tail -n 2 || true; \
	done; echo "fuzz: no crash in $(FUZZ_TARGETS)"

.PHONY: fuzz fuzz-build
