# tests/crosscheck.mk - the batch token generator that tests/check-botocore.sh
# drives (tests/crosscheck/tokengen.c), built with the unit tests.

CROSSCHECK_BIN := $(B)/tests/crosscheck-tokengen

$(CROSSCHECK_BIN): tests/crosscheck/tokengen.c $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

tests: $(CROSSCHECK_BIN)
