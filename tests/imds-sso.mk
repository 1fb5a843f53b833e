# tests/imds-sso.mk - the probe that tests/check-botocore-imds-sso.sh runs
# against botocore (tests/crosscheck/imds-sso-probe.c), built with the unit
# tests.

IMDS_SSO_PROBE := $(B)/tests/imds-sso-probe

$(IMDS_SSO_PROBE): tests/crosscheck/imds-sso-probe.c $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

tests: $(IMDS_SSO_PROBE)
