# tests/tests.mk - unit tests (one cmocka program per tests/test_*.c) and
# check scripts (tests/check-*.sh), all run by tests/run-tests.sh, which
# prints one summary line at the end.
#
# VECTORS points at the shared test vectors (default ../shared/vectors).

TEST_SRCS    := $(wildcard tests/test_*.c)
TEST_BINS    := $(TEST_SRCS:tests/%.c=$(B)/tests/%)
TEST_HELPERS := $(wildcard tests/helpers/*.c)
TEST_LIBS    := $(shell $(PKG_CONFIG) --libs cmocka json-c 2>/dev/null)
TEST_CFLAGS   = $(ALL_CFLAGS) -pthread -Itests $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)

$(B)/tests/%: tests/%.c $(TEST_HELPERS) $(wildcard tests/helpers/*.h) $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(TEST_HELPERS) $(STATIC_LIB) $(TEST_LIBS) $(DEP_LIBS)

tests: all $(TEST_BINS)

# `make test` installs what it needs when it can (tests/deps.sh), then runs
# everything. TESTS="test_token check-cli" runs a subset.
test: deps tests
	VECTORS=$(VECTORS) B=$(B) sh tests/run-tests.sh $(TESTS)

deps:
	@sh tests/deps.sh

.PHONY: tests test deps
