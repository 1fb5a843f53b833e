# tests/profile.mk - the probe that tests/check-botocore-profile.sh runs
# against botocore (tests/crosscheck/profile-probe.c), built with the unit
# tests.

PROFILE_PROBE := $(B)/tests/profile-probe

$(PROFILE_PROBE): tests/crosscheck/profile-probe.c $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

tests: $(PROFILE_PROBE)
