# tests/analyze.mk - `make check-analyze`: clang's static analyzer
# (scan-build, from clang-tools) over every file of lib/ and the tool,
# built from scratch into build/analyze. Any report fails the run; the
# HTML reports are kept in build/analyze/reports.
#
#   make check-analyze
#
# The checkers are scan-build's defaults plus the security and
# unix API checkers that fit a library holding secrets, less
# deadcode.DeadStores: it reports a harmless reset of `rc` in
# lib/region.c (rdsiam_connect_token); turn it back on once that line goes.
# (optin.portability.UnixAPI is not enabled: it flags malloc(need) in
# rdsiam_token_alloc, where need > 0 whenever the size query reported
# RDSIAM_ERR_BUFFER_TOO_SMALL, a fact it cannot see.)
# The analyzer sees one file at a time; lib/internal.h tells it, under
# __clang_analyzer__, that rdsiam__fail() returns the code it is given.

ANALYZE_B      := build/analyze
SCAN_BUILD     ?= scan-build
ANALYZE_CHECKS := -enable-checker security.insecureAPI.strcpy \
                  -enable-checker security.FloatLoopCounter \
                  -enable-checker unix.Malloc \
                  -enable-checker unix.cstring.NullArg \
                  -enable-checker valist.Uninitialized \
                  -enable-checker valist.Unterminated \
                  -enable-checker valist.CopyToSelf \
                  -disable-checker deadcode.DeadStores

check-analyze:
	@sh tests/deps.sh test
	rm -rf $(ANALYZE_B)
	$(SCAN_BUILD) --status-bugs -o $(ANALYZE_B)/reports $(ANALYZE_CHECKS) \
	    --use-cc=clang $(MAKE) B=$(ANALYZE_B) CC=clang \
	    $(ANALYZE_B)/lib/librdsiam.a $(ANALYZE_B)/bin/rdsiam-token

.PHONY: check-analyze
