# tests/asan.mk - `make check-asan`: the library and the unit tests built
# with AddressSanitizer and UndefinedBehaviorSanitizer into build/asan, and
# the unit tests run there. Any sanitizer report fails the run.
#
#   make check-asan                 every unit test
#   make check-asan ASAN_TESTS=test_token
#
# Tests that replace malloc themselves cannot run under ASan (its allocator
# must see every allocation); they are listed in ASAN_EXCLUDE.

ASAN_B       := build/asan
ASAN_FLAGS   := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=undefined
ASAN_EXCLUDE ?= test_alloc
ASAN_TESTS   ?=

check-asan:
	$(MAKE) B=$(ASAN_B) CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" tests
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
	VECTORS=$(VECTORS) B=$(ASAN_B) sh tests/run-tests.sh $$names

.PHONY: check-asan
