# tests/asan.mk - `make check-asan`: the library and the unit tests built
# with AddressSanitizer and UndefinedBehaviorSanitizer into build/asan, and
# the unit tests run there. Any sanitizer report fails the run.
#
#   make check-asan                 every unit test
#   make check-asan ASAN_TESTS=test_token
#   make check-asan CC=clang        clang's sanitizers (some UB checks, such
#                                   as an offset applied to NULL, are clang's)
#
# Tests that replace malloc themselves cannot run under ASan (its allocator
# must see every allocation); they are listed in ASAN_EXCLUDE.

ASAN_B       := build/asan
ASAN_FLAGS   := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=undefined
ASAN_EXCLUDE ?= test_alloc
ASAN_TESTS   ?=

# Only the static library and the test programs: with clang the sanitizer
# runtime is linked into executables, not into a shared library.
ASAN_BINS    := $(patsubst tests/%.c,$(ASAN_B)/tests/%,$(wildcard tests/test_*.c))

check-asan:
	@sh tests/deps.sh check
	$(MAKE) B=$(ASAN_B) CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	    $(ASAN_B)/lib/librdsiam.a $(ASAN_BINS)
	@names="$(ASAN_TESTS)"; \
	if [ -z "$$names" ]; then \
	    for t in $(ASAN_B)/tests/test_*; do \
	        [ -x "$$t" ] || continue; n=$${t##*/}; \
	        case " $(ASAN_EXCLUDE) " in *" $$n "*) echo "skipping $$n under ASan (replaces malloc)";; \
	        *) names="$$names $$n";; esac; \
	    done; \
	fi; \
	if [ -z "$$names" ]; then echo "check-asan: no unit tests to run" >&2; exit 1; fi; \
	ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	B=$(ASAN_B) sh tests/run-tests.sh $$names

.PHONY: check-asan

# ---------------------------------------------------------------------------
# `make fuzz`: the libFuzzer targets in tests/fuzz/ (clang,
# -fsanitize=fuzzer,address,undefined), each run for FUZZ_SECONDS with a
# corpus in build/fuzz/corpus-NAME seeded with valid inputs; crashes are
# saved in build/fuzz/artifacts/. Not part of `make test`.
#
#   make fuzz                          every target, 30 s each
#   make fuzz FUZZ_TARGETS=fuzz_verify_token FUZZ_SECONDS=600
#   make fuzz-build                    build only; run one by hand:
#       build/fuzz/bin/fuzz_parse_time build/fuzz/corpus-fuzz_parse_time

FUZZ_B        := build/fuzz
FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 30
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_ALL      := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS  ?= $(FUZZ_ALL)

# The link flags are asked of pkg-config when the recipe runs, after
# tests/deps.sh has installed what was missing.
fuzz-build:
	@sh tests/deps.sh fuzz
	$(MAKE) B=$(FUZZ_B) CC=$(FUZZ_CC) \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    $(FUZZ_B)/lib/librdsiam.a
	@mkdir -p $(FUZZ_B)/bin
	@dep_cflags=$$($(PKG_CONFIG) --cflags $(PC_REQUIRES)) && \
	dep_libs=$$($(PKG_CONFIG) --libs $(PC_REQUIRES)) || exit 1; \
	for t in $(FUZZ_TARGETS); do \
	    echo "  LINK $(FUZZ_B)/bin/$$t"; \
	    $(FUZZ_CC) $(STD) -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer $(FUZZ_SAN) \
	        -Iinclude -Ilib -Itests/fuzz $$dep_cflags -o $(FUZZ_B)/bin/$$t \
	        tests/fuzz/$$t.c $(FUZZ_B)/lib/librdsiam.a $$dep_libs -pthread || exit 1; \
	done

# Seed inputs: valid examples of what each target parses. The tokens for
# fuzz_verify_token are signed here with the keys that target loads.
fuzz-seeds: | fuzz-build
	@$(MAKE) --no-print-directory $(TOOL)
	@set -e; d=$(FUZZ_B); \
	mkdir -p $$d/corpus-fuzz_parse_time $$d/corpus-fuzz_verify_token \
	    $$d/corpus-fuzz_keystore $$d/corpus-fuzz_generate_token $$d/corpus-fuzz_sigv4 \
	    $$d/corpus-fuzz_profile; \
	printf '\000[default]\naws_access_key_id = AKID\nregion=us-east-1\ns3 =\n  max_concurrent_requests = 10\n[profile dev]\n# c\ncredential_process = /bin/echo x ; y\n' \
	    > $$d/corpus-fuzz_profile/config; \
	printf '20161107T173933Z' > $$d/corpus-fuzz_parse_time/basic; \
	printf '2026-01-02T03:04:05.123+05:30' > $$d/corpus-fuzz_parse_time/iso; \
	printf '9999-12-31T23:59:60Z' > $$d/corpus-fuzz_parse_time/leap; \
	tok() { $(TOOL) --hostname db.example.com --port 3306 --username fuzz_user \
	    --region us-east-1 --signing-time 20240102T030405Z; }; \
	AWS_ACCESS_KEY_ID=AKIDFUZZLONGTERM \
	AWS_SECRET_ACCESS_KEY='fuzzSecretKeyNumberOne/+=0123456789abcdef' \
	    tok | tr -d '\n' > $$d/corpus-fuzz_verify_token/long-term; \
	AWS_ACCESS_KEY_ID=ASIAFUZZSESSION \
	AWS_SECRET_ACCESS_KEY='fuzzSecretKeyNumberTwo/+=0123456789abcdef' \
	AWS_SESSION_TOKEN='FQoGZXIvYXdzEJr//////////wEaDFUZZsessionTOKEN+/=' \
	    tok | tr -d '\n' > $$d/corpus-fuzz_verify_token/session; \
	printf '# keys\nAKID1 secret1\n\nAKID2\tsecret2 token2\r\n' > $$d/corpus-fuzz_keystore/basic; \
	printf '\352\014\245\202\223\145\000\001db.example.com\000fuzz user@x\000us-east-1\000AKIDEXAMPLE\000secret/+=\000tok' \
	    > $$d/corpus-fuzz_generate_token/basic; \
	printf '\000\204\003\002GET\000/a/./b/../c%%20d\000b=2&a=1&a=0\000\000us-east-1\000service\000Host\000example.amazonaws.com\000X-Amz-Meta\000 a   b ' \
	    > $$d/corpus-fuzz_sigv4/basic

fuzz: fuzz-build fuzz-seeds
	@mkdir -p $(FUZZ_B)/artifacts
	@for t in $(FUZZ_TARGETS); do \
	    echo "== $$t ($(FUZZ_SECONDS) s)"; \
	    mkdir -p $(FUZZ_B)/corpus-$$t; \
	    $(FUZZ_B)/bin/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	        -rss_limit_mb=2048 -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_B)/artifacts/$$t- $(FUZZ_B)/corpus-$$t \
	        2>$(FUZZ_B)/$$t.log || { tail -n 60 $(FUZZ_B)/$$t.log; exit 1; }; \
	    grep -E '^stat::(number_of_executed_units|peak_rss_mb)' $(FUZZ_B)/$$t.log || true; \
	done; echo "fuzz: no crash in $(FUZZ_TARGETS)"

.PHONY: fuzz fuzz-build fuzz-seeds
