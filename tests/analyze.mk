# tests/analyze.mk - `make check-analyze`: clang's static analyzer
# (scan-build, from clang-tools) over every file of lib/ and the tool,
# built from scratch into build/analyze. Any report fails the run, except
# those listed in tests/analyze-known.txt, each with the reason it is not
# a defect. The HTML and plist reports are kept in build/analyze/reports.
#
#   make check-analyze
#
# The checkers are scan-build's defaults plus the security and va_list
# checkers. The analyzer sees one file at a time; lib/internal.h tells it,
# under __clang_analyzer__, that rdsiam__fail() returns the code it is
# given.

ANALYZE_B      := build/analyze
SCAN_BUILD     ?= scan-build
ANALYZE_CHECKS := -enable-checker security.insecureAPI.strcpy \
                  -enable-checker security.FloatLoopCounter \
                  -enable-checker valist.Uninitialized \
                  -enable-checker valist.Unterminated \
                  -enable-checker valist.CopyToSelf

check-analyze:
	rm -rf $(ANALYZE_B)
	$(SCAN_BUILD) -plist-html -o $(ANALYZE_B)/reports $(ANALYZE_CHECKS) \
	    --use-cc=clang $(MAKE) B=$(ANALYZE_B) CC=clang \
	    $(ANALYZE_B)/lib/librdsiam.a $(ANALYZE_B)/bin/rdsiam-token
	python3 tests/analyze-check.py tests/analyze-known.txt $(ANALYZE_B)/reports

.PHONY: check-analyze
