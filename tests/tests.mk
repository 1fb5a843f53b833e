# tests/tests.mk - unit tests (one cmocka program per tests/test_*.c) and
# check scripts (tests/check-*.sh), all run by tests/run-tests.sh, which
# prints one summary line at the end. Test data lives in tests/vectors/.
#
#   make check     the unit tests alone: compiler, OpenSSL, json-c
#                  (the tests' own reader of vector files), libcurl,
#                  cmocka and python3, as pkg-config finds them; no
#                  database servers, no package installed; seconds
#   make test      the whole suite (unit tests and every check script);
#                  first, on Debian, tests/deps.sh installs (as root) or
#                  names what is missing
#   make tests     build everything the suite runs, run nothing
#   TESTS="test_token check-cli" runs a subset of either; TEST_JOBS=N runs
#   N tests at a time (default 2: tests/run-tests.sh; 4 for make check).

TEST_SRCS    := $(wildcard tests/test_*.c)
TEST_BINS    := $(TEST_SRCS:tests/%.c=$(B)/tests/%)
TEST_NAMES   := $(notdir $(TEST_BINS))
TEST_HELPERS := $(wildcard tests/helpers/*.c)
TEST_LIBS    := $(shell $(PKG_CONFIG) --libs cmocka json-c 2>/dev/null)
TEST_CFLAGS   = $(ALL_CFLAGS) -pthread -Itests $(shell $(PKG_CONFIG) --cflags cmocka json-c 2>/dev/null)

# The helpers (tests/helpers/*.c) are compiled once into an archive every
# test links, before the library, whose internals they use.
TEST_HELPER_OBJS := $(TEST_HELPERS:tests/%.c=$(B)/tests/%.o)
TEST_HELPER_LIB  := $(B)/tests/libhelpers.a

# The test programs need cmocka and json-c: named, if missing, before the
# first compile (tests/deps.sh pc).
pc-check-tests:
	$(PC_CHECK) cmocka json-c

$(B)/tests/helpers/%.o: tests/helpers/%.c | pc-check-tests
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -MMD -MP -MF $@.d -MT $@ -c -o $@ $<

$(TEST_HELPER_LIB): $(TEST_HELPER_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# The headers a test includes, as the compiler lists them (X.d beside the
# program).
$(B)/tests/%: tests/%.c $(TEST_HELPER_LIB) $(STATIC_LIB) | pc-check-tests
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -MMD -MP -MF $@.d -MT $@ $(LDFLAGS) -o $@ $< $(TEST_HELPER_LIB) $(STATIC_LIB) $(TEST_LIBS) $(DEP_LIBS)

-include $(TEST_BINS:=.d) $(TEST_HELPER_OBJS:=.d)

# test_unload loads the shared library this build made, by its SONAME; its
# dependencies stay loaded (needed by the program itself), so each of its
# hundreds of loads maps librdsiam alone.
$(B)/tests/test_unload: $(SHARED_LIB)
$(B)/tests/test_unload: TEST_LIBS += -Wl,--no-as-needed
$(B)/tests/test_unload: TEST_CFLAGS += -DTEST_SONAME='"$(SONAME)"'

# A test program whose source is gone (renamed or removed) goes too:
# tests/run-tests.sh runs every program in $(B)/tests.
STALE_TEST_BINS = $(filter-out $(TEST_BINS) %.d %.o,$(wildcard $(B)/tests/test_*))

tests: all $(TEST_BINS)
	$(if $(strip $(STALE_TEST_BINS)),rm -f $(STALE_TEST_BINS) $(STALE_TEST_BINS:=.d))

# `make test` (and `make demo`) first install what is missing on Debian
# (tests/deps.sh: as root it installs, otherwise it names the packages;
# elsewhere it does nothing), then build in a sub-make: its makefiles are
# read after the install, so every flag from pkg-config (cmocka,
# libmariadb, ...) is computed with the packages present. `make check`
# installs nothing: it builds with what pkg-config finds, and names what
# it does not. `make deps` installs everything the suite needs.
test:
	@sh tests/deps.sh test
	@$(MAKE) --no-print-directory tests
	B=$(B) sh tests/run-tests.sh $(TESTS)

# The unit tests spend most of their time waiting (on stand-in servers,
# child processes, timeouts) rather than computing: `make check` runs 4 at
# a time unless TEST_JOBS says otherwise. `make test` keeps the runner's 2
# (its check scripts compile).
check:
	@$(MAKE) --no-print-directory $(or $(filter $(addprefix $(B)/tests/,$(TESTS)),$(TEST_BINS)),$(TEST_BINS))
	B=$(B) TEST_JOBS=$(or $(TEST_JOBS),4) sh tests/run-tests.sh $(or $(TESTS),$(TEST_NAMES))

deps:
	@sh tests/deps.sh

.PHONY: tests test check deps pc-check-tests
