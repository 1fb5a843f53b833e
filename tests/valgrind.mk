# tests/valgrind.mk - `make check-valgrind`: every unit test under
# valgrind's memcheck: no invalid access, no use of uninitialised memory,
# no leak of any kind (definite, indirect, possible or still reachable at
# exit that the program allocated), or the run fails.
#
#   make check-valgrind
#   make check-valgrind VALGRIND_TESTS=test_profile
#
# The normal build (-O2 -g) is what runs: it is what users get.
# Tests that replace malloc themselves (test_alloc counts allocations,
# test_torture fails them) would hide the heap from memcheck and are
# skipped. Suppressions live in tests/valgrind.supp, each with the reason.
#
# valgrind runs one thread at a time; --fair-sched=yes hands that turn
# round in order, so threads that spin (the provider hammer tests) cannot
# starve the others. Each test has TEST_TIMEOUT seconds (1800 here).

VALGRIND         ?= valgrind
VALGRIND_EXCLUDE ?= test_alloc test_torture test_http_residue
VALGRIND_TESTS   ?=
VALGRIND_FLAGS   := --tool=memcheck --error-exitcode=99 --leak-check=full \
                    --show-leak-kinds=definite,indirect,possible \
                    --errors-for-leak-kinds=definite,indirect,possible \
                    --track-origins=yes --trace-children=no --fair-sched=yes \
                    --child-silent-after-fork=yes \
                    --suppressions=tests/valgrind.supp --quiet

check-valgrind:
	@$(MAKE) --no-print-directory tests
	@names="$(VALGRIND_TESTS)"; \
	if [ -z "$$names" ]; then \
	    for t in $(B)/tests/test_*; do \
	        [ -x "$$t" ] || continue; n=$${t##*/}; \
	        case " $(VALGRIND_EXCLUDE) " in *" $$n "*) echo "skipping $$n under valgrind (replaces malloc)";; \
	        *) names="$$names $$n";; esac; \
	    done; \
	fi; \
	mkdir -p $(B)/valgrind; rm -rf $(B)/valgrind/bin; mkdir -p $(B)/valgrind/bin/tests; \
	for n in $$names; do \
	    printf '#!/bin/sh\nexec %s %s "%s" "$$@"\n' '$(VALGRIND)' '$(VALGRIND_FLAGS)' \
	        "$(CURDIR)/$(B)/tests/$$n" > $(B)/valgrind/bin/tests/$$n; \
	    chmod +x $(B)/valgrind/bin/tests/$$n; \
	done; \
	TEST_TIMEOUT=$${TEST_TIMEOUT:-1800} B=$(B)/valgrind/bin sh tests/run-tests.sh $$names

.PHONY: check-valgrind
