# tests/sts.mk - the probe that tests/check-botocore-sts.sh runs against
# botocore (tests/crosscheck/sts-probe.c), built with the unit tests.

STS_PROBE := $(B)/tests/sts-probe

$(STS_PROBE): tests/crosscheck/sts-probe.c $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

tests: $(STS_PROBE)
