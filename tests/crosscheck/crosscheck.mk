# tests/crosscheck/crosscheck.mk - the programs the botocore cross-checks
# (tests/check-botocore*.sh) run against botocore, built with the unit
# tests from tests/crosscheck/:
#   crosscheck-tokengen  batch token generator (check-botocore.sh)
#   profile-probe        the profile parser's view (check-botocore-profile.sh)
#   sts-probe            STS calls and answers (check-botocore-sts.sh)
#   imds-sso-probe       IMDS and SSO sources (check-botocore-imds-sso.sh)

CROSSCHECK_BIN := $(B)/tests/crosscheck-tokengen
PROFILE_PROBE  := $(B)/tests/profile-probe
STS_PROBE      := $(B)/tests/sts-probe
IMDS_SSO_PROBE := $(B)/tests/imds-sso-probe
CROSSCHECK_PROGS := $(CROSSCHECK_BIN) $(PROFILE_PROBE) $(STS_PROBE) $(IMDS_SSO_PROBE)

# Each from its own source file (tokengen.c gives crosscheck-tokengen).
$(CROSSCHECK_BIN): $(B)/tests/crosscheck-%: tests/crosscheck/%.c $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

$(PROFILE_PROBE) $(STS_PROBE) $(IMDS_SSO_PROBE): $(B)/tests/%: tests/crosscheck/%.c $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

tests: $(CROSSCHECK_PROGS)
