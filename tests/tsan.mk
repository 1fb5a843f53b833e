# tests/tsan.mk - `make check-tsan`: the threaded tests (a provider shared
# by many threads, refresh under load, the background refresher, container
# fetches from several threads) built with ThreadSanitizer into build/tsan
# and run there. Any data race or lock-order report fails the run.
#
#   make check-tsan                       the default list below
#   make check-tsan TSAN_TESTS=test_provider
#
# TSan needs its own build of everything that runs threads: the library and
# the test programs. libcurl, expat and OpenSSL are not instrumented; the
# library never shares one of their objects between threads.

TSAN_B      := build/tsan
TSAN_FLAGS  := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
# Every test that starts threads (grep -l 'pthread_create\|threads_'
# tests/*.c), plus the token tests: token generation keeps per-thread
# caches.
TSAN_TESTS  ?= test_provider test_container test_chain test_token \
               test_hazard test_token_cache test_fork test_unload \
               test_process test_imds test_sso test_login

check-tsan:
	$(MAKE) B=$(TSAN_B) CFLAGS="$(TSAN_FLAGS)" LDFLAGS="-fsanitize=thread" \
	    $(TSAN_B)/lib/librdsiam.a $(TSAN_TESTS:%=$(TSAN_B)/tests/%)
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 exitcode=66" \
	B=$(TSAN_B) sh tests/run-tests.sh $(TSAN_TESTS)

.PHONY: check-tsan
