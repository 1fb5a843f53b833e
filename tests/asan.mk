# tests/asan.mk - `make check-asan`: the whole test suite, the check scripts
# included (CLI, emulators, botocore cross-checks), with the library, the
# tool, the examples and the tests built with AddressSanitizer and
# UndefinedBehaviorSanitizer into build/asan. Any sanitizer report fails
# the run.
#
#   make check-asan                 everything
#   make check-asan ASAN_TESTS="test_token check-cli"
#   make check-asan CC=clang        clang's sanitizers (some UB checks, such
#                                   as an offset applied to NULL, are clang's)
#
# Tests that replace malloc themselves cannot run under ASan (its allocator
# must see every allocation); they are listed in ASAN_EXCLUDE.
#
# The emulators' server plugins (the MariaDB auth plugin, the PAM module)
# are loaded into mariadbd and postgres, which are not built with ASan and
# would refuse an instrumented module; they are built without sanitizers
# (in build/asan/plain) and copied into build/asan. The code they call,
# rdsiam_verify_token() and the key store, runs under ASan in test_verify
# and in the fuzz targets. The Valkey emulator's front is a program of its
# own and runs under ASan. The check scripts start the emulator on this
# build (RDSIAM_BUILD=$B).

ASAN_B       := build/asan
ASAN_FLAGS   := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=undefined
ASAN_EXCLUDE ?= test_alloc test_torture test_http_residue
ASAN_TESTS   ?=
ASAN_PLAIN_B := $(ASAN_B)/plain
ASAN_PLUGINS := rds-emulator/mariadb/auth_rdsiam.so \
                rds-emulator/postgres/pam_rdsiam.so

asan-build:
	$(MAKE) B=$(ASAN_B) CFLAGS="$(ASAN_FLAGS)" \
	    LDFLAGS="-fsanitize=address,undefined" tests \
	    $(ASAN_B)/rds-emulator/valkey/rdsiam-valkey-front
	$(MAKE) B=$(ASAN_PLAIN_B) emulator
	for f in $(ASAN_PLUGINS); do \
	    mkdir -p $(ASAN_B)/$${f%/*} && cp -p $(ASAN_PLAIN_B)/$$f $(ASAN_B)/$$f || exit 1; \
	done

check-asan:
	@$(MAKE) --no-print-directory asan-build
	@names="$(ASAN_TESTS)"; \
	if [ -z "$$names" ]; then \
	    for t in $(ASAN_B)/tests/test_*; do \
	        [ -x "$$t" ] || continue; n=$${t##*/}; \
	        case " $(ASAN_EXCLUDE) " in *" $$n "*) echo "skipping $$n under ASan (replaces malloc)";; \
	        *) names="$$names $$n";; esac; \
	    done; \
	    for c in tests/check-*.sh; do n=$${c##*/}; names="$$names $${n%.sh}"; done; \
	fi; \
	if [ -z "$$names" ]; then echo "check-asan: no tests to run" >&2; exit 1; fi; \
	ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	B=$(ASAN_B) sh tests/run-tests.sh $$names

.PHONY: check-asan asan-build
